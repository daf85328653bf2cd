"""Authentication: both headers, the store's current key; 401 in the error envelope."""

from __future__ import annotations

import pytest

from integration.api.apiclient import ApiClient, order_json
from orderhub.orders.models import Order
from orderhub.stores.services import regenerate_api_key

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, "Missing header: ORDERDESK-STORE-ID, ORDERDESK-API-KEY"),
        ({"ORDERDESK-STORE-ID": "{store}"}, "Missing header: ORDERDESK-API-KEY"),
        ({"ORDERDESK-API-KEY": "{key}"}, "Missing header: ORDERDESK-STORE-ID"),
        ({"ORDERDESK-STORE-ID": "{store}", "ORDERDESK-API-KEY": "wrong"}, "Invalid"),
        ({"ORDERDESK-STORE-ID": "999999", "ORDERDESK-API-KEY": "{key}"}, "Invalid"),
        ({"ORDERDESK-STORE-ID": "abc", "ORDERDESK-API-KEY": "{key}"}, "Invalid"),
        ({"ORDERDESK-STORE-ID": "{other}", "ORDERDESK-API-KEY": "{key}"}, "Invalid"),
    ],
)
def test_missing_or_wrong_credentials_are_401(api, store, other_store, headers, message):
    regenerate_api_key(other_store, actor=None)
    values = {"store": store.id, "key": api.headers["ORDERDESK-API-KEY"], "other": other_store.id}
    client = ApiClient(0, "")
    client.headers = {name: value.format(**values) for name, value in headers.items()}
    for method, path in (("GET", "/test"), ("GET", "/orders"), ("POST", "/orders")):
        response = client.request(method, path, order_json() if method == "POST" else None)
        assert response.status_code == 401, (method, path)
        body = response.json()
        assert body["status"] == "error"
        assert body["message"].startswith(message)
        assert body["execution_time"].endswith(" seconds")
    assert Order.objects.count() == 0


def test_a_regenerated_key_replaces_the_old_one(api, store):
    old = ApiClient(store.id, api.headers["ORDERDESK-API-KEY"])
    new = ApiClient(store.id, regenerate_api_key(store, actor=None))
    assert old.get("/test").status_code == 401
    assert new.get("/test").status_code == 200


def test_unknown_paths_and_methods_answer_in_the_envelope(api):
    missing = api.get("/no-such-thing")
    assert missing.status_code == 404
    assert missing.json()["status"] == "error"
    not_allowed = api.request("PATCH", "/test", {})
    assert not_allowed.status_code == 405
    assert not_allowed.json()["status"] == "error"
