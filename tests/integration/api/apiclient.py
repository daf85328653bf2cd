"""A test client that speaks Order Desk's headers and JSON, and a sample order."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

API = "/api/v2"


class ApiClient:
    """Django's test client speaking Order Desk's headers and JSON."""

    def __init__(self, store_id: int | str, key: str) -> None:
        self.client = Client()
        self.headers = {"ORDERDESK-STORE-ID": str(store_id), "ORDERDESK-API-KEY": key}

    def request(self, method: str, path: str, body: Any = None, **kwargs):
        headers = {**self.headers, **kwargs.pop("headers", {})}
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        call = getattr(self.client, method.lower())
        if method == "GET":
            return call(API + path, kwargs.pop("params", None), headers=headers)
        return call(
            API + path,
            data if body is not None else None,
            content_type="application/json",
            headers=headers,
        )

    def get(self, path: str, params: dict | None = None, **kw):
        return self.request("GET", path, params=params, **kw)

    def post(self, path: str, body: Any = None, **kw):
        return self.request("POST", path, body, **kw)

    def put(self, path: str, body: Any = None, **kw):
        return self.request("PUT", path, body, **kw)

    def delete(self, path: str, **kw):
        return self.request("DELETE", path, **kw)


def order_json(**overrides) -> dict[str, Any]:
    """A small valid order as a client would post it."""
    data: dict[str, Any] = {
        "email": "jimmy@example.com",
        "shipping": {"first_name": "Jimmy", "last_name": "Dean", "country": "US"},
        "order_items": [{"name": "Crazy Glue", "price": "10", "quantity": 2, "weight": 1}],
    }
    data.update(overrides)
    return data
