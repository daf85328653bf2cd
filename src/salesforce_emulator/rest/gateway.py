"""ASGI middleware in front of every route: path normalising, faults, sessions, usage counting.

In order: strip trailing slashes and a `<domain>.salesforce.com` prefix (so simple-salesforce's
`domain=` login works against this host); apply injected faults; for `/services/data/vXX.X/...`
check the API version, the bearer token and the daily limit; add `Sforce-Limit-Info` to every
response outside the control plane.
"""

from __future__ import annotations

import asyncio
import re

from .. import errors
from ..config import API_VERSIONS
from ..state import EmulatorState
from .responses import JSON_TYPE, error_body

_DOMAIN_PREFIX = re.compile(r"^/[^/]+\.salesforce\.com(?=/)")
_DATA_PATH = re.compile(r"^/services/data/(v[^/]+|latest)(/.*)?$")
_CONTROL_PREFIX = "/__emulator__"


class Gateway:
    def __init__(self, app, state: EmulatorState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = _DOMAIN_PREFIX.sub("", scope["path"])
        if len(path) > 1:
            path = path.rstrip("/") or "/"
        match = _DATA_PATH.match(path)
        if match and match.group(1) == "latest":
            path = f"/services/data/v{API_VERSIONS[-1]}{match.group(2) or ''}"
            match = _DATA_PATH.match(path)
        scope = {**scope, "path": path, "raw_path": path.encode()}
        method = scope["method"]

        if path.startswith(_CONTROL_PREFIX):
            await self.app(scope, receive, send)
            return
        latency, fault = self.state.faults.pick(method, path)
        if latency:
            await asyncio.sleep(latency / 1000)
        if fault is not None:
            await self._inject(fault, path, send)
            return
        limit_header = self._limit_header

        async def send_with_limits(message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), limit_header()]}
            await send(message)

        if not match:
            await self.app(scope, receive, send_with_limits)
            return
        version = match.group(1)[1:]
        try:
            if version not in API_VERSIONS:
                raise errors.NotFound()
            session = self.state.sessions.authenticate(_bearer(scope))
            self.state.count_call(method, path)
        except errors.SalesforceError as exc:
            await _send_error(send, exc, self._limit_header())
            return
        scope["emulator.session"] = session
        scope["emulator.version"] = version
        await self.app(scope, receive, send_with_limits)

    def _limit_header(self) -> tuple[bytes, bytes]:
        used, limit = self.state.api_usage()
        return (b"sforce-limit-info", f"api-usage={used}/{limit}".encode())

    async def _inject(self, fault, path: str, send) -> None:
        kind = fault.kind
        if kind == "DROP_CONNECTION":
            # Start a response and break off mid-body: the client sees the connection drop.
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [(b"content-length", b"1000")],
                }
            )
            await send({"type": "http.response.body", "body": b"[", "more_body": True})
            return  # uvicorn closes a connection whose response was left incomplete
        exc: errors.SalesforceError
        if kind == "SERVER_UNAVAILABLE":
            exc = errors.ServerUnavailable()
        elif kind == "UNABLE_TO_LOCK_ROW":
            exc = errors.UnableToLockRow(
                "unable to obtain exclusive access to this record or 1 records: 8018d0000000001AAA"
            )
        else:
            exc = errors.UnknownException(
                "An unexpected error occurred. Please include this ErrorId if you contact support: "
                "1234567890-12345 (-1234567890)"
            )
        await _send_error(send, exc, self._limit_header())


def _bearer(scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            text = value.decode("latin-1")
            scheme, _, token = text.partition(" ")
            if scheme.lower() in ("bearer", "oauth"):
                return token.strip()
    return None


async def _send_error(send, exc: errors.SalesforceError, limit_header) -> None:
    body = error_body(exc)
    await send(
        {
            "type": "http.response.start",
            "status": exc.status,
            "headers": [
                (b"content-type", JSON_TYPE.encode()),
                (b"content-length", str(len(body)).encode()),
                limit_header,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
