"""API v2 shipments: per order, and many orders at once with POST /batch-shipments."""

from __future__ import annotations

import pytest

from integration.api.test_orders import row_counts

pytestmark = pytest.mark.django_db


def test_add_list_get_shipment(api, store, make_order):
    order = make_order()
    response = api.post(
        f"/orders/{order['id']}/shipments",
        {"tracking_number": "1Z2398479234", "carrier_code": "UPS", "shipment_method": "Ground"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["message"]) == ("success", "Shipment Added")
    shipment = body["shipment"]
    assert shipment["order_id"] == order["id"] and shipment["store_id"] == str(store.id)
    assert (shipment["tracking_number"], shipment["carrier_code"]) == ("1Z2398479234", "UPS")
    listing = api.get(f"/orders/{order['id']}/shipments").json()
    assert listing["total_records"] == 1 and listing["shipments"] == [shipment]
    one = api.get(f"/orders/{order['id']}/shipments/{shipment['id']}").json()
    assert one["shipment"] == shipment
    assert api.get(f"/orders/{order['id']}").json()["order"]["order_shipments"] == [shipment]


def test_same_tracking_number_twice_is_shipment_not_added(api, make_order):
    order = make_order()
    api.post(f"/orders/{order['id']}/shipments", {"tracking_number": "1Z1"})
    before = row_counts()
    response = api.post(f"/orders/{order['id']}/shipments", {"tracking_number": "1Z1"})
    assert response.status_code == 400
    assert response.json()["status"] == "error"
    assert response.json()["message"] == "Shipment Not Added"
    assert row_counts() == before
    # "n/a" means "no tracking number" and may repeat.
    for _ in range(2):
        response = api.post(f"/orders/{order['id']}/shipments", {"tracking_number": "n/a"})
        assert response.status_code == 200


def test_update_shipment(api, make_order):
    order = make_order()
    shipment = api.post(f"/orders/{order['id']}/shipments", {"tracking_number": "1Z1"}).json()[
        "shipment"
    ]
    response = api.put(
        f"/orders/{order['id']}/shipments/{shipment['id']}",
        {"tracking_number": "1Z2", "carrier_code": "FedEx", "weight": "3.55"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["message"] == "Shipment Updated"
    again = api.get(f"/orders/{order['id']}/shipments/{shipment['id']}").json()["shipment"]
    assert (again["tracking_number"], again["carrier_code"], again["weight"]) == (
        "1Z2",
        "FedEx",
        3.55,
    )


def test_delete_shipment(api, make_order):
    order = make_order()
    shipment = api.post(f"/orders/{order['id']}/shipments", {"tracking_number": "1Z1"}).json()[
        "shipment"
    ]
    response = api.delete(f"/orders/{order['id']}/shipments/{shipment['id']}")
    assert response.status_code == 200
    assert response.json()["message"] == f"Shipment {shipment['id']} Deleted"
    assert api.get(f"/orders/{order['id']}/shipments").json()["shipments"] == []
    assert api.delete(f"/orders/{order['id']}/shipments/{shipment['id']}").status_code == 404


def test_shipment_of_another_order_is_not_found(api, make_order):
    first, second = make_order(), make_order()
    shipment = api.post(f"/orders/{first['id']}/shipments", {"tracking_number": "1Z"}).json()[
        "shipment"
    ]
    response = api.get(f"/orders/{second['id']}/shipments/{shipment['id']}")
    assert response.status_code == 404
    assert response.json()["message"] == (
        f"Shipment {shipment['id']} not found in order {second['id']}"
    )


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ({}, "tracking_number: Field required"),
        ({"tracking_number": ""}, "tracking_number"),
        ({"tracking_number": "1Z", "cost": "cheap"}, "cost"),
        ({"tracking_number": "1Z", "date_shipped": "someday"}, "date_shipped"),
        ({"tracking_number": "1Z", "order_items": [424242]}, "order_items: item 424242"),
    ],
)
def test_bad_shipment_is_refused_and_changes_nothing(api, make_order, body, names):
    order = make_order()
    before = row_counts()
    response = api.post(f"/orders/{order['id']}/shipments", body)
    assert response.status_code == 400, response.content
    assert names in response.json()["message"]
    assert row_counts() == before


def test_batch_shipments_wrapped_or_bare(api, make_order):
    first, second = make_order(), make_order()
    wrapped = {
        "shipments": [
            {"order_id": first["id"], "tracking_number": "1ZA", "carrier_code": "UPS"},
            {"order_id": int(second["id"]), "tracking_number": "1ZB", "shipment_method": "Ground"},
        ]
    }
    response = api.post("/batch-shipments", wrapped)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["message"] == "2 Shipments Added"
    assert [
        (r["order_id"], r["message"], r["shipment"]["tracking_number"]) for r in body["results"]
    ] == [
        (int(first["id"]), "Shipment Added", "1ZA"),
        (int(second["id"]), "Shipment Added", "1ZB"),
    ]
    bare = [{"order_id": first["id"], "tracking_number": "1ZC"}]
    response = api.post("/batch-shipments", bare)
    assert response.status_code == 200, response.content
    assert response.json()["message"] == "1 Shipment Added"
    tracking = [
        s["tracking_number"]
        for s in api.get(f"/orders/{first['id']}/shipments").json()["shipments"]
    ]
    assert tracking == ["1ZA", "1ZC"]


def test_batch_is_all_or_nothing(api, other_api, make_order):
    order = make_order()
    api.post(f"/orders/{order['id']}/shipments", {"tracking_number": "DUP"})
    theirs = other_api.post(
        "/orders", {"shipping": {"company": "X"}, "order_items": [{"name": "y"}]}
    )
    their_id = theirs.json()["order"]["id"]
    before = row_counts()
    cases = [
        (
            [
                {"order_id": order["id"], "tracking_number": "NEW"},
                {"order_id": order["id"], "tracking_number": "DUP"},
            ],
            400,
            "shipments[1]",
        ),
        (
            [
                {"order_id": order["id"], "tracking_number": "NEW"},
                {"order_id": their_id, "tracking_number": "X"},
            ],
            404,
            f"shipments[1].order_id: Order {their_id} not found",
        ),
        (
            [
                {"order_id": order["id"], "tracking_number": "A"},
                {"order_id": order["id"], "tracking_number": "A"},
            ],
            400,
            "appears twice",
        ),
        (
            [{"order_id": order["id"], "tracking_number": "NEW"}, {"tracking_number": "X"}],
            400,
            "shipments[1].order_id: Field required",
        ),
        (
            [{"order_id": order["id"], "tracking_number": "NEW", "weight": "heavy"}],
            400,
            "shipments[0].weight",
        ),
        ({"shipments": []}, 400, "shipments: give a non-empty list"),
        ({"nothing": 1}, 400, "shipments: give a non-empty list"),
        ("not json", 400, "body: not valid JSON"),
    ]
    for body, status, message in cases:
        response = api.post("/batch-shipments", body)
        assert response.status_code == status, (body, response.content)
        assert message in response.json()["message"], (body, response.json())
    assert row_counts() == before
