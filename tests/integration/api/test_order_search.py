"""GET /orders: every Order Desk search parameter, paging, sorting, and no N+1."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from integration.api.apiclient import order_json
from orderhub.stores.models import Folder
from orderhub.stores.services import create_folder, update_store_details

pytestmark = pytest.mark.django_db


def ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [o["source_id"] for o in response.json()["orders"]]


@pytest.fixture
def orders(api, store):
    """Four orders with distinct values for every searchable field."""
    prepared = Folder.objects.get(store=store, name="Prepared")
    closed = Folder.objects.get(store=store, name="Closed")
    specs = [
        dict(
            source_id="A1",
            source_name="Shopify",
            email="ann@example.com",
            customer_id="C-1",
            date_added="2024-01-01 10:00:00",
            shipping={
                "first_name": "Ann",
                "last_name": "Smith",
                "company": "Acme",
                "address1": "1 Main St",
                "phone": "555-0101",
            },
            customer={
                "first_name": "Carl",
                "last_name": "Buyer",
                "company": "BuyCo",
                "address1": "9 Side Rd",
                "phone": "555-0909",
            },
        ),
        dict(
            source_id="B2",
            source_name="Shopify",
            email="bob@example.com",
            customer_id="C-2",
            folder_id=prepared.id,
            date_added="2024-01-02 03:30:00",
            shipping={"first_name": "Bob", "last_name": "Jones", "address1": "2 High St"},
        ),
        dict(
            source_id="C3",
            source_name="WooCommerce",
            email="ann@example.com",
            folder_id=closed.id,
            date_added="2024-01-03 12:00:00",
            shipping={"first_name": "Cleo", "last_name": "Smithers"},
        ),
        dict(
            source_id="D4",
            source_name="Salesforce",
            email="dan@example.com",
            folder_id=prepared.id,
            date_added="2024-01-04 23:59:59",
            shipping={"company": "Dan Corp"},
        ),
    ]
    for spec in specs:
        response = api.post("/orders", order_json(**spec))
        assert response.status_code == 200, response.content
    return {"prepared": prepared, "closed": closed}


def test_default_is_newest_first_with_the_list_envelope(api, orders):
    response = api.get("/orders")
    body = response.json()
    assert ids(response) == ["D4", "C3", "B2", "A1"]
    assert (body["status"], body["total_records"], body["records_returned"]) == ("success", 4, 4)
    assert (body["offset"], body["limit"]) == (0, 50)
    assert body["execution_time"].endswith(" seconds")


def test_limit_and_offset_page_through(api, orders):
    response = api.get("/orders", {"limit": 2, "offset": 1})
    body = response.json()
    assert ids(response) == ["C3", "B2"]
    assert (body["total_records"], body["records_returned"], body["offset"], body["limit"]) == (
        4,
        2,
        1,
        2,
    )
    assert ids(api.get("/orders", {"offset": 10})) == []
    blank = api.get("/orders", {"limit": "", "offset": "", "order_by": "", "order": ""}).json()
    assert (blank["limit"], blank["offset"], blank["records_returned"]) == (50, 0, 4)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"folder_name": "Prepared"}, ["D4", "B2"]),
        ({"folder_name": "No Such Folder"}, []),
        ({"source_id": "B2"}, ["B2"]),
        ({"source_name": "Shopify"}, ["B2", "A1"]),
        ({"email": "ann@example.com"}, ["C3", "A1"]),
        ({"customer_id": "C-2"}, ["B2"]),
        ({"shipping_first_name": "Bob"}, ["B2"]),
        ({"shipping_last_name": "Smith"}, ["C3", "A1"]),
        ({"shipping_company": "Dan"}, ["D4"]),
        ({"shipping_address1": "High"}, ["B2"]),
        ({"shipping_phone": "0101"}, ["A1"]),
        ({"customer_first_name": "Carl"}, ["A1"]),
        ({"customer_last_name": "Buyer"}, ["A1"]),
        ({"customer_company": "BuyCo"}, ["A1"]),
        ({"customer_address1": "Side"}, ["A1"]),
        ({"customer_phone": "0909"}, ["A1"]),
        ({"search_start_date": "2024-01-02 03:30:00"}, ["D4", "C3", "B2"]),
        ({"search_end_date": "2024-01-02"}, ["B2", "A1"]),
        ({"search_start_date": "2024-01-02", "search_end_date": "2024-01-03 11:59:59"}, ["B2"]),
        ({"search_start_date": "2024-01-02T04:30:00+01:00"}, ["D4", "C3", "B2"]),
        ({"search_end_date": "2024-01-02T03:29:59Z"}, ["A1"]),
        ({"order_by": "source_id", "order": "asc"}, ["A1", "B2", "C3", "D4"]),
        ({"order_by": "shipping_last_name", "order": "DESC"}, ["C3", "A1", "B2", "D4"]),
        ({"order": "Asc"}, ["A1", "B2", "C3", "D4"]),
    ],
)
def test_search_parameters(api, orders, params, expected):
    assert ids(api.get("/orders", params)) == expected


def test_folder_id_takes_one_id_or_a_comma_list(api, orders):
    prepared, closed = orders["prepared"], orders["closed"]
    assert ids(api.get("/orders", {"folder_id": str(prepared.id)})) == ["D4", "B2"]
    both = f"{prepared.id}, {closed.id}"
    assert ids(api.get("/orders", {"folder_id": both})) == ["D4", "C3", "B2"]


def test_local_dates_use_the_store_time_zone(api, store, orders):
    update_store_details(store, actor=None, name=store.name, timezone="America/New_York")
    # B2 was added 2024-01-02 03:30 UTC, which is 2024-01-01 22:30 in New York.
    assert ids(
        api.get(
            "/orders",
            {
                "search_start_date_local": "2024-01-01 22:00:00",
                "search_end_date_local": "2024-01-01",
            },
        )
    ) == ["B2"]
    # D4 (2024-01-04 23:59:59 UTC) is 18:59:59 on the 4th in New York.
    assert ids(api.get("/orders", {"search_start_date_local": "2024-01-04 19:00:00"})) == []
    assert ids(api.get("/orders", {"search_start_date": "2024-01-04 19:00:00"})) == ["D4"]


def test_modified_dates(api, orders):
    assert ids(api.get("/orders", {"modified_start_date": "2000-01-01"})) == [
        "D4",
        "C3",
        "B2",
        "A1",
    ]
    assert ids(api.get("/orders", {"modified_end_date": "2000-01-01"})) == []
    assert ids(api.get("/orders", {"modified_start_date": "2999-01-01 00:00:00"})) == []


def test_get_order_history_includes_history(api, orders):
    plain = api.get("/orders", {"limit": 1}).json()["orders"][0]
    assert "order_history" not in plain
    with_history = api.get("/orders", {"limit": 1, "get_order_history": "1"}).json()["orders"][0]
    assert [h["note"] for h in with_history["order_history"]] == ["Order created"]
    assert with_history["order_history"][0]["source_name"] == "API"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"limit": 501}, "limit: Input should be less than or equal to 500"),
        ({"limit": 0}, "limit: Input should be greater than or equal to 1"),
        ({"limit": "ten"}, "limit: Input should be a valid integer"),
        ({"offset": -1}, "offset: Input should be greater than or equal to 0"),
        ({"folder_id": "1,x"}, "folder_id: 'x' is not a folder id"),
        ({"order": "sideways"}, "order: must be ASC or DESC"),
        ({"order_by": "password"}, "order_by: 'password' is not an order field"),
        ({"search_start_date": "yesterday"}, "search_start_date: 'yesterday' is not a date"),
        ({"modified_end_date": "2024-13-45"}, "modified_end_date: '2024-13-45' is not a date"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(api, orders, params, message):
    response = api.get("/orders", params)
    assert response.status_code == 400
    assert response.json()["status"] == "error"
    assert response.json()["message"].startswith(message)


def test_a_page_of_500_costs_the_same_queries_as_a_page_of_5(api, store):
    for n in range(12):
        order = api.post("/orders", order_json(source_id=f"N{n}", email=f"e{n % 3}@x.com")).json()
        order_id = order["order"]["id"]
        api.post(f"/orders/{order_id}/shipments", {"tracking_number": f"1Z{n}"})
    for history in ("0", "1"):
        counts = []
        for limit in (5, 500):
            with CaptureQueriesContext(connection) as queries:
                response = api.get("/orders", {"limit": limit, "get_order_history": history})
            assert response.status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1], (history, counts)
    assert len(api.get("/orders", {"limit": 500}).json()["orders"]) == 12


def test_orders_in_a_custom_folder(api, store):
    folder = create_folder(store, "Wholesale", actor=None)
    api.post("/orders", order_json(source_id="W1", folder_id=folder.id))
    assert ids(api.get("/orders", {"folder_name": "Wholesale"})) == ["W1"]
