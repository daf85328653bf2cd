"""Order Desk's response envelope: status, message, execution_time and the payload key."""

from __future__ import annotations

import time
from typing import Any

from django.http import HttpRequest

STARTED_AT = "_orderhub_api_started"


def mark_start(request: HttpRequest) -> None:
    setattr(request, STARTED_AT, time.perf_counter())


def execution_time(request: HttpRequest) -> str:
    started = getattr(request, STARTED_AT, None)
    elapsed = time.perf_counter() - started if started is not None else 0.0
    return f"{elapsed:.4f} seconds"


def success(request: HttpRequest, message: str | None = None, **payload: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"status": "success"}
    if message is not None:
        body["message"] = message
    body["execution_time"] = execution_time(request)
    body.update(payload)
    return body


def listing(
    request: HttpRequest,
    key: str,
    records: list[dict[str, Any]],
    *,
    total: int,
    offset: int | None = None,
    limit: int | None = None,
) -> dict[str, Any]:
    """A list answer: total_records, records_returned (and offset/limit when paged)."""
    body = success(request, total_records=total, records_returned=len(records))
    if offset is not None:
        body["offset"] = offset
    if limit is not None:
        body["limit"] = limit
    body[key] = records
    return body


def error(request: HttpRequest, message: str) -> dict[str, Any]:
    return {"status": "error", "message": message, "execution_time": execution_time(request)}
