"""Whatever a client sends, the answer is a 4xx naming the problem, and nothing changes."""

from __future__ import annotations

import pytest

from integration.api.apiclient import order_json
from integration.api.test_orders import row_counts

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (order_json(email="x" * 300), "email: Ensure this value has at most 255 characters"),
        (order_json(email="a\u0000b"), "email: must not contain a NUL character"),
        (
            order_json(order_items=[{"name": "x", "price": "999999999999.99", "quantity": 10**9}]),
            "product_total: Ensure that there are no more than 14 digits in total.",
        ),
        (
            order_json(order_items=[{"name": "x", "quantity": 10**30}]),
            "order_items[0].quantity: Input should be less than or equal to 1000000000",
        ),
        (order_json(shipping="Jimmy"), "shipping: Input should be a valid dictionary"),
        (order_json(order_items="lots"), "order_items: Input should be a valid list"),
        (
            order_json(order_items=[{"name": "x" * 600}]),
            "order_items[0].name: Ensure this value has at most 500 characters",
        ),
        (order_json(cc_exp="1" * 40), "cc_exp: Ensure this value has at most 16 characters"),
        (order_json(checkout_data={"a": {"b": 1}}), "checkout_data.a: must be text or a number"),
        (order_json(order_metadata="str"), "order_metadata: Input should be a valid dictionary"),
        (order_json(date_added="2024-99-99"), "date_added: Input should be a valid datetime"),
        (order_json(folder_id=10**30), "folder_id: folder 1000000000000000000000000000000 not"),
        (order_json(source_id=["a"]), "source_id: Input should be a valid string"),
    ],
)
def test_bad_order_bodies_never_reach_a_500(api, body, message):
    before = row_counts()
    response = api.post("/orders", body)
    assert response.status_code == 400, response.content
    assert response.json()["status"] == "error"
    assert response.json()["message"].startswith(message)
    assert row_counts() == before


def test_bad_item_and_shipment_values_are_named(api, make_order):
    order = make_order()
    item_id = order["order_items"][0]["id"]
    before = row_counts()
    cases = [
        ("POST", f"/orders/{order['id']}/order-items", {"name": "n", "code": "c" * 300}, "code:"),
        ("PUT", f"/orders/{order['id']}/order-items/{item_id}", {"name": "n" * 501}, "name:"),
        (
            "PUT",
            f"/orders/{order['id']}",
            order_json(order_items=[{"id": item_id, "category_code": "c" * 101}]),
            "order_items[0].category_code:",
        ),
        (
            "POST",
            f"/orders/{order['id']}/shipments",
            {"tracking_number": "1Z", "carrier_code": "c" * 101},
            "carrier_code:",
        ),
        (
            "POST",
            f"/orders/{order['id']}/order-items",
            {"name": "n", "price": "99999999999", "quantity": 100000},
            "product_total:",
        ),
    ]
    for method, path, body, message in cases:
        response = api.request(method, path, body)
        assert response.status_code == 400, (path, response.content)
        assert response.json()["message"].startswith(message), response.json()
    assert row_counts() == before
    assert api.get(f"/orders/{order['id']}").json()["order"] == order


def test_nul_characters_are_refused_naming_the_parameter(api, make_order):
    # SQLite would store them; PostgreSQL cannot: refused on both, before any query.
    order = make_order()
    for params in (
        {"source_id": "a\x00b"},
        {"email": "\x00"},
        {"shipping_last_name": "\x00"},
        {"folder_name": "\x00"},
    ):
        response = api.get("/orders", params)
        assert response.status_code == 400
        assert (
            response.json()["message"] == f"{next(iter(params))}: must not contain a NUL character"
        )
    before = row_counts()
    note = api.post(f"/orders/{order['id']}/order-history", {"note": "a\x00b"})
    assert (note.status_code, note.json()["message"]) == (
        400,
        "note: must not contain a NUL character",
    )
    move = api.post(
        "/move-orders", {"order_id_list": [order["id"]], "destination_folder_name": "\x00"}
    )
    assert (move.status_code, move.json()["message"]) == (
        400,
        "destination_folder_name: must not contain a NUL character",
    )
    assert row_counts() == before
