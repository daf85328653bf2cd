"""What a handler needs from a request: the emulator state, API version and session."""

from __future__ import annotations

from starlette.requests import Request

from ..auth.sessions import Session
from ..state import EmulatorState


def state(request: Request) -> EmulatorState:
    return request.app.state.emulator


def version(request: Request) -> str:
    return request.scope.get("emulator.version") or request.path_params.get(
        "version", "59.0"
    ).lstrip("v")


def session(request: Request) -> Session:
    return request.scope["emulator.session"]


def instance_url(request: Request) -> str:
    host = request.headers.get("host") or f"{request.url.hostname}:{request.url.port}"
    return f"{request.url.scheme}://{host}"
