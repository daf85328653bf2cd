"""Run the emulator from other test suites: in a background thread or as a child process.

    with running_emulator() as sf_org:
        session = sf_org.requests_session()
        sf = Salesforce(instance_url=sf_org.instance_url, session_id=sf_org.login(), session=session)

Every control method goes through the `/__emulator__/` control plane, so a thread and a child
process behave the same; control calls are never counted as API calls. See docs/emulator.md.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from .config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
from .ids import is_valid_id
from .state import EmulatorState

__all__ = ["EmulatorHandle", "emulator_subprocess", "running_emulator"]


@dataclass
class EmulatorHandle:
    """What a client needs to reach the emulated org, plus its control plane."""

    instance_url: str
    ca_cert: str | None
    data_dir: Path
    client_id: str = DEFAULT_CLIENT_ID
    client_secret: str = DEFAULT_CLIENT_SECRET
    username: str = "admin@orderhub.emulator"
    password: str = "emulator-password"
    security_token: str = "EMULATORTOKEN"
    state: EmulatorState | None = None  # set when the emulator runs in this process
    process_id: int | None = None  # set when it runs as a child process
    _control: requests.Session = field(default_factory=requests.Session, repr=False)

    def __post_init__(self) -> None:
        self._control.trust_env = False
        self._control.verify = self.ca_cert or True

    # -- connecting -----------------------------------------------------------------------------

    @property
    def host(self) -> str:
        """`127.0.0.1:PORT`, what simple-salesforce calls `sf_instance`."""
        return urlsplit(self.instance_url).netloc

    @property
    def domain(self) -> str:
        """Pass as `Salesforce(domain=...)`: its login URL `https://{domain}.salesforce.com/...` then
        resolves to this emulator (the emulator ignores a leading `/<x>.salesforce.com` segment)."""
        return f"{self.host}/login"

    def requests_session(self) -> requests.Session:
        """A `requests.Session` trusting the emulator's CA and ignoring proxy/CA env variables."""
        session = requests.Session()
        session.trust_env = False
        session.verify = self.ca_cert or True
        return session

    def login(self, username: str | None = None) -> str:
        """A fresh access token for a user (via the SOAP login; not counted as an API call)."""
        user = (username or self.username).lower()
        account = next(u for u in self.info()["users"] if u["username"].lower() == user)
        from simple_salesforce import SalesforceLogin

        session_id, _ = SalesforceLogin(
            username=account["username"],
            password=account["password"],
            security_token=account["security_token"],
            session=self.requests_session(),
            domain=self.domain,
        )
        return session_id

    def salesforce(self, version: str = "59.0", **kwargs: Any):
        """An unmodified `simple_salesforce.Salesforce` logged in with username/password/token."""
        from simple_salesforce import Salesforce

        return Salesforce(
            username=self.username,
            password=self.password,
            security_token=self.security_token,
            domain=self.domain,
            session=self.requests_session(),
            version=version,
            **kwargs,
        )

    # -- control plane --------------------------------------------------------------------------

    def _call(
        self, method: str, path: str, payload: dict | None = None, params: dict | None = None
    ) -> Any:
        response = self._control.request(
            method,
            f"{self.instance_url}/__emulator__/{path}",
            json=payload,
            params=params,
            timeout=300,
        )
        if response.status_code >= 400:
            raise RuntimeError(
                f"emulator control {method} {path} failed: {response.status_code} {response.text}"
            )
        return response.json()

    def info(self) -> dict:
        return self._call("GET", "info")

    def reset(self) -> None:
        """Delete every record, cursor, job, fault and counter (config and sessions stay)."""
        self._call("POST", "reset")

    def seed(
        self, orders: int = 50, items_per_order: int = 3, seed: int = 1, **options: int
    ) -> dict:
        return self._call(
            "POST",
            "seed",
            {"orders": orders, "items_per_order": items_per_order, "seed": seed, **options},
        )

    def register_app(
        self,
        client_id: str,
        client_secret: str,
        callback_urls: list[str],
        name: str = "Test App",
        rotate_refresh_tokens: bool = False,
        jwt_public_key: str | None = None,
    ) -> None:
        """Add or replace a connected app (callback URLs must match exactly; `jwt_public_key`, a
        PEM public key or certificate, enables the JWT bearer flow)."""
        body = {
            "client_id": client_id,
            "client_secret": client_secret,
            "callback_urls": list(callback_urls),
            "name": name,
            "rotate_refresh_tokens": rotate_refresh_tokens,
            "jwt_public_key": jwt_public_key,
        }
        self._call("POST", "apps", body)

    def set_faults(self, *faults: dict, seed: int | None = None) -> list[dict]:
        """Replace the fault plan. Each fault: {"kind": "503"|"500"|"lock"|"drop"|"latency",
        "path": glob, "rate": 0..1, "methods": [...], "latency_ms": n, "times": n}."""
        return self._call("PUT", "faults", {"faults": list(faults), "seed": seed})["faults"]

    def add_fault(self, kind: str, path: str = "/services/*", **options: Any) -> list[dict]:
        return self._call("POST", "faults", {"kind": kind, "path": path, **options})["faults"]

    def clear_faults(self) -> None:
        self._call("DELETE", "faults")

    def expire_sessions(self) -> int:
        return self._call("POST", "expire-sessions")["expired"]

    def set_clock(self, now: datetime) -> None:
        self._call("POST", "clock", {"now": now.isoformat()})

    def advance_clock(self, delta: timedelta) -> None:
        self._call("POST", "clock", {"advance_seconds": delta.total_seconds()})

    def real_clock(self) -> None:
        self._call("POST", "clock", {"real": True})

    def now(self) -> datetime:
        return datetime.fromisoformat(self._call("GET", "clock")["now"])

    def api_calls(self, path: str | None = None, method: str | None = None) -> int:
        """REST/Bulk calls received since the last reset; `path` is a glob like `*/query*`."""
        params = {k: v for k, v in {"path": path, "method": method}.items() if v}
        return self._call("GET", "api-calls", params=params)["count"]

    def api_calls_by_path(self) -> dict[str, int]:
        return self._call("GET", "api-calls")["by_path"]

    def reset_api_calls(self) -> None:
        self._call("DELETE", "api-calls")

    def remove_field(self, sobject: str, field: str) -> None:
        """Delete a field from the org (as if deleted in Setup): describe and SOQL lose it."""
        self._call("DELETE", f"schema/{sobject}/fields/{field}")

    def set_api_usage(self, used: int) -> None:
        """Set the daily usage counter (at the limit, requests get 403 REQUEST_LIMIT_EXCEEDED)."""
        self._call("PUT", "usage", {"used": used})

    def api_usage(self) -> tuple[int, int]:
        data = self._call("GET", "usage")
        return data["used"], data["limit"]

    def settings(self, **changes: Any) -> dict:
        """Read or change tunables: session_ttl_seconds, daily_api_limit, child_inline_cap,
        bulk_job_delay_seconds, bulk_datetime_format."""
        if changes:
            response = self._control.patch(
                f"{self.instance_url}/__emulator__/settings", json=changes, timeout=30
            )
            response.raise_for_status()
            return response.json()
        return self._call("GET", "settings")

    def records(self, sobject: str, where: str | None = None, **equals: Any) -> list[dict]:
        """Every record of `sobject`, deleted ones included, shaped as REST returns them (all
        non-compound fields). Filter with a SOQL condition (`where="OrderId = '801...'"`) and/or
        `Field=value` keywords (`Status="Activated"`). Not counted as an API call."""
        if self.state is not None:
            soql = self.state.select_all(sobject, where, equals)
            return self.state.query_everything(soql, include_deleted=True)
        params = {
            k: ("true" if v is True else "false" if v is False else v) for k, v in equals.items()
        }
        if where:
            params["where"] = where
        return self._call("GET", f"records/{sobject}", params=params or None)["records"]

    def record(self, sobject: str, record_id: str) -> dict | None:
        """One record by id (deleted or not), or None."""
        if not is_valid_id(record_id):
            return None
        rows = self.records(sobject, f"Id = '{record_id}'")
        return rows[0] if rows else None

    def query(self, soql: str, *, include_deleted: bool = False) -> list[dict]:
        """All records of a SOQL query (every page), not counted as an API call."""
        if self.state is not None:
            return self.state.query_everything(soql, include_deleted=include_deleted)
        params = {"q": soql, "all": "1" if include_deleted else ""}
        return self._call("GET", "query", params=params)["records"]


@contextlib.contextmanager
def running_emulator(
    data_dir: str | Path | None = None, *, tls: bool = True, host: str = "127.0.0.1", port: int = 0,
    seed: dict | None = None,
) -> Iterator[EmulatorHandle]:  # fmt: skip
    """Start the emulator in a background thread on a free port (HTTPS by default)."""
    from .server import EmulatorServer

    with contextlib.ExitStack() as stack:
        if data_dir is None:
            data_dir = stack.enter_context(tempfile.TemporaryDirectory(prefix="sf-emulator-"))
        state = EmulatorState(data_dir)
        server = EmulatorServer(state, host, port, tls=tls)
        server.start()
        stack.callback(state.close)
        stack.callback(server.stop)
        handle = EmulatorHandle(
            instance_url=server.instance_url,
            ca_cert=str(server.ca_cert) if server.ca_cert else None,
            data_dir=Path(data_dir),
            state=state,
        )
        _fill_credentials(handle)
        if seed:
            handle.seed(**seed)
        yield handle


@contextlib.contextmanager
def emulator_subprocess(
    data_dir: str | Path,
    *,
    tls: bool = True,
    host: str = "127.0.0.1",
    port: int = 0,
    timeout: float = 30.0,
) -> Iterator[EmulatorHandle]:
    """Run `salesforce-emulator serve` as a child process (what the demo does)."""
    command = [sys.executable, "-m", "salesforce_emulator", "serve", "--host", host, "--port", str(port),
               "--data", str(data_dir), "--ready-json"]  # fmt: skip
    if not tls:
        command.append("--no-tls")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, env=env, text=True)  # noqa: S603
    try:
        line = process.stdout.readline() if process.stdout else ""
        if not line:
            raise RuntimeError("salesforce-emulator serve exited before it was ready")
        ready = json.loads(line)
        handle = EmulatorHandle(
            instance_url=ready["instance_url"],
            ca_cert=ready.get("ca_cert"),
            data_dir=Path(data_dir),
            process_id=process.pid,
        )
        _fill_credentials(handle)
        yield handle
    finally:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _fill_credentials(handle: EmulatorHandle) -> None:
    info = handle.info()
    app = info["connected_apps"][0]
    user = info["users"][0]
    handle.client_id, handle.client_secret = app["client_id"], app["client_secret"]
    handle.username, handle.password = user["username"], user["password"]
    handle.security_token = user["security_token"]
