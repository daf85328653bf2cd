"""API v2 order items: list, read, add, replace, delete; totals follow the items."""

from __future__ import annotations

import pytest

from integration.api.test_orders import row_counts

pytestmark = pytest.mark.django_db


def test_list_and_get_items(api, make_order):
    order = make_order(
        order_items=[{"name": "A", "price": 1}, {"name": "B", "price": 2, "variation_list": []}]
    )
    listing = api.get(f"/orders/{order['id']}/order-items").json()
    assert listing["status"] == "success"
    assert listing["total_records"] == 2
    assert [i["name"] for i in listing["order_items"]] == ["A", "B"]
    item = listing["order_items"][1]
    one = api.get(f"/orders/{order['id']}/order-items/{item['id']}").json()
    assert one["order_item"] == item
    assert item["variation_list"] == {} and item["fulfillment_method"] == ""


def test_add_item_recomputes_totals(api, make_order):
    order = make_order()  # 2 x 10
    response = api.post(
        f"/orders/{order['id']}/order-items",
        {
            "name": "Second Widget",
            "code": "widget2",
            "price": 12.99,
            "variation_list": {"Size": "L"},
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["message"] == "Order Item Added"
    assert body["order_item"]["name"] == "Second Widget"
    assert body["order_item"]["quantity"] == 1 and body["order_item"]["delivery_type"] == "ship"
    updated = api.get(f"/orders/{order['id']}").json()["order"]
    assert updated["product_total"] == 32.99
    assert updated["quantity_total"] == 3


def test_update_item_replaces_it(api, make_order):
    order = make_order()
    item_id = order["order_items"][0]["id"]
    response = api.put(
        f"/orders/{order['id']}/order-items/{item_id}", {"name": "Renamed", "price": "3"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["message"] == "Order Item Updated"
    item = api.get(f"/orders/{order['id']}/order-items/{item_id}").json()["order_item"]
    assert (item["name"], item["price"], item["quantity"], item["weight"]) == ("Renamed", 3, 1, 0)
    assert api.get(f"/orders/{order['id']}").json()["order"]["product_total"] == 3


def test_delete_item(api, make_order):
    order = make_order(order_items=[{"name": "A", "price": 1}, {"name": "B", "price": 2}])
    item_id = order["order_items"][0]["id"]
    response = api.delete(f"/orders/{order['id']}/order-items/{item_id}")
    assert response.status_code == 200
    assert response.json()["message"] == f"Order Item {item_id} Deleted"
    remaining = api.get(f"/orders/{order['id']}").json()["order"]
    assert [i["name"] for i in remaining["order_items"]] == ["B"]
    assert remaining["product_total"] == 2
    assert api.get(f"/orders/{order['id']}/order-items/{item_id}").status_code == 404


def test_item_of_another_order_is_not_found(api, make_order):
    first, second = make_order(), make_order()
    item_id = first["order_items"][0]["id"]
    for method in ("GET", "PUT", "DELETE"):
        body = {"name": "x"} if method == "PUT" else None
        response = api.request(method, f"/orders/{second['id']}/order-items/{item_id}", body)
        assert response.status_code == 404, method
        assert response.json()["message"] == (
            f"Order item {item_id} not found in order {second['id']}"
        )
    assert api.get(f"/orders/{first['id']}/order-items/{item_id}").status_code == 200


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ({"name": "x", "price": "free"}, "price"),
        ({"name": "x", "quantity": 1.5}, "quantity"),
        ({"name": "x", "delivery_type": "teleport"}, "delivery_type"),
        ({"name": "x", "variation_list": "Size=L"}, "variation_list"),
        ("[", "body: not valid JSON"),
    ],
)
def test_bad_item_is_refused_and_changes_nothing(api, make_order, body, names):
    order = make_order()
    item_id = order["order_items"][0]["id"]
    before = row_counts()
    for method, path in (
        ("POST", f"/orders/{order['id']}/order-items"),
        ("PUT", f"/orders/{order['id']}/order-items/{item_id}"),
    ):
        response = api.request(method, path, body)
        assert response.status_code == 400, (method, response.content)
        assert names in response.json()["message"]
    assert row_counts() == before
    assert api.get(f"/orders/{order['id']}").json()["order"] == order
