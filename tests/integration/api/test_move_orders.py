"""POST /move-orders: by destination folder id or exact name; all move or none does."""

from __future__ import annotations

import pytest

from integration.api.test_orders import row_counts
from orderhub.orders.models import HistoryKind, OrderHistory
from orderhub.stores.models import Folder

pytestmark = pytest.mark.django_db


def folder(store, name: str) -> Folder:
    return Folder.objects.get(store=store, name=name)


def test_move_by_folder_id(api, store, make_order):
    first, second = make_order(), make_order()
    new, prepared = folder(store, "New"), folder(store, "Prepared")
    body = {"order_id_list": [int(first["id"]), second["id"]], "destination_folder_id": prepared.id}
    response = api.post("/move-orders", body)
    assert response.status_code == 200, response.content
    answer = response.json()
    assert (answer["status"], answer["message"]) == ("success", "2 Orders Moved")
    assert answer["results"] == [
        {
            "order_id": int(first["id"]),
            "message": "Order Moved to Prepared Folder",
            "original_folder_id": new.id,
        },
        {
            "order_id": int(second["id"]),
            "message": "Order Moved to Prepared Folder",
            "original_folder_id": new.id,
        },
    ]
    assert api.get(f"/orders/{first['id']}").json()["order"]["folder_id"] == prepared.id
    assert OrderHistory.objects.filter(kind=HistoryKind.MOVED).count() == 2


def test_move_by_exact_folder_name(api, store, make_order):
    order = make_order()
    response = api.post(
        "/move-orders", {"order_id_list": [order["id"]], "destination_folder_name": "Closed"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["message"] == "1 Order Moved"
    assert response.json()["results"][0]["message"] == "Order Moved to Closed Folder"
    assert (
        api.get(f"/orders/{order['id']}").json()["order"]["folder_id"] == folder(store, "Closed").id
    )
    again = api.post(
        "/move-orders", {"order_id_list": [order["id"]], "destination_folder_name": "Closed"}
    ).json()
    assert again["message"] == "0 Orders Moved"
    assert again["results"][0]["message"] == "Order Already in Closed Folder"
    assert again["results"][0]["original_folder_id"] == folder(store, "Closed").id


def test_bad_moves_are_refused_and_move_nothing(api, other_api, store, other_store, make_order):
    order = make_order()
    theirs = other_api.post(
        "/orders", {"shipping": {"company": "X"}, "order_items": [{"name": "y"}]}
    )
    their_id = theirs.json()["order"]["id"]
    prepared = folder(store, "Prepared")
    their_folder = folder(other_store, "Prepared")
    before = row_counts()
    cases = [
        (
            {
                "order_id_list": [order["id"]],
                "destination_folder_id": prepared.id,
                "destination_folder_name": "Prepared",
            },
            400,
            "not both",
        ),
        ({"order_id_list": [order["id"]]}, 400, "destination_folder_id"),
        (
            {"order_id_list": [order["id"]], "destination_folder_name": "prepared"},
            400,
            "destination_folder_name: no folder named 'prepared'",
        ),
        (
            {"order_id_list": [order["id"]], "destination_folder_id": their_folder.id},
            400,
            f"destination_folder_id: folder {their_folder.id} not found",
        ),
        (
            {"order_id_list": [order["id"], their_id], "destination_folder_id": prepared.id},
            404,
            f"order_id_list[1]: Order {their_id} not found",
        ),
        ({"order_id_list": [], "destination_folder_id": prepared.id}, 400, "order_id_list"),
        ({"destination_folder_id": prepared.id}, 400, "order_id_list: Field required"),
    ]
    for body, status, message in cases:
        response = api.post("/move-orders", body)
        assert response.status_code == status, (body, response.content)
        assert message in response.json()["message"], (body, response.json())
    assert row_counts() == before
    assert api.get(f"/orders/{order['id']}").json()["order"]["folder_id"] == folder(store, "New").id
