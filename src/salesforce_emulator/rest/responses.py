"""JSON responses and the one renderer of Salesforce errors."""

from __future__ import annotations

import json

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from .. import errors

JSON_TYPE = "application/json;charset=UTF-8"


_ENCODER = msgspec.json.Encoder()


def dumps(data: object) -> bytes:
    """Compact UTF-8 JSON (msgspec: result pages are large and this is the hot path)."""
    return _ENCODER.encode(data)


def json_response(data: object, status: int = 200, headers: dict | None = None) -> Response:
    return Response(dumps(data), status_code=status, media_type=JSON_TYPE, headers=headers)


def error_body(exc: errors.SalesforceError) -> bytes:
    return dumps([exc.as_error()])


def render_error(request: Request | None, exc: Exception) -> Response:
    """Every SalesforceError becomes `[{"message", "errorCode", "fields"}]` with its status."""
    assert isinstance(exc, errors.SalesforceError)
    return Response(error_body(exc), status_code=exc.status, media_type=JSON_TYPE)


async def read_json(request: Request) -> object:
    body = await request.body()
    if not body:
        raise errors.JsonParserError("The request body is empty.")
    try:
        return json.loads(body)
    except ValueError as exc:
        raise errors.JsonParserError(
            f"Unexpected character: was expecting a JSON value at [line:{exc.lineno}, column:{exc.colno}]"
        ) from None
