"""Handlers for sObject describe, record CRUD, and the updated/deleted replication calls."""

from __future__ import annotations

from datetime import UTC, timedelta
from email.utils import format_datetime as format_datetime_http
from email.utils import parsedate_to_datetime

from starlette.requests import Request
from starlette.responses import Response

from .. import errors
from ..clock import format_datetime, from_epoch_ms, parse_datetime, to_epoch_ms
from ..schema.describe import describe_global, global_entry
from ..schema.describe import describe_sobject as describe_result
from .context import session, state, version
from .responses import json_response, read_json


def _object(request: Request):
    return state(request).org.object(request.path_params["sobject"])


def _not_modified(request: Request) -> bool:
    """If-Modified-Since on describe: 304 when the schema has not changed since (it is loaded once)."""
    header = request.headers.get("if-modified-since")
    if not header:
        return False
    try:
        since = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return False
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return state(request).schema_loaded_at.replace(microsecond=0) <= since


def _schema_headers(request: Request) -> dict:
    return {"Last-Modified": format_datetime_http(state(request).schema_loaded_at, usegmt=True)}


async def describe_global_sobjects(request: Request) -> Response:
    if _not_modified(request):
        return Response(status_code=304)
    body = describe_global(state(request).schema, version(request))
    return json_response(body, headers=_schema_headers(request))


async def describe_sobject(request: Request) -> Response:
    obj = _object(request)
    if _not_modified(request):
        return Response(status_code=304)
    body = describe_result(state(request).schema, obj, version(request))
    return json_response(body, headers=_schema_headers(request))


async def sobject_basic_info(request: Request) -> Response:
    obj = _object(request)
    return json_response({"objectDescribe": global_entry(obj, version(request)), "recentItems": []})


async def create_record(request: Request) -> Response:
    st = state(request)
    obj = _object(request)
    data = await read_json(request)
    record_id = st.org.create(obj.name, data, user_id=session(request).user_id)
    return json_response(
        {"id": record_id, "success": True, "errors": []},
        status=201,
        headers={"Location": f"/services/data/v{version(request)}/sobjects/{obj.name}/{record_id}"},
    )


async def get_record(request: Request) -> Response:
    st = state(request)
    obj = _object(request)
    record_id = request.path_params["record_id"]
    fields = request.query_params.get("fields")
    with st.org.lock:
        row = st.org.live_row(obj, record_id)
        body = st.org.record_json(obj, row, version(request), fields.split(",") if fields else None)
    modified = from_epoch_ms(row["LastModifiedDate"])
    return json_response(
        body, headers={"Last-Modified": format_datetime_http(modified, usegmt=True)}
    )


async def update_record(request: Request) -> Response:
    st = state(request)
    obj = _object(request)
    data = await read_json(request)
    st.org.update(
        obj.name, request.path_params["record_id"], data, user_id=session(request).user_id
    )
    return Response(status_code=204)


async def delete_record(request: Request) -> Response:
    st = state(request)
    obj = _object(request)
    st.org.delete(obj.name, request.path_params["record_id"])
    return Response(status_code=204)


def _window(request: Request, max_days: int) -> tuple[int, int]:
    try:
        start = to_epoch_ms(parse_datetime(request.query_params["start"]))
        end = to_epoch_ms(parse_datetime(request.query_params["end"]))
    except (KeyError, ValueError):
        raise errors.InvalidReplicationDate("start and end must be valid dateTime values") from None
    if end < start:
        raise errors.InvalidReplicationDate("end date cannot be before start date")
    now = state(request).clock.now_ms()
    end = min(end, now)
    if end - start > timedelta(days=max_days).total_seconds() * 1000:
        raise errors.InvalidReplicationDate(f"the date range cannot exceed {max_days} days")
    return start, end


async def get_updated(request: Request) -> Response:
    st = state(request)
    obj = _object(request)
    start, end = _window(request, 30)
    ids = st.org.updated_ids(obj.name, start, end)
    if len(ids) > 600_000:
        raise errors.ExceededIdLimit("too many ids; narrow the date range")
    return json_response({"ids": ids, "latestDateCovered": format_datetime(end)})


async def get_deleted(request: Request) -> Response:
    st = state(request)
    obj = _object(request)
    start, end = _window(request, 15)
    deleted = st.org.deleted_records(obj.name, start, end)
    earliest = min((d for _, d in deleted), default=start)
    return json_response(
        {
            "deletedRecords": [{"id": i, "deletedDate": format_datetime(d)} for i, d in deleted],
            "earliestDateAvailable": format_datetime(earliest),
            "latestDateCovered": format_datetime(end),
        }
    )


def _multiple(request: Request, obj, ids: list[str]) -> Response:
    base = f"/services/data/v{version(request)}/sobjects/{obj.name}"
    return json_response([f"{base}/{i}" for i in ids], status=300)


def _by_external_id(request: Request, obj) -> str | Response:
    """The one record id matching the URL's external id, or the 300 response listing several."""
    ids = state(request).org.ids_by_external_id(
        obj.name, request.path_params["field"], request.path_params["value"]
    )
    if not ids:
        raise errors.NotFound()
    return _multiple(request, obj, ids) if len(ids) > 1 else ids[0]


async def get_record_by_external_id(request: Request) -> Response:
    st = state(request)
    obj = _object(request)
    found = _by_external_id(request, obj)
    if isinstance(found, Response):
        return found
    with st.org.lock:
        row = st.org.live_row(obj, found)
        fields = request.query_params.get("fields")
        return json_response(
            st.org.record_json(obj, row, version(request), fields.split(",") if fields else None)
        )


async def upsert_record(request: Request) -> Response:
    st = state(request)
    obj = _object(request)
    data = await read_json(request)
    if not isinstance(data, dict):
        raise errors.JsonParserError(
            "Cannot deserialize instance of sObject from a non-object value"
        )
    outcome = st.org.upsert(
        obj.name,
        request.path_params["field"],
        request.path_params["value"],
        data,
        user_id=session(request).user_id,
    )
    if isinstance(outcome, list):
        return _multiple(request, obj, outcome)
    record_id, created = outcome
    body = {"id": record_id, "success": True, "errors": [], "created": created}
    return json_response(body, status=201 if created else 200)


async def delete_record_by_external_id(request: Request) -> Response:
    obj = _object(request)
    found = _by_external_id(request, obj)
    if isinstance(found, Response):
        return found
    state(request).org.delete(obj.name, found)
    return Response(status_code=204)
