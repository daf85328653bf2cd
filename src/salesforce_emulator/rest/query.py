"""Handlers for query, queryAll and their locators."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from .. import errors
from .context import state, version
from .responses import json_response


def _batch_size(request: Request) -> int | None:
    options = request.headers.get("sforce-query-options", "")
    for part in options.split(","):
        key, _, value = part.strip().partition("=")
        if key.strip().lower() == "batchsize" and value.strip().isdigit():
            return int(value.strip())
    return None


def _soql(request: Request) -> str:
    text = request.query_params.get("q")
    if not text:
        raise errors.MalformedQuery("A query string has to be specified")
    return text


async def query(request: Request) -> Response:
    result = state(request).org.queries.query(
        _soql(request), version(request), batch_size=_batch_size(request)
    )
    return json_response(result)


async def query_all(request: Request) -> Response:
    result = state(request).org.queries.query(
        _soql(request), version(request), include_deleted=True, batch_size=_batch_size(request)
    )
    return json_response(result)


async def query_more(request: Request) -> Response:
    return json_response(
        state(request).org.queries.query_more(request.path_params["locator"], version(request))
    )
