"""The OpenAPI docs at /api/v2/docs work offline: no CDN, assets served from the package."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "/api/v2/test": {"get"},
    "/api/v2/store": {"get"},
    "/api/v2/orders": {"get", "post"},
    "/api/v2/orders/{order_id}": {"get", "put", "delete"},
    "/api/v2/orders/{order_id}/order-history": {"post"},
    "/api/v2/orders/{order_id}/order-items": {"get", "post"},
    "/api/v2/orders/{order_id}/order-items/{item_id}": {"get", "put", "delete"},
    "/api/v2/orders/{order_id}/shipments": {"get", "post"},
    "/api/v2/orders/{order_id}/shipments/{shipment_id}": {"get", "put", "delete"},
    "/api/v2/batch-shipments": {"post"},
    "/api/v2/move-orders": {"post"},
}


def test_docs_page_uses_only_local_assets():
    client = Client()
    page = client.get("/api/v2/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "cdn." not in html and "jsdelivr" not in html and "unpkg" not in html
    assert '"validatorUrl": null' in html  # no badge fetched from swagger.io
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, html
    assert not [a for a in assets if a.startswith(("http:", "https:", "//"))]
    for asset in assets:
        if asset.endswith((".js", ".css")):
            assert client.get(asset).status_code == 200, asset


def test_openapi_schema_lists_every_endpoint():
    schema = Client().get("/api/v2/openapi.json").json()
    paths = {path: set(ops) for path, ops in schema["paths"].items()}
    assert paths == ENDPOINTS
    schemes = schema["components"]["securitySchemes"]
    assert sorted((s["in"], s["name"]) for s in schemes.values()) == [
        ("header", "ORDERDESK-API-KEY"),
        ("header", "ORDERDESK-STORE-ID"),
    ]
    # Both headers at once (one requirement object), on every operation.
    test_security = schema["paths"]["/api/v2/test"]["get"]["security"]
    assert [sorted(requirement) for requirement in test_security] == [sorted(schemes)]
    list_params = {p["name"] for p in schema["paths"]["/api/v2/orders"]["get"]["parameters"]}
    assert {"folder_id", "search_start_date_local", "limit", "order_by"} <= list_params
