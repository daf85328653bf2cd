"""The ASGI application: routes from `rest/routes.py`, error rendering, and the gateway middleware."""

from __future__ import annotations

import logging

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from . import errors
from .auth.oauth import OAuthError, oauth_error_response
from .rest.gateway import Gateway
from .rest.responses import render_error
from .rest.routes import starlette_routes
from .state import EmulatorState

log = logging.getLogger("salesforce_emulator")


def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        allowed = exc.headers.get("Allow", "") if exc.headers else ""
        return render_error(
            request,
            errors.MethodNotAllowed(
                f"HTTP Method '{request.method}' not allowed. Allowed are {allowed}"
            ),
        )
    return render_error(request, errors.NotFound())


def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error in %s %s", request.method, request.url.path, exc_info=exc)
    return render_error(
        request, errors.UnknownException(f"An unexpected error occurred: {type(exc).__name__}")
    )


def create_app(state: EmulatorState):
    """The emulator as an ASGI app bound to `state`."""
    app = Starlette(
        routes=starlette_routes(),
        exception_handlers={
            errors.SalesforceError: render_error,
            OAuthError: oauth_error_response,
            HTTPException: _http_error,
            Exception: _unexpected,
        },
    )
    app.state.emulator = state
    return Gateway(app, state)
