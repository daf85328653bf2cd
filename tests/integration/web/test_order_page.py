"""The order page and the parts edited in place: every change goes through a service."""

from __future__ import annotations

import pytest
from django.urls import reverse

from integration.web.pages import make_order
from orderhub.orders import services
from orderhub.orders.drafts import ShipmentDraft
from orderhub.orders.models import HistoryKind

pytestmark = pytest.mark.django_db


def url(name, order, *extra):
    return reverse(f"web:{name}", args=[order.store_id, order.id, *extra])


def test_order_page_shows_everything_about_the_order(client_in, order):
    services.add_shipment(
        order, ShipmentDraft(tracking_number="1Z999", carrier_code="UPS"), actor=None
    )
    html = client_in.get(url("order", order)).content.decode()
    for text in (
        "Order 1001",
        "Jimmy",
        "Nashville",
        "Crazy Glue",
        "Size: Small",
        "https://cdn.example.com/glue.jpg",
        "Gift Message",
        "Happy Birthday",
        "fraud_protection_score",
        "1Z999",
        "Order created",
        "$15.00",  # 10 + 2 * 2.50
    ):
        assert text in html, text


def test_order_page_uses_a_fixed_number_of_queries(client_in, order, django_assert_max_num_queries):
    with django_assert_max_num_queries(16):
        client_in.get(url("order", order))


def test_missing_order_is_404(client_in, store):
    assert client_in.get(reverse("web:order", args=[store.id, 999999])).status_code == 404


def test_edit_shipping_address(client_in, order, htmx, capture_events):
    form = client_in.get(url("order_address", order, "shipping") + "?edit=1", **htmx)
    assert b'value="Jimmy"' in form.content
    data = {"first_name": "Jim", "last_name": "Dean", "city": "Memphis", "country": "US"}
    response, events = capture_events(
        client_in.post, url("order_address", order, "shipping"), data, **htmx
    )
    assert response.status_code == 200 and response["HX-Trigger"] == "orderChanged"
    assert b"Memphis" in response.content and b"<form" not in response.content
    order.refresh_from_db()
    assert (order.shipping_first_name, order.shipping_city) == ("Jim", "Memphis")
    assert [type(e).__name__ for e in events] == ["OrderAddressChanged"]
    assert order.history.filter(kind=HistoryKind.ADDRESS_CHANGED, source_name="Web").exists()


def test_edit_return_address_without_htmx_redirects_to_the_order(client_in, order):
    data = {"title": "Acme", "name": "Returns", "city": "Knoxville"}
    response = client_in.post(url("order_address", order, "return_address"), data)
    assert response["Location"] == url("order", order)
    order.refresh_from_db()
    assert order.return_address == {"title": "Acme", "name": "Returns", "city": "Knoxville"}


def test_unknown_address_is_404(client_in, order):
    assert client_in.get(url("order_address", order, "billing")).status_code == 404


def test_address_too_long_is_a_form_error(client_in, order, htmx):
    response = client_in.post(url("order_address", order, "customer"), {"city": "x" * 300}, **htmx)
    assert b"is-invalid" in response.content
    order.refresh_from_db()
    assert order.customer_city == "Nashville"


def test_checkout_data_add_edit_and_remove_keys(client_in, order, htmx):
    form = client_in.get(url("order_data", order, "checkout_data") + "?edit=1", **htmx)
    assert b'value="Gift Message"' in form.content
    data = {"key": ["Gift Message", "Delivery", ""], "value": ["Cheers", "Side door", ""]}
    response = client_in.post(url("order_data", order, "checkout_data"), data, **htmx)
    assert response["HX-Trigger"] == "orderChanged" and b"Side door" in response.content
    order.refresh_from_db()
    assert order.checkout_data == {"Gift Message": "Cheers", "Delivery": "Side door"}
    client_in.post(
        url("order_data", order, "checkout_data"), {"key": ["Delivery"], "value": ["Side door"]}
    )
    order.refresh_from_db()
    assert order.checkout_data == {"Delivery": "Side door"}
    entry = order.history.filter(kind=HistoryKind.DATA_CHANGED).last()
    assert entry.source_name == "Web" and entry.actor.email == "ann@example.com"


@pytest.mark.parametrize(
    "data,message",
    [
        ({"key": ["a", "a"], "value": ["1", "2"]}, "&#x27;a&#x27; appears twice"),
        ({"key": [""], "value": ["orphan"]}, "needs a name"),
        ({"key": ["big"], "value": ["x" * 4000]}, "Too much data"),
    ],
)
def test_checkout_data_errors_keep_the_form_and_change_nothing(
    client_in, order, htmx, data, message
):
    response = client_in.post(url("order_data", order, "checkout_data"), data, **htmx)
    assert message in response.content.decode()
    assert "HX-Trigger" not in response
    order.refresh_from_db()
    assert order.checkout_data == {"Gift Message": "Happy Birthday"}


def test_metadata_keeps_non_text_values_that_were_not_edited(client_in, order, htmx):
    data = {"key": ["fraud_protection_score", "pdf_1"], "value": ["0", "https://x/1.pdf"]}
    client_in.post(url("order_data", order, "order_metadata"), data, **htmx)
    order.refresh_from_db()
    assert order.order_metadata == {"fraud_protection_score": 0, "pdf_1": "https://x/1.pdf"}


def test_unknown_data_map_is_404(client_in, order):
    assert client_in.get(url("order_data", order, "secrets")).status_code == 404


def test_edit_order_details(client_in, order, htmx):
    form = client_in.get(url("order_details", order) + "?edit=1", **htmx)
    assert b"jimmy@example.com" in form.content
    data = {
        "email": "new@example.com",
        "shipping_method": "Ground",
        "payment_status": "Approved",
        "tag_color": "red",
        "tag_name": "Rush",
    }
    response = client_in.post(url("order_details", order), data, **htmx)
    assert b"Rush" in response.content
    order.refresh_from_db()
    assert (order.email, order.tag_color, order.payment_status) == (
        "new@example.com",
        "red",
        "Approved",
    )


def test_order_details_errors(client_in, order, htmx):
    data = {"email": "not an email", "payment_status": "Stolen"}
    response = client_in.post(url("order_details", order), data, **htmx)
    assert response.content.count(b"invalid-feedback") >= 2
    order.refresh_from_db()
    assert order.email == "jimmy@example.com"


def test_add_shipment_for_some_items(client_in, order, htmx, capture_events):
    glue = order.items.get(name="Crazy Glue")
    data = {
        "tracking_number": "1Z2398479234",
        "carrier_code": "UPS",
        "shipment_method": "Ground",
        "order_items": [glue.id],
    }
    response, events = capture_events(client_in.post, url("add_shipment", order), data, **htmx)
    assert response["HX-Trigger"] == "orderChanged"
    assert b"1Z2398479234" in response.content
    shipment = order.shipments.get()
    assert (shipment.carrier_code, shipment.order_items) == ("UPS", [glue.id])
    assert [type(e).__name__ for e in events] == ["ShipmentAdded"]


def test_duplicate_tracking_number_is_shipment_not_added(client_in, order, htmx):
    client_in.post(url("add_shipment", order), {"tracking_number": "1Z1"}, **htmx)
    response = client_in.post(url("add_shipment", order), {"tracking_number": "1Z1"}, **htmx)
    assert b"Shipment Not Added" in response.content
    assert order.shipments.count() == 1


def test_shipment_needs_a_tracking_number_and_items_of_this_order(client_in, store, order, htmx):
    other = make_order(store)
    response = client_in.post(url("add_shipment", order), {"tracking_number": ""}, **htmx)
    assert b"This field is required" in response.content
    foreign_item = other.items.first().id
    data = {"tracking_number": "T1", "order_items": [foreign_item]}
    response = client_in.post(url("add_shipment", order), data, **htmx)
    assert b"is not one of the available choices" in response.content
    assert order.shipments.count() == 0


def test_add_shipment_without_htmx_redirects(client_in, order):
    response = client_in.post(url("add_shipment", order), {"tracking_number": "n/a"})
    assert response["Location"] == url("order", order)
    assert order.shipments.count() == 1


def test_delete_shipment(client_in, order, store, htmx):
    shipment = services.add_shipment(order, ShipmentDraft(tracking_number="1Z9"), actor=None)
    other = make_order(store)
    assert client_in.post(url("delete_shipment", other, shipment.id)).status_code == 404
    response = client_in.post(url("delete_shipment", order, shipment.id), **htmx)
    assert response.status_code == 200 and b"1Z9" not in response.content
    assert order.shipments.count() == 0
    assert order.history.filter(kind=HistoryKind.SHIPMENT_DELETED).count() == 1
    assert client_in.get(url("delete_shipment", order, shipment.id)).status_code == 405


def test_add_note_shows_in_history(client_in, order, htmx):
    response = client_in.post(url("add_note", order), {"note": "Called the customer"}, **htmx)
    assert b"Called the customer" in response.content
    assert order.history.filter(kind=HistoryKind.NOTE, note="Called the customer").exists()
    empty = client_in.post(url("add_note", order), {"note": ""}, **htmx)
    assert b"This field is required" in empty.content
    history = client_in.get(url("order_history", order), **htmx)
    assert b"Called the customer" in history.content and b"ann@example.com" in history.content


def test_move_order_to_another_folder(client_in, store, order):
    closed = store.folders.get(name="Closed")
    response = client_in.post(url("move_order", order), {"folder": closed.id}, follow=True)
    assert "Order 1001 moved to Closed" in response.content.decode()
    order.refresh_from_db()
    assert order.folder == closed


def test_move_order_to_a_foreign_folder_is_refused(client_in, order, other_store):
    foreign = other_store.folders.first()
    response = client_in.post(url("move_order", order), {"folder": foreign.id}, follow=True)
    assert "Choose a folder of this store" in response.content.decode()
    order.refresh_from_db()
    assert order.folder.store_id == order.store_id


def test_removing_every_checkout_data_key_empties_it(client_in, order, htmx):
    response = client_in.post(url("order_data", order, "checkout_data"), {}, **htmx)
    assert b"No checkout data" in response.content
    order.refresh_from_db()
    assert order.checkout_data == {}


def test_add_an_item_updates_the_totals(client_in, order, htmx, capture_events):
    form = client_in.get(url("order_items", order) + "?add=1", **htmx)
    assert b"Add item" in form.content and b'name="variations"' in form.content
    data = {"name": "Stapler", "code": "ST-1", "price": "5.00", "quantity": "2"}
    data["variations"] = "Color: Red\nSize : L"
    response, events = capture_events(client_in.post, url("order_items", order), data, **htmx)
    assert response["HX-Trigger"] == "orderChanged"
    assert b"Stapler" in response.content and b"$25.00" in response.content
    item = order.items.get(name="Stapler")
    assert item.variation_list == {"Color": "Red", "Size": "L"}
    assert [type(e).__name__ for e in events] == ["ItemsChanged"]


def test_edit_an_item_keeps_its_hidden_metadata(client_in, order, htmx):
    glue = order.items.get(name="Crazy Glue")
    form = client_in.get(url("order_items", order) + f"?edit={glue.id}", **htmx)
    assert b'value="Crazy Glue"' in form.content and b"Size: Small" in form.content
    data = {"name": "Super Glue", "code": "sg", "price": "12", "quantity": "3", "variations": ""}
    client_in.post(url("order_item", order, glue.id), data, **htmx)
    glue.refresh_from_db()
    assert (glue.name, glue.quantity, glue.variation_list) == ("Super Glue", 3, {})
    assert glue.metadata == {"image": "https://cdn.example.com/glue.jpg"}
    order.refresh_from_db()
    assert order.product_total == 41  # 12 * 3 + 2.50 * 2


def test_item_form_errors(client_in, order, htmx):
    glue = order.items.get(name="Crazy Glue")
    data = {"name": "", "price": "abc", "quantity": "-1", "variations": "no colon here"}
    response = client_in.post(url("order_item", order, glue.id), data, **htmx)
    html = response.content.decode()
    assert "Write &#x27;no colon here&#x27; as Name: Value" in html
    assert html.count("invalid-feedback") >= 4
    glue.refresh_from_db()
    assert glue.name == "Crazy Glue"


def test_delete_an_item(client_in, store, order, htmx):
    tape = order.items.get(name="Tape")
    other = make_order(store)
    assert client_in.post(url("delete_item", other, tape.id)).status_code == 404
    response = client_in.post(url("delete_item", order, tape.id), **htmx)
    assert b"Tape" not in response.content
    order.refresh_from_db()
    assert order.product_total == 10
    assert order.history.filter(kind=HistoryKind.ITEM_DELETED).count() == 1


def test_a_change_also_refreshes_the_title_out_of_band(client_in, order, htmx):
    data = {"payment_status": "Captured", "tag_color": "blue", "tag_name": "Gift"}
    response = client_in.post(url("order_details", order), data, **htmx)
    html = response.content.decode()
    assert 'id="order-title" hx-swap-oob="true"' in html
    assert 'class="badge tag-badge tag-blue">Gift<' in html


def test_partials_show_times_in_the_stores_time_zone(client_in, store, order, htmx):
    from orderhub.stores.services import update_store_details

    update_store_details(store, actor=None, name=store.name, timezone="Asia/Tokyo")
    entry = order.history.get()
    local = entry.date_added.astimezone(store.tz).strftime("%-I:%M %p")
    history = client_in.get(url("order_history", order), **htmx).content.decode()
    assert local in history


def test_order_details_history_names_only_what_changed(client_in, order, htmx):
    data = {"email": "jimmy@example.com", "payment_status": "Captured", "tag_name": "VIP"}
    client_in.post(url("order_details", order), data, **htmx)
    entry = order.history.filter(kind=HistoryKind.UPDATED).get()
    assert entry.note == "Changed tag name"
    client_in.post(url("order_details", order), data, **htmx)  # nothing changed this time
    assert order.history.filter(kind=HistoryKind.UPDATED).count() == 1


def test_saving_an_unchanged_address_or_item_writes_no_history(client_in, order, htmx):
    before = order.history.count()
    data = {"first_name": "Jimmy", "last_name": "Dean", "city": "Nashville"}
    client_in.post(url("order_address", order, "shipping"), data, **htmx)
    tape = order.items.get(name="Tape")
    data = {"name": "Tape", "price": "2.50", "quantity": "2", "weight": "0"}
    response = client_in.post(url("order_item", order, tape.id), data, **htmx)
    assert response.status_code == 200 and b"Tape" in response.content
    assert order.history.count() == before
