"""Handlers for sObject Collections (`composite/sobjects`) and Composite (`composite`)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from starlette.requests import Request
from starlette.responses import Response

from .. import errors
from ..ids import to_18
from ..state import EmulatorState
from .context import session, state, version
from .responses import json_response, read_json

MAX_COLLECTION = 200
MAX_SUBREQUESTS = 25
_REFERENCE = re.compile(r"@\{([A-Za-z0-9_]+)\.([^}]+)\}")


class _RollBack(Exception):
    """Raised inside a transaction to undo it while keeping the per-record results."""


def _records(body: object) -> tuple[list, bool]:
    if not isinstance(body, dict) or not isinstance(body.get("records"), list):
        raise errors.JsonParserError("The request body must be an object with a records array.")
    records = body["records"]
    if len(records) > MAX_COLLECTION:
        raise errors.ExceededIdLimit(
            f"record limit reached. cannot submit more than {MAX_COLLECTION} records into this call"
        )
    return records, bool(body.get("allOrNone", False))


def _apply(st: EmulatorState, items: list, all_or_none: bool, action) -> list[dict]:
    """Run `action(item) -> id` for each item, each in its own savepoint; roll all back if asked."""
    results: list[dict] = []
    failed = False
    try:
        with st.org.transaction():
            for item in items:
                try:
                    with st.org.transaction():
                        record_id = action(item)
                    results.append({"id": record_id, "success": True, "errors": []})
                except errors.SalesforceError as exc:
                    failed = True
                    entry: dict = {"success": False, "errors": [exc.as_status()]}
                    known = item.get("id") if isinstance(item, dict) else item
                    if isinstance(known, str):
                        entry = {"id": known, **entry}
                    results.append(entry)
            if failed and all_or_none:
                raise _RollBack()
    except _RollBack:
        rolled = errors.AllOrNoneOperationRolledBack().as_status()
        results = [
            r if not r["success"] else {"id": r["id"], "success": False, "errors": [rolled]}
            for r in results
        ]
    return results


def _type_of(record: dict) -> str:
    attributes = record.get("attributes") if isinstance(record, dict) else None
    if not isinstance(attributes, dict) or not attributes.get("type"):
        raise errors.InvalidType("No SObject Type defined in attributes", [])
    return attributes["type"]


async def composite_sobjects_create(request: Request) -> Response:
    st = state(request)
    records, all_or_none = _records(await read_json(request))
    user_id = session(request).user_id

    def create(record):
        if isinstance(record, dict) and ("id" in record or "Id" in record):
            raise errors.InvalidField("Can't create records with an id", ["Id"])
        return st.org.create(_type_of(record), record, user_id=user_id)

    return json_response(_apply(st, records, all_or_none, create))


async def composite_sobjects_update(request: Request) -> Response:
    st = state(request)
    records, all_or_none = _records(await read_json(request))
    user_id = session(request).user_id

    def update(record):
        record_id = record.get("id") or record.get("Id") if isinstance(record, dict) else None
        if not record_id:
            raise errors.MalformedId("Id not specified in an update call", ["Id"])
        fields = {k: v for k, v in record.items() if k not in ("id", "Id")}
        st.org.update(_type_of(record), record_id, fields, user_id=user_id)
        return _normal(record_id)

    return json_response(_apply(st, records, all_or_none, update))


def _normal(record_id: str) -> str:
    return to_18(record_id)


async def composite_sobjects_delete(request: Request) -> Response:
    st = state(request)
    ids = [i for i in request.query_params.get("ids", "").split(",") if i]
    if len(ids) > MAX_COLLECTION:
        raise errors.ExceededIdLimit(
            f"cannot delete more than {MAX_COLLECTION} records in one call"
        )
    all_or_none = request.query_params.get("allOrNone", "false").lower() == "true"

    def delete(record_id):
        obj = st.schema.object_for_id(record_id)
        if obj is None:
            raise errors.MalformedId(f"malformed id {record_id}", ["Id"])
        st.org.delete(obj.name, record_id)
        return _normal(record_id)

    return json_response(_apply(st, ids, all_or_none, delete))


async def composite_sobjects_retrieve(request: Request) -> Response:
    st = state(request)
    obj = st.org.object(request.path_params["sobject"])
    if request.method == "POST":
        body = await read_json(request)
        ids, fields = body.get("ids", []), body.get("fields", [])
    else:
        ids = [i for i in request.query_params.get("ids", "").split(",") if i]
        fields = [f for f in request.query_params.get("fields", "").split(",") if f]
    if not fields:
        raise errors.MalformedQuery("fields is required", ["fields"])
    out = []
    with st.org.lock:
        for record_id in ids:
            try:
                row = st.org.live_row(obj, record_id)
            except errors.SalesforceError:
                out.append(None)
                continue
            out.append(st.org.record_json(obj, row, version(request), fields))
    return json_response(out)


# -- Composite ---------------------------------------------------------------------------------


def _resolve(value, results: dict):
    """Replace `@{ref.path}` references with values from earlier subresponses."""
    if isinstance(value, str):

        def lookup(m):
            node = results.get(m.group(1))
            if node is None:
                raise errors.ProcessingHalted(
                    f"Invalid reference specified. No value for {m.group(0)} found"
                )
            for part in re.findall(r"[^.\[\]]+", m.group(2)):
                node = node[int(part)] if isinstance(node, list) else (node or {}).get(part)
            if node is None:
                raise errors.ProcessingHalted(
                    f"Invalid reference specified. No value for {m.group(0)} found"
                )
            return str(node)

        return _REFERENCE.sub(lookup, value)
    if isinstance(value, dict):
        return {k: _resolve(v, results) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, results) for v in value]
    return value


def _subrequest(
    st: EmulatorState, sub: dict, api_version: str, user_id: str
) -> tuple[int, object, dict]:
    method = str(sub.get("method", "GET")).upper()
    url = urlsplit(sub.get("url", ""))
    # Composite URLs are /services/data/vXX.X/...; batch URLs are vXX.X/... .
    path = re.sub(r"^(/?services/data)?/?v[0-9.]+/", "", url.path).strip("/")
    parts = path.split("/")
    body = sub.get("body")
    if parts[0] == "sobjects" and len(parts) == 2 and method == "POST":
        record_id = st.org.create(parts[1], body or {}, user_id=user_id)
        location = (
            f"/services/data/v{api_version}/sobjects/{st.org.object(parts[1]).name}/{record_id}"
        )
        return 201, {"id": record_id, "success": True, "errors": []}, {"Location": location}
    if parts[0] == "sobjects" and len(parts) == 3 and parts[2] != "describe":
        obj = st.org.object(parts[1])
        if method == "GET":
            with st.org.lock:
                row = st.org.live_row(obj, parts[2])
                fields = parse_qs(url.query).get("fields", [""])[0]
                return (
                    200,
                    st.org.record_json(
                        obj, row, api_version, fields.split(",") if fields else None
                    ),
                    {},
                )
        if method == "PATCH":
            st.org.update(obj.name, parts[2], body or {}, user_id=user_id)
            return 204, None, {}
        if method == "DELETE":
            st.org.delete(obj.name, parts[2])
            return 204, None, {}
    if parts[0] in ("query", "queryAll") and method == "GET":
        soql = parse_qs(url.query).get("q", [""])[0]
        result = st.org.queries.query(soql, api_version, include_deleted=parts[0] == "queryAll")
        return 200, result, {}
    raise errors.NotFound(f"The requested resource does not exist: {method} {url.path}")


async def composite(request: Request) -> Response:
    st = state(request)
    body = await read_json(request)
    subs = body.get("compositeRequest") if isinstance(body, dict) else None
    if not isinstance(subs, list) or not subs:
        raise errors.JsonParserError("compositeRequest is required")
    if len(subs) > MAX_SUBREQUESTS:
        raise errors.ApiError(
            f"Composite request may contain at most {MAX_SUBREQUESTS} subrequests"
        )
    all_or_none = bool(body.get("allOrNone", False))
    api_version, user_id = version(request), session(request).user_id
    responses: list[dict] = []
    by_reference: dict = {}
    failed = False
    halted = [errors.ProcessingHalted().as_error()]
    try:
        with st.org.transaction():
            for sub in subs:
                ref = sub.get("referenceId")
                if failed and all_or_none:
                    responses.append(
                        {
                            "body": halted,
                            "httpHeaders": {},
                            "httpStatusCode": 400,
                            "referenceId": ref,
                        }
                    )
                    continue
                try:
                    with st.org.transaction():
                        resolved = _resolve(sub, by_reference)
                        status, result, headers = _subrequest(st, resolved, api_version, user_id)
                    by_reference[ref] = result
                except errors.SalesforceError as exc:
                    failed = True
                    status, result, headers = exc.status, [exc.as_error()], {}
                responses.append(
                    {
                        "body": result,
                        "httpHeaders": headers,
                        "httpStatusCode": status,
                        "referenceId": ref,
                    }
                )
            if failed and all_or_none:
                raise _RollBack()
    except _RollBack:
        responses = [
            r
            if r["httpStatusCode"] >= 400
            else {**r, "body": halted, "httpHeaders": {}, "httpStatusCode": 400}
            for r in responses
        ]
    return json_response({"compositeResponse": responses})


# -- sObject Tree ------------------------------------------------------------------------------


def _count_tree(records: list) -> int:
    total = 0
    for record in records:
        total += 1
        if isinstance(record, dict):
            for value in record.values():
                if isinstance(value, dict) and isinstance(value.get("records"), list):
                    total += _count_tree(value["records"])
    return total


def _create_tree(st: EmulatorState, type_name: str, records: list, parent: tuple[str, str] | None,
                 user_id: str, results: list) -> None:  # fmt: skip
    """Create records and, depth first, their child relationship records; fill `results`."""
    obj = st.org.object(type_name)
    for record in records:
        attributes = record.get("attributes") or {}
        reference = attributes.get("referenceId")
        if attributes.get("type", obj.name).lower() != obj.name.lower():
            raise errors.InvalidType(f"Expected {obj.name}, got {attributes.get('type')}", [])
        fields, children = {}, []
        for key, value in record.items():
            if key == "attributes":
                continue
            rel = obj.child_relationship(key) if isinstance(value, dict) else None
            if rel is not None:
                children.append((rel, value.get("records", [])))
            else:
                fields[key] = value
        if parent is not None:
            fields[parent[0]] = parent[1]
        try:
            record_id = st.org.create(obj.name, fields, user_id=user_id)
        except errors.SalesforceError as exc:
            results.append({"referenceId": reference, "errors": [exc.as_status()]})
            raise
        results.append({"referenceId": reference, "id": record_id})
        for rel, child_records in children:
            _create_tree(
                st, rel.child_object, child_records, (rel.field, record_id), user_id, results
            )


async def composite_tree(request: Request) -> Response:
    st = state(request)
    body = await read_json(request)
    records = body.get("records") if isinstance(body, dict) else None
    if not isinstance(records, list):
        raise errors.JsonParserError("The request body must be an object with a records array.")
    if _count_tree(records) > MAX_COLLECTION:
        raise errors.ExceededIdLimit(f"A tree request may contain at most {MAX_COLLECTION} records")
    results: list[dict] = []
    try:
        with st.org.transaction():
            _create_tree(
                st, request.path_params["sobject"], records, None, session(request).user_id, results
            )
    except errors.SalesforceError:
        failed = [r for r in results if "errors" in r]
        return json_response({"hasErrors": True, "results": failed}, status=400)
    return json_response({"hasErrors": False, "results": results}, status=201)


# -- Composite Batch ---------------------------------------------------------------------------


async def composite_batch(request: Request) -> Response:
    """Independent subrequests (not one transaction); `haltOnError` answers the rest with 412."""
    st = state(request)
    body = await read_json(request)
    subs = body.get("batchRequests") if isinstance(body, dict) else None
    if not isinstance(subs, list) or not subs:
        raise errors.JsonParserError("batchRequests is required")
    if len(subs) > MAX_SUBREQUESTS:
        raise errors.ApiError(f"A batch may contain at most {MAX_SUBREQUESTS} subrequests")
    halt = bool(body.get("haltOnError", False))
    api_version, user_id = version(request), session(request).user_id
    results: list[dict] = []
    failed = False
    for sub in subs:
        if failed and halt:
            halted = [
                {
                    "errorCode": "BATCH_PROCESSING_HALTED",
                    "message": "Batch processing halted per request",
                }
            ]
            results.append({"statusCode": 412, "result": halted})
            continue
        request_like = {
            "method": sub.get("method", "GET"),
            "url": sub.get("url", ""),
            "body": sub.get("richInput"),
        }
        try:
            with st.org.transaction():
                status, result, _ = _subrequest(st, request_like, api_version, user_id)
        except errors.SalesforceError as exc:
            failed = True
            status, result = exc.status, [exc.as_error()]
        results.append({"statusCode": status, "result": result})
    return json_response({"hasErrors": failed, "results": results})
