"""Form bodies and HTTP Basic credentials (without a multipart dependency)."""

from __future__ import annotations

import base64
from urllib.parse import parse_qsl

from starlette.requests import Request


async def form(request: Request) -> dict[str, str]:
    body = (await request.body()).decode("utf-8", "replace")
    data = dict(parse_qsl(body, keep_blank_values=True))
    for key, value in request.query_params.items():
        data.setdefault(key, value)
    return data


def basic_credentials(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        user, _, password = base64.b64decode(encoded).decode("utf-8").partition(":")
    except ValueError:
        return None
    return user, password
