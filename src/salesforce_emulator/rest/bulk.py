"""Handlers for Bulk API 2.0 query jobs (`jobs/query`)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from .. import errors
from .context import session, state, version
from .responses import json_response, read_json


async def bulk2_create_query_job(request: Request) -> Response:
    body = await read_json(request)
    if not isinstance(body, dict):
        raise errors.JsonParserError("The request body must be a JSON object.")
    job = state(request).bulk.create(body, version(request), session(request).user_id)
    return json_response(job.info())


async def bulk2_get_query_job(request: Request) -> Response:
    return json_response(state(request).bulk.get(request.path_params["job_id"]).full_info())


async def bulk2_list_query_jobs(request: Request) -> Response:
    jobs = [job.info() for job in state(request).bulk.list()]
    return json_response({"done": True, "records": jobs, "nextRecordsUrl": None})


async def bulk2_abort_query_job(request: Request) -> Response:
    body = await read_json(request)
    if not isinstance(body, dict) or body.get("state") != "Aborted":
        raise errors.InvalidJobState("The only state a query job can be set to is Aborted")
    return json_response(state(request).bulk.abort(request.path_params["job_id"]).info())


async def bulk2_delete_query_job(request: Request) -> Response:
    state(request).bulk.delete(request.path_params["job_id"])
    return Response(status_code=204)


async def bulk2_get_query_results(request: Request) -> Response:
    max_records = request.query_params.get("maxRecords")
    text, count, locator = state(request).bulk.results(
        request.path_params["job_id"],
        request.query_params.get("locator"),
        int(max_records) if max_records and max_records.isdigit() else None,
    )
    return Response(
        text.encode("utf-8"),
        media_type="text/csv",
        headers={"Sforce-NumberOfRecords": str(count), "Sforce-Locator": locator},
    )
