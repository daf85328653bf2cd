"""X-HTTP-Method-Override: Order Desk's docs send PUT and DELETE as POST plus this header."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_post_with_override_put_updates(api, make_order):
    order = make_order()
    item_id = order["order_items"][0]["id"]
    response = api.post(
        f"/orders/{order['id']}/order-items/{item_id}",
        {"name": "Second Widget", "code": "widget2", "price": 12.99},
        headers={"X-HTTP-Method-Override": "PUT"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["message"] == "Order Item Updated"
    assert (
        api.get(f"/orders/{order['id']}/order-items/{item_id}").json()["order_item"]["name"]
        == "Second Widget"
    )


def test_post_with_override_delete_deletes(api, make_order):
    order = make_order()
    response = api.post(f"/orders/{order['id']}", headers={"X-HTTP-Method-Override": "delete"})
    assert response.status_code == 200
    assert response.json()["message"] == f"Order {order['id']} Deleted"
    assert api.get(f"/orders/{order['id']}").status_code == 404


def test_override_only_applies_to_post(api, make_order):
    order = make_order()
    response = api.get(f"/orders/{order['id']}", headers={"X-HTTP-Method-Override": "DELETE"})
    assert response.status_code == 200
    assert api.get(f"/orders/{order['id']}").status_code == 200


def test_unknown_override_is_ignored(api):
    response = api.post("/orders", "{", headers={"X-HTTP-Method-Override": "TRACE"})
    assert response.status_code == 400
