"""API v2 orders: create, read, replace, delete, history notes; bad input changes nothing."""

from __future__ import annotations

import copy

import pytest

from integration.api.apiclient import order_json
from orderhub.orders.models import Order, OrderHistory, OrderItem, Shipment
from orderhub.stores.models import Folder

pytestmark = pytest.mark.django_db

# Order Desk's official example order (reference §1.7), as its docs print it.
OFFICIAL_EXAMPLE = {
    "id": "26211",
    "email": "test@orderdesk.me",
    "shipping_method": "FedEx Home Delivery",
    "quantity_total": 1,
    "weight_total": 1,
    "product_total": 10,
    "shipping_total": 11.17,
    "handling_total": 0.5,
    "tax_total": 1.2,
    "discount_total": 1.7,
    "order_total": 21.17,
    "cc_number_masked": "xxxxxxxxxxxx4242",
    "cc_exp": "02/2016",
    "processor_response": "Authorize.net Transaction ID: 2221864944",
    "payment_type": "Visa",
    "payment_status": "Approved",
    "processor_balance": 21.17,
    "refund_total": 0.00,
    "customer_id": "5487542",
    "email_count": "3",
    "ip_address": "254.565.44.15",
    "tag_color": "",
    "source_name": "Order Desk",
    "source_id": "412218073",
    "fulfillment_name": "",
    "fulfillment_id": "",
    "tag_name": "success",
    "folder_id": 1,
    "date_added": "2014-10-08 12:10:00",
    "date_updated": "2014-10-09 23:13:47",
    "shipping": {
        "first_name": "Jimmy",
        "last_name": "Dean",
        "company": "",
        "address1": "800 Emmet St",
        "address2": "",
        "address3": "",
        "address4": "",
        "city": "Nashville",
        "state": "TN",
        "postal_code": "55555",
        "country": "US",
        "phone": "",
    },
    "customer": {
        "first_name": "Bingo",
        "last_name": "Little",
        "company": "",
        "address1": "900 Lord Business Ave",
        "address2": "",
        "city": "Knoxville",
        "state": "TN",
        "postal_code": "77777",
        "country": "US",
        "phone": "",
    },
    "return_address": {
        "title": "Acme",
        "name": "Doug Jones",
        "company": "Acme Manufacturing",
        "address1": "817 E Maple Ln",
        "address2": "",
        "city": "Knoxville",
        "state": "TN",
        "postal_code": "55555",
        "country": "US",
        "phone": "",
    },
    "checkout_data": {"Gift Message": "Happy Birthday"},
    "order_metadata": {"fraud_protection_score": 0},
    "discount_list": [{"name": "Discount", "code": "MN234DX78", "amount": "1.70"}],
    "order_notes": [
        {
            "date_added": "2014-10-09 23:12:05",
            "username": "Customer Service Rep",
            "content": "Customer called to change shipping address",
        }
    ],
    "order_items": [
        {
            "id": "42286",
            "name": "Crazy Glue",
            "price": "10",
            "quantity": 1,
            "weight": 1,
            "code": "crzyg-554",
            "delivery_type": "ship",
            "category_code": "DEFAULT",
            "variation_list": {"Size": "Small", "Color": "Black"},
            "metadata": {"image": "image_url_here"},
        }
    ],
    "order_shipments": [],
}
WRITABLE_SCALARS = (
    "email",
    "shipping_method",
    "shipping_total",
    "handling_total",
    "tax_total",
    "cc_number_masked",
    "cc_exp",
    "processor_response",
    "payment_type",
    "payment_status",
    "processor_balance",
    "refund_total",
    "customer_id",
    "ip_address",
    "tag_color",
    "source_name",
    "source_id",
    "fulfillment_name",
    "fulfillment_id",
    "tag_name",
    "date_added",
    "shipping",
    "customer",
    "return_address",
    "checkout_data",
    "order_metadata",
    "discount_list",
    "order_notes",
)


def row_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Order, OrderItem, Shipment, OrderHistory)
    }


def test_official_example_posts_and_reads_back_equal(api, store):
    prepared = Folder.objects.get(store=store, name="Prepared")
    sent = {**copy.deepcopy(OFFICIAL_EXAMPLE), "folder_id": prepared.id}

    created = api.post("/orders", sent)
    assert created.status_code == 200, created.content
    assert created.json()["status"] == "success"
    assert created.json()["message"] == "Order Created"
    order_id = created.json()["order"]["id"]

    read = api.get(f"/orders/{order_id}").json()["order"]
    for name in WRITABLE_SCALARS:
        assert read[name] == sent[name], name
    assert read["folder_id"] == prepared.id
    [item] = read["order_items"]
    expected_item = {**sent["order_items"][0], "price": 10, "fulfillment_method": ""}
    assert {k: v for k, v in item.items() if k != "id"} == {
        k: v for k, v in expected_item.items() if k != "id"
    }
    # Computed, read-only fields come from the items, never from the input.
    assert read["quantity_total"] == 1
    assert read["weight_total"] == 1
    assert read["product_total"] == 10
    assert read["discount_total"] == 1.7
    assert read["order_total"] == 21.17
    assert read["email_count"] == "1"
    assert read["id"] != "26211" and read["id"] == order_id
    assert read["date_updated"] != sent["date_updated"]
    assert read["order_shipments"] == []
    assert created.json()["order"] == read


def test_read_only_totals_are_computed_not_taken(api):
    sent = order_json(order_total=999, product_total=999, quantity_total=50, shipping_total="5")
    order = api.post("/orders", sent).json()["order"]
    assert (order["quantity_total"], order["product_total"], order["order_total"]) == (2, 20, 25)


def test_loose_input_is_accepted_and_answered_canonically(api):
    sent = order_json(
        checkout_data=[],
        order_metadata=[],
        discount_list=[],
        customer=[],
        shipping_total="3.50",
        tax_total="",
        folder_id=None,
        order_items=[
            {"name": "Pen", "price": "1.25", "quantity": "4", "weight": "0.5", "variation_list": []}
        ],
    )
    response = api.post("/orders", sent)
    assert response.status_code == 200, response.content
    order = response.json()["order"]
    assert order["checkout_data"] == {} and order["order_metadata"] == {}
    assert order["shipping_total"] == 3.5 and order["tax_total"] == 0
    assert order["order_items"][0]["quantity"] == 4
    assert order["order_items"][0]["price"] == 1.25
    assert order["order_items"][0]["variation_list"] == {}
    # The customer address was empty, so Order Desk copies the shipping address into it.
    assert order["customer"]["last_name"] == "Dean"


def test_order_without_folder_goes_to_first_folder(api, store):
    order = api.post("/orders", order_json()).json()["order"]
    assert order["folder_id"] == Folder.objects.get(store=store, name="New").id


@pytest.mark.parametrize(
    ("body", "status", "names"),
    [
        (order_json(order_items=[]), 400, "order_items"),
        (order_json(shipping={}, customer={"city": "Nashville"}), 400, "first_name"),
        (order_json(shipping_total="lots"), 400, "shipping_total"),
        (order_json(payment_status="Paid"), 400, "payment_status"),
        (
            order_json(order_items=[{"name": "x", "quantity": "many"}]),
            400,
            "order_items[0].quantity",
        ),
        (order_json(order_items=[{"name": "x", "delivery_type": "fly"}]), 400, "delivery_type"),
        (order_json(folder_id=987654), 400, "folder_id: folder 987654 not found"),
        (order_json(folder_id="abc"), 400, "folder_id"),
        (order_json(order_notes=[{"content": "x" * 2001}]), 400, "order_notes[0].content"),
        (order_json(shipping_total="1e20"), 400, "shipping_total"),
        ([1, 2], 400, "body"),
        ("{not json", 400, "body: not valid JSON"),
    ],
)
def test_bad_order_is_refused_naming_the_field_and_changes_nothing(api, body, status, names):
    before = row_counts()
    response = api.post("/orders", body)
    assert response.status_code == status, response.content
    answer = response.json()
    assert answer["status"] == "error"
    assert names in answer["message"]
    assert answer["execution_time"].endswith(" seconds")
    assert row_counts() == before


def test_company_alone_is_a_valid_name(api):
    sent = order_json(shipping={"company": "Acme"})
    assert api.post("/orders", sent).status_code == 200


def test_get_missing_order_is_404(api):
    response = api.get("/orders/424242")
    assert response.status_code == 404
    assert response.json()["message"] == "Order 424242 not found"
    assert api.get("/orders/not-a-number").status_code == 404
    assert api.get("/orders/99999999999999999999999").status_code == 404


def test_another_stores_order_is_exactly_as_missing(api, other_api, make_order):
    order = make_order()
    missing_id = int(order["id"]) + 1000
    for method, path, body in [
        ("GET", "/orders/{}", None),
        ("PUT", "/orders/{}", order_json()),
        ("DELETE", "/orders/{}", None),
        ("POST", "/orders/{}/order-history", {"note": "hi"}),
        ("GET", "/orders/{}/order-items", None),
        ("POST", "/orders/{}/order-items", {"name": "x"}),
        ("GET", "/orders/{}/shipments", None),
        ("POST", "/orders/{}/shipments", {"tracking_number": "1Z"}),
    ]:
        theirs = other_api.request(method, path.format(order["id"]), body)
        missing = other_api.request(method, path.format(missing_id), body)
        assert theirs.status_code == missing.status_code == 404, (method, path)
        assert theirs.json()["message"].replace(order["id"], "N") == missing.json()[
            "message"
        ].replace(str(missing_id), "N")
    assert (
        api.get(f"/orders/{order['id']}").json()["order"]
        == api.get(f"/orders/{order['id']}").json()["order"]
    )
    assert other_api.get("/orders").json()["total_records"] == 0
    assert Order.objects.filter(id=order["id"]).exists()


def test_put_replaces_the_order_and_upserts_items(api, make_order):
    order = make_order(
        tag_name="vip",
        order_items=[
            {"name": "Keep", "price": 1, "quantity": 1},
            {"name": "Drop", "price": 2, "quantity": 1},
        ],
    )
    keep = order["order_items"][0]
    sent = order_json(
        email="new@example.com",
        order_items=[
            {**keep, "name": "Kept and renamed", "quantity": 3},
            {"name": "Added", "price": "5", "quantity": 1},
        ],
    )
    response = api.put(f"/orders/{order['id']}", sent)
    assert response.status_code == 200, response.content
    assert response.json()["message"] == "Order Updated"
    updated = api.get(f"/orders/{order['id']}").json()["order"]
    assert updated["email"] == "new@example.com"
    assert updated["tag_name"] == ""  # left out, so blanked: PUT is a full replace
    assert [(i["id"] == keep["id"], i["name"]) for i in updated["order_items"]] == [
        (True, "Kept and renamed"),
        (False, "Added"),
    ]
    assert updated["product_total"] == 3 + 5


def test_put_with_an_unknown_item_id_changes_nothing(api, make_order):
    order = make_order(tag_name="vip")
    before = api.get(f"/orders/{order['id']}").json()["order"]
    sent = order_json(tag_name="changed", order_items=[{"id": 999999, "name": "Ghost"}])
    response = api.put(f"/orders/{order['id']}", sent)
    assert response.status_code in (400, 404)
    assert "order_items[0].id" in response.json()["message"]
    assert api.get(f"/orders/{order['id']}").json()["order"] == before


def test_put_round_trips_what_get_returns(api, make_order):
    order = make_order(cc_number="4242", tag_name="x")
    assert order["cc_number_masked"] == "xxxxxxxxxxxx4242"
    response = api.put(f"/orders/{order['id']}", order)
    assert response.status_code == 200, response.content
    again = response.json()["order"]
    assert {k: v for k, v in again.items() if k != "date_updated"} == {
        k: v for k, v in order.items() if k != "date_updated"
    }


def test_delete_order(api, make_order):
    order = make_order()
    response = api.delete(f"/orders/{order['id']}")
    assert response.status_code == 200
    assert response.json()["message"] == f"Order {order['id']} Deleted"
    assert api.get(f"/orders/{order['id']}").status_code == 404
    assert api.delete(f"/orders/{order['id']}").status_code == 404


def test_history_note_is_added_and_returned(api, make_order):
    order = make_order()
    response = api.post(
        f"/orders/{order['id']}/order-history", {"note": "My New Note", "source_name": "Zapier"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    notes = [h for h in body["order"]["order_history"] if h["note"] == "My New Note"]
    assert notes == [
        {"source_name": "Zapier", "note": "My New Note", "date_added": notes[0]["date_added"]}
    ]
    assert body["total_records"] == len(body["order"]["order_history"])
    default = api.post(f"/orders/{order['id']}/order-history", {"note": "Second"}).json()
    assert default["order"]["order_history"][-1]["source_name"] == "API"
    with_history = api.get(f"/orders/{order['id']}", {"get_order_history": 1}).json()["order"]
    assert [h["note"] for h in with_history["order_history"]][-2:] == ["My New Note", "Second"]
    assert "order_history" not in api.get(f"/orders/{order['id']}").json()["order"]


def test_empty_history_note_is_refused(api, make_order):
    order = make_order()
    before = row_counts()
    response = api.post(f"/orders/{order['id']}/order-history", {"note": ""})
    assert response.status_code == 400
    assert "note" in response.json()["message"]
    assert row_counts() == before


def test_email_count_counts_the_stores_orders_with_that_email(api, other_api, make_order):
    make_order(email="same@example.com")
    second = make_order(email="same@example.com")
    other_api.post("/orders", order_json(email="same@example.com"))
    assert api.get(f"/orders/{second['id']}").json()["order"]["email_count"] == "2"
