"""Handlers for versions, resources and limits."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ..config import API_VERSIONS, release_label
from .context import instance_url, state, version
from .responses import json_response


async def versions(request: Request) -> Response:
    return json_response(
        [
            {"label": release_label(v), "url": f"/services/data/v{v}", "version": v}
            for v in API_VERSIONS
        ]
    )


async def resources(request: Request) -> Response:
    base = f"/services/data/v{version(request)}"
    names = [
        "sobjects",
        "query",
        "queryAll",
        "composite",
        "limits",
        "jobs",
    ]
    data = {name: f"{base}/{name}" for name in names}
    st = state(request)
    session = request.scope["emulator.session"]
    data["identity"] = f"{instance_url(request)}/id/{st.config.org_id}/{session.user_id}"
    return json_response(data)


async def composite_resources(request: Request) -> Response:
    base = f"/services/data/v{version(request)}/composite"
    # Only what is implemented (a real org also lists batch, tree and graph).
    return json_response({"sobjects": f"{base}/sobjects"})


async def limits(request: Request) -> Response:
    st = state(request)
    used, limit = st.api_usage()
    jobs = len(st.bulk.list())
    return json_response(
        {
            "DailyApiRequests": {"Max": limit, "Remaining": max(0, limit - used)},
            "DailyBulkV2QueryJobs": {"Max": 10000, "Remaining": max(0, 10000 - jobs)},
            "DailyBulkV2QueryFileStorageMB": {"Max": 976562, "Remaining": 976562},
            "DailyBulkApiBatches": {"Max": 15000, "Remaining": 15000},
            "DataStorageMB": {"Max": 1024, "Remaining": 1024},
            "ConcurrentAsyncGetReportInstances": {"Max": 200, "Remaining": 200},
        }
    )
