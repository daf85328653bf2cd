"""Post Order JSON: send an order to a URL as Order Desk does, from a queued job.

The body is a form with one field, `order`, holding the order's Order Desk JSON. Headers:
`X-ORDER-DESK-STORE-ID` (the store id) and, when the store has an API key,
`X-ORDER-DESK-HASH` = HMAC-SHA256 (hex) of that JSON text keyed with the API key. Only 200
and 201 count as success; anything else is retried 5 times over 2 hours, after which the
queue page can send it again.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta
from typing import Any

from orderhub.jobs.tasks import PermanentFailure, RetryLater
from orderhub.rules.actions import Action, ActionProblem, Param, RemoteStep, Target, register

TIMEOUT_SECONDS = 30


def signature(order_json: str, api_key: str) -> str:
    return hmac.new(api_key.encode(), order_json.encode(), hashlib.sha256).hexdigest()


def build_request(store_id: int, order_json: str, api_key: str | None) -> tuple[bytes, dict]:
    body = urllib.parse.urlencode({"order": order_json}).encode()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "User-Agent": "OrderHub",
        "X-ORDER-DESK-STORE-ID": str(store_id),
    }
    if api_key:
        headers["X-ORDER-DESK-HASH"] = signature(order_json, api_key)
    return body, headers


class PostOrderJson(Action):
    key, label = "post_order_json", "Post Order JSON"
    params = (Param("url", "URL", "url", help="http:// or https:// address of your script"),)
    remote = True
    # The first try plus 5 retries spread over 2 hours.
    max_attempts = 6
    retry_delays = (
        timedelta(minutes=5),
        timedelta(minutes=10),
        timedelta(minutes=15),
        timedelta(minutes=30),
        timedelta(hours=1),
    )

    def clean(self, store: Any, params: dict) -> dict:
        cleaned = super().clean(store, params)
        parsed = urllib.parse.urlsplit(cleaned["url"])
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ActionProblem(f"Post Order JSON: {cleaned['url']!r} is not an http(s) URL")
        return cleaned

    def describe(self, params: dict) -> str:
        return f"Post Order JSON to {params.get('url', '')}"

    def preview(self, order: Any, params: dict, target: Target) -> str:
        return f"Post Order JSON to {params['url']}"

    def perform(self, order: Any, item: Any, params: dict, step: RemoteStep) -> str:
        from orderhub.orders.orderdesk_json import render_order
        from orderhub.stores.queries import api_key_plaintext

        url = params["url"]
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise PermanentFailure(f"{url} is not an http(s) URL")
        order_json = json.dumps(render_order(order))
        body, headers = build_request(order.store_id, order_json, api_key_plaintext(order.store))
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise RetryLater(f"Could not reach {url}: {reason}") from exc
        if status in (200, 201):
            return f"Posted order JSON to {url} (HTTP {status})"
        raise RetryLater(f"{url} answered HTTP {status}")


register(PostOrderJson())
