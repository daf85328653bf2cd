"""What the API needs around Django's view dispatch, for paths under /api/.

- `X-HTTP-Method-Override`: Order Desk's docs send PUT and DELETE as POST plus this header,
  so the method must change before URL dispatch picks the view.
- The clock for `execution_time` starts here.
- `X-Tokens-Remaining` goes on every response of an authenticated request.
- Django's own 404/405 pages become the JSON error envelope.
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse

from orderhub.api import envelope
from orderhub.api.auth import TOKENS_ATTRIBUTE

API_PREFIX = "/api/"
OVERRIDABLE = {"PUT", "DELETE", "PATCH"}


class ApiMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        envelope.mark_start(request)
        override = request.headers.get("X-HTTP-Method-Override", "").strip().upper()
        if request.method == "POST" and override in OVERRIDABLE:
            request.method = override
        response = self.get_response(request)
        tokens = getattr(request, TOKENS_ATTRIBUTE, None)
        if tokens is not None:
            response["X-Tokens-Remaining"] = str(tokens)
        if response.status_code in (404, 405) and not _is_json(response):
            message = "Not found" if response.status_code == 404 else "Method not allowed"
            allow = response.get("Allow")
            body = envelope.error(request, message)
            response = HttpResponse(
                json.dumps(body), status=response.status_code, content_type="application/json"
            )
            if allow:
                response["Allow"] = allow
        return response


def _is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith("application/json")
