"""The Salesforce gateway: every call OrderHub makes to Salesforce goes through here.

simple-salesforce runs in session_id + instance_url mode over our own requests.Session
(explicit timeouts, our CA bundle, proxies and CA variables from the environment ignored).
The gateway retries transient failures with exponential backoff and jitter, refreshes the
access token once on 401 INVALID_SESSION_ID, keeps the API usage Salesforce reports, and
raises only the classes in `integrations.errors`.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import (
    SalesforceError,
    SalesforceExpiredSession,
    SalesforceGeneralError,
    SalesforceRefusedRequest,
)

from orderhub.integrations.errors import (
    Permanent,
    RateLimited,
    Transient,
    Unauthorized,
    Unconfirmed,
)

logger = logging.getLogger(__name__)
T = TypeVar("T")
API_VERSION = "59.0"
TRANSIENT_CODES = frozenset({"UNABLE_TO_LOCK_ROW", "SERVER_UNAVAILABLE", "QUERY_TIMEOUT"})


class HttpSession(requests.Session):
    """requests.Session with timeouts, a chosen CA bundle, no environment, and a call count.

    One request at a time: a page read ahead on another thread and a call made meanwhile
    take turns, so the count and the last usage header stay exact.
    """

    timeout = (10, 120)  # (connect, read) seconds
    # A connection dropped mid-response surfaces as ChunkedEncodingError, not ConnectionError.
    network_errors = (
        requests.ConnectionError,
        requests.Timeout,
        requests.exceptions.ChunkedEncodingError,
    )

    def __init__(self, *, ca_bundle: str = "") -> None:
        super().__init__()
        self.configure(self, ca_bundle=ca_bundle)
        self.calls = 0
        self.limit_info = ""
        self._turn = threading.Lock()

    @staticmethod
    def configure(session: requests.Session, *, ca_bundle: str) -> None:
        # With trust_env on, REQUESTS_CA_BUNDLE would silently override `verify`.
        session.trust_env = False
        session.verify = ca_bundle or True

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        with self._turn:
            self.calls += 1
            response = super().request(method, url, *args, **kwargs)
            self.limit_info = response.headers.get("Sforce-Limit-Info", self.limit_info)
        # One line per call; the path only (never headers, which carry the token).
        logger.debug(
            "salesforce %s %s -> %s (%s)",
            method,
            urlsplit(url).path,
            response.status_code,
            self.limit_info,
        )
        return response


@dataclass
class Endpoint:
    instance_url: str
    access_token: str
    ca_bundle: str = ""


def _first_error(content: Any) -> tuple[str, str, list[str]]:
    if isinstance(content, list) and content and isinstance(content[0], dict):
        first = content[0]
        return first.get("errorCode", ""), first.get("message", ""), first.get("fields") or []
    if isinstance(content, dict):
        return content.get("errorCode", content.get("error", "")), content.get("message", ""), []
    return "", str(content)[:500], []


def classify(exc: SalesforceError) -> Exception:
    """Map a simple-salesforce error to our taxonomy, keeping Salesforce's code and message."""
    code, message, fields = _first_error(exc.content)
    if isinstance(exc, SalesforceExpiredSession):
        return Unauthorized(
            f"{code or 'INVALID_SESSION_ID'}: {message or 'Session expired or invalid'}"
        )
    if isinstance(exc, SalesforceRefusedRequest) and code == "REQUEST_LIMIT_EXCEEDED":
        return RateLimited(f"{code}: {message} — the org's daily API limit is used up")
    if code in TRANSIENT_CODES or (isinstance(exc, SalesforceGeneralError) and exc.status >= 500):
        return Transient(f"{code or exc.status}: {message or 'Salesforce is unavailable'}")
    return Permanent(message or f"HTTP {exc.status}", error_code=code, fields=fields)


class SalesforceGateway:
    """One org, one set of credentials. Not thread-safe (but for its own read-ahead): make
    one per run."""

    def __init__(
        self,
        endpoint: Endpoint,
        *,
        refresh: Callable[[], Endpoint] | None = None,
        on_usage: Callable[[str], None] | None = None,
        retries: int = 4,
        backoff_seconds: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
        api_version: str = API_VERSION,
        batch_size: int | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.http = HttpSession(ca_bundle=endpoint.ca_bundle)
        self._refresh = refresh
        self._on_usage = on_usage
        self.retries = retries
        self.backoff_seconds = backoff_seconds
        self._sleep = sleep
        self.api_version = api_version
        # Records per query page (Salesforce: 200..2000, default 2000); a hint it may lower.
        self.batch_size = batch_size
        self._sf = self._client()

    def _client(self) -> Salesforce:
        return Salesforce(
            session_id=self.endpoint.access_token,
            instance_url=self.endpoint.instance_url,
            session=self.http,
            version=self.api_version,
            # Plain dicts, not simple-salesforce's default OrderedDicts: smaller and faster
            # to decode, and dicts keep Salesforce's field order anyway.
            object_pairs_hook=dict,
        )

    @property
    def calls(self) -> int:
        return self.http.calls

    def _backoff(self, attempt: int) -> float:
        # Exponential with full jitter: spreads retries of many clients failing together.
        return random.uniform(0, self.backoff_seconds * (2**attempt))

    def call(self, operation: Callable[[Salesforce], T], *, idempotent: bool = True) -> T:
        """Run `operation` with retries, one token refresh, and error translation.

        A non-idempotent operation (a create) is not retried after the request may have
        reached Salesforce, so a dropped response cannot create a record twice.
        """
        refreshed = False
        attempt = 0
        while True:
            try:
                result = operation(self._sf)
                self._report_usage()
                return result
            except SalesforceExpiredSession as exc:
                self._report_usage()
                if refreshed or self._refresh is None:
                    raise classify(exc) from None
                self.endpoint = self._refresh()
                self._sf = self._client()
                refreshed = True
                continue
            except SalesforceError as exc:
                self._report_usage()
                error = classify(exc)
            except HttpSession.network_errors as exc:
                error = Transient(f"Could not reach Salesforce: {type(exc).__name__}")
                if not idempotent and not isinstance(exc, requests.exceptions.ConnectTimeout):
                    raise Unconfirmed(
                        f"The connection to Salesforce broke ({type(exc).__name__}) after the "
                        "request was sent, so Salesforce may or may not have carried it out"
                    ) from None
            if not isinstance(error, Transient) or isinstance(error, RateLimited):
                raise error from None
            if attempt >= self.retries:
                raise error from None
            delay = self._backoff(attempt)
            logger.warning(
                "Salesforce call failed (%s); retry %s in %.2fs", error, attempt + 1, delay
            )
            self._sleep(delay)
            attempt += 1

    def _report_usage(self) -> None:
        if self._on_usage and self.http.limit_info:
            self._on_usage(self.http.limit_info)

    # --- operations -----------------------------------------------------------------------

    def describe_global(self) -> dict:
        return self.call(lambda sf: sf.describe())

    def describe(self, object_name: str) -> dict:
        return self.call(lambda sf: getattr(sf, object_name).describe())

    def query(self, soql: str) -> dict:
        headers = (
            {"Sforce-Query-Options": f"batchSize={self.batch_size}"} if self.batch_size else {}
        )
        return self.call(lambda sf: sf.query(soql, headers=headers))

    def query_more(self, next_records_url: str) -> dict:
        return self.call(lambda sf: sf.query_more(next_records_url, identifier_is_url=True))

    def query_pages(self, soql: str, *, read_ahead: bool = False) -> Iterator[dict]:
        """Each page of the query's results, following nextRecordsUrl.

        With `read_ahead`, the next page is requested on a worker thread while the caller
        works on this one, so Salesforce's time to prepare a page overlaps with ours. The
        worker only sends the request; retries, token refresh and errors are handled here,
        on the caller's thread, exactly as for any call.
        """
        page = self.query(soql)
        if not read_ahead:
            yield page
            while not page.get("done", True) and page.get("nextRecordsUrl"):
                page = self.query_more(page["nextRecordsUrl"])
                yield page
            return
        with ThreadPoolExecutor(1, thread_name_prefix="salesforce-read-ahead") as worker:
            while True:
                url = page.get("nextRecordsUrl") if not page.get("done", True) else None
                upcoming = (
                    worker.submit(self._sf.query_more, url, identifier_is_url=True) if url else None
                )
                yield page
                if upcoming is None:
                    return
                page = self._take(upcoming, url)

    def _take(self, upcoming: Future, url: str) -> dict:
        """The page read ahead, through `call`: a failed read is retried here like any call."""
        first_try = [upcoming.result]

        def operation(sf: Salesforce) -> dict:
            if first_try:
                return first_try.pop()()
            return sf.query_more(url, identifier_is_url=True)

        return self.call(operation)

    def count(self, soql: str) -> int:
        return int(self.query(soql)["totalSize"])

    def get_record(self, object_name: str, record_id: str) -> dict:
        return self.call(lambda sf: getattr(sf, object_name).get(record_id))

    def create_record(self, object_name: str, fields: dict) -> str:
        result = self.call(lambda sf: getattr(sf, object_name).create(fields), idempotent=False)
        return result["id"]

    def update_records(self, records: list[dict], *, all_or_none: bool = False) -> list[dict]:
        """PATCH up to 200 records in one sObject Collections call; one result per record."""
        if len(records) > 200:
            raise ValueError("sObject Collections take at most 200 records per call")
        body = {"allOrNone": all_or_none, "records": records}
        return self.call(lambda sf: sf.restful("composite/sobjects", method="PATCH", json=body))

    def limits(self) -> dict:
        return self.call(lambda sf: sf.limits())
