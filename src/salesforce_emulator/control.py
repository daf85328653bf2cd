"""Handlers for the control plane under `/__emulator__/` (reset, seed, faults, clock, counters, apps)."""

from __future__ import annotations

from datetime import datetime, timedelta

from starlette.requests import Request
from starlette.responses import Response

from . import errors
from .clock import parse_datetime
from .config import ConnectedApp
from .faults import Fault
from .rest.context import instance_url, state
from .rest.responses import json_response, read_json


async def _body(request: Request) -> dict:
    if not await request.body():
        return {}
    data = await read_json(request)
    if not isinstance(data, dict):
        raise errors.JsonParserError("expected a JSON object")
    return data


async def control_info(request: Request) -> Response:
    st = state(request)
    ca = st.data_dir / "tls" / "ca.pem"
    return json_response(
        st.instance_info(instance_url(request), str(ca.resolve()) if ca.exists() else None)
    )


async def control_reset(request: Request) -> Response:
    state(request).reset()
    return json_response({"reset": True})


async def control_seed(request: Request) -> Response:
    body = await _body(request)
    allowed = {
        "orders",
        "items_per_order",
        "seed",
        "accounts",
        "products",
        "opportunities",
        "sales_orders",
    }
    options = {k: int(v) for k, v in body.items() if k in allowed}
    return json_response(state(request).seed(**options))


async def control_faults(request: Request) -> Response:
    st = state(request)
    if request.method == "DELETE":
        st.faults.clear()
    elif request.method in ("PUT", "POST"):
        body = await _body(request)
        try:
            faults = [Fault(**f) for f in body.get("faults", [body] if "kind" in body else [])]
        except (TypeError, ValueError) as exc:
            raise errors.JsonParserError(str(exc)) from None
        if request.method == "PUT":
            st.faults.set(faults, body.get("seed"))
        else:
            for fault in faults:
                st.faults.add(fault)
    return json_response({"faults": [f.to_json() for f in st.faults.list()]})


async def control_clock(request: Request) -> Response:
    st = state(request)
    if request.method == "POST":
        body = await _body(request)
        if body.get("real"):
            st.clock.unfreeze()
        elif "now" in body:
            st.clock.set(parse_datetime(body["now"]))
        elif "advance_seconds" in body:
            st.clock.advance(timedelta(seconds=float(body["advance_seconds"])))
    now: datetime = st.clock.now()
    return json_response({"now": now.isoformat(), "frozen": st.clock.frozen})


async def control_expire_sessions(request: Request) -> Response:
    return json_response({"expired": state(request).sessions.expire_all()})


async def control_usage(request: Request) -> Response:
    st = state(request)
    if request.method == "PUT":
        st.set_api_usage(int((await _body(request)).get("used", 0)))
    used, limit = st.api_usage()
    return json_response({"used": used, "limit": limit})


async def control_api_calls(request: Request) -> Response:
    st = state(request)
    if request.method == "DELETE":
        st.reset_api_calls()
    path = request.query_params.get("path")
    method = request.query_params.get("method")
    return json_response({"count": st.api_calls(path, method), "by_path": st.api_calls_by_path()})


async def control_apps(request: Request) -> Response:
    st = state(request)
    if request.method == "POST":
        body = await _body(request)
        try:
            app = ConnectedApp(
                client_id=body["client_id"],
                client_secret=body["client_secret"],
                callback_urls=list(body.get("callback_urls", [])),
                name=body.get("name", "Connected App"),
                rotate_refresh_tokens=bool(body.get("rotate_refresh_tokens", False)),
                jwt_public_key=body.get("jwt_public_key"),
            )
        except KeyError as exc:
            raise errors.RequiredFieldMissing(
                f"Required fields are missing: [{exc.args[0]}]"
            ) from None
        st.config.put_app(app)
        st.save_config()
    return json_response({"connected_apps": [a.__dict__ for a in st.config.connected_apps]})


async def control_settings(request: Request) -> Response:
    st = state(request)
    body = await _body(request) if request.method == "PATCH" else {}
    try:
        return json_response(st.apply_settings(**body))
    except ValueError as exc:
        raise errors.JsonParserError(str(exc)) from None


async def control_records(request: Request) -> Response:
    """Every record of one object (deleted ones too), filtered by a SOQL `where` and/or
    `Field=value` query parameters."""
    st = state(request)
    equals = {k: v for k, v in request.query_params.items() if k != "where"}
    soql = st.select_all(request.path_params["sobject"], request.query_params.get("where"), equals)
    return json_response({"records": st.query_everything(soql, include_deleted=True)})


async def control_query(request: Request) -> Response:
    """All pages of a SOQL query at once, for assertions; not counted as an API call."""
    st = state(request)
    include_deleted = request.query_params.get("all", "").lower() in ("1", "true")
    soql = request.query_params.get("q") or ""
    return json_response({"records": st.query_everything(soql, include_deleted=include_deleted)})


async def control_remove_field(request: Request) -> Response:
    """Delete a field from the schema (a field deleted in Setup), for schema-drift tests."""
    st = state(request)
    st.remove_field(request.path_params["sobject"], request.path_params["field"])
    return json_response(
        {"removed": f"{request.path_params['sobject']}.{request.path_params['field']}"}
    )
