"""The orders lists: folders, All Orders, search, sort, paging, moving selected orders."""

from __future__ import annotations

import pytest
from django.urls import reverse

from integration.web.pages import make_order
from orderhub.orders.models import HistoryKind

pytestmark = pytest.mark.django_db


def numbers(response) -> list[str]:
    return [order.display_number for order in response.context["page"]]


def test_folder_list_shows_only_that_folders_orders(client_in, store):
    make_order(store, source_id="A1")
    prepared = store.folders.get(name="Prepared")
    make_order(store, source_id="B2", folder_id=prepared.id)
    response = client_in.get(reverse("web:folder_orders", args=[store.id, prepared.id]))
    assert numbers(response) == ["B2"]
    assert b"Prepared" in response.content
    all_orders = client_in.get(reverse("web:all_orders", args=[store.id]))
    assert sorted(numbers(all_orders)) == ["A1", "B2"]


@pytest.mark.parametrize(
    "q,expected",
    [("A1", ["A1"]), ("zoe@", ["B2"]), ("Quill", ["B2"]), ("Acme", ["A1"]), ("Zed Quill", ["B2"])],
)
def test_search_by_number_email_name_company(client_in, store, q, expected):
    make_order(store, source_id="A1", shipping={"first_name": "Al", "company": "Acme Ltd"})
    make_order(
        store,
        source_id="B2",
        email="zoe@example.com",
        shipping={"first_name": "Zed", "last_name": "Quill"},
    )
    response = client_in.get(reverse("web:all_orders", args=[store.id]), {"q": q})
    assert numbers(response) == expected


def test_search_without_match_says_so(client_in, store, order):
    response = client_in.get(reverse("web:all_orders", args=[store.id]), {"q": "nobody"})
    assert "No orders match “nobody”" in response.content.decode()


def test_sort_by_total_both_ways(client_in, store):
    make_order(store, source_id="cheap", order_items=[{"name": "a", "price": "1"}])
    make_order(store, source_id="dear", order_items=[{"name": "b", "price": "99"}])
    url = reverse("web:all_orders", args=[store.id])
    assert numbers(client_in.get(url, {"sort": "order_total", "dir": "asc"})) == ["cheap", "dear"]
    assert numbers(client_in.get(url, {"sort": "order_total", "dir": "desc"})) == ["dear", "cheap"]


def test_unknown_sort_falls_back_to_newest_first(client_in, store, order):
    url = reverse("web:all_orders", args=[store.id])
    assert client_in.get(url, {"sort": "password", "page": "x"}).status_code == 200


def test_paging_fifty_orders_a_page(client_in, store):
    for number in range(52):
        make_order(store, source_id=f"N{number}")
    url = reverse("web:all_orders", args=[store.id])
    first = client_in.get(url)
    assert len(numbers(first)) == 50
    assert "Showing 1–50 of 52" in first.content.decode()
    assert len(numbers(client_in.get(url, {"page": 2}))) == 2


def test_list_uses_a_fixed_number_of_queries(client_in, store, django_assert_max_num_queries):
    for number in range(20):
        make_order(store, source_id=f"N{number}", tag_color="red")
    with django_assert_max_num_queries(12):
        client_in.get(reverse("web:all_orders", args=[store.id]))


def test_tag_colour_is_shown(client_in, store):
    make_order(store, tag_color="green", tag_name="VIP")
    html = client_in.get(reverse("web:all_orders", args=[store.id])).content.decode()
    assert 'class="tag-dot tag-green"' in html and "VIP" in html


def test_move_selected_orders(client_in, store):
    first, second, stay = make_order(store), make_order(store), make_order(store)
    prepared = store.folders.get(name="Prepared")
    back = reverse("web:all_orders", args=[store.id]) + "?q=jimmy"
    response = client_in.post(
        reverse("web:move_orders", args=[store.id]),
        {"order_ids": [first.id, second.id], "folder": prepared.id, "next": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    assert list(prepared.orders.order_by("id")) == [first, second]
    stay.refresh_from_db()
    assert stay.folder.name == "New"
    assert first.history.filter(kind=HistoryKind.MOVED, source_name="Web").count() == 1
    page = client_in.get(back)
    assert "2 orders moved to Prepared" in page.content.decode()


def test_move_without_selection_or_with_a_foreign_folder_is_an_error(
    client_in, store, other_store, order
):
    url = reverse("web:move_orders", args=[store.id])
    response = client_in.post(url, {"folder": store.folders.first().id}, follow=True)
    assert "Select at least one order" in response.content.decode()
    foreign = other_store.folders.first()
    response = client_in.post(url, {"order_ids": [order.id], "folder": foreign.id}, follow=True)
    assert response.status_code == 200
    order.refresh_from_db()
    assert order.folder.store_id == store.id


def test_move_never_redirects_off_site(client_in, store, order):
    response = client_in.post(
        reverse("web:move_orders", args=[store.id]),
        {
            "order_ids": [order.id],
            "folder": store.folders.first().id,
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == reverse("web:all_orders", args=[store.id])


def test_add_order(client_in, store, capture_events):
    url = reverse("web:add_order", args=[store.id])
    assert client_in.get(url).status_code == 200
    prepared = store.folders.get(name="Prepared")
    data = {
        "first_name": "Ann",
        "last_name": "Lee",
        "email": "ann.lee@example.com",
        "item_name": "Tent",
        "item_price": "120.00",
        "item_quantity": "2",
        "folder": prepared.id,
    }
    response, events = capture_events(client_in.post, url, data)
    order = store.orders.get()
    assert response["Location"] == reverse("web:order", args=[store.id, order.id])
    assert order.order_total == 240 and order.folder == prepared
    assert [type(e).__name__ for e in events] == ["OrderCreated"] and events[0].manual


def test_add_order_needs_a_name_or_company(client_in, store):
    url = reverse("web:add_order", args=[store.id])
    data = {"item_name": "Tent", "item_price": "1", "item_quantity": "1"}
    data["folder"] = store.folders.first().id
    response = client_in.post(url, data)
    assert "needs a first and last name or a company" in response.content.decode()
    assert not store.orders.exists()


def test_shipped_orders_show_a_truck_with_their_tracking_numbers(client_in, store):
    from orderhub.orders import services
    from orderhub.orders.drafts import ShipmentDraft

    shipped = make_order(store, source_id="S1")
    make_order(store, source_id="U1")
    services.add_shipment(shipped, ShipmentDraft(tracking_number="1Z777"), actor=None)
    html = client_in.get(reverse("web:all_orders", args=[store.id])).content.decode()
    assert html.count('aria-label="Shipped"') == 1
    assert 'title="Shipped: 1Z777"' in html
