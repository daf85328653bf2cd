"""A store operator's day in a real browser: sign in, find, open, edit, ship, move, set up."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import sign_in
from integration.web.pages import make_order
from orderhub.stores.queries import store_for_api_key

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_opens_the_new_folder(page, user, store):
    make_order(store)
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    sign_in(page, "ann@example.com")
    expect(page.get_by_role("heading", name=re.compile("^New"))).to_be_visible()
    expect(page.locator(".sidebar")).to_contain_text("All Orders")
    expect(page.locator("table.orders-table tbody tr")).to_have_count(1)


def test_wrong_password_stays_on_sign_in(page, user):
    page.goto("/login/")
    page.get_by_label("Email").fill("ann@example.com")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("correct")


def test_list_and_search(signed_in, store):
    page = signed_in
    make_order(store, source_id="A-100", email="alice@example.com")
    make_order(store, source_id="B-200", shipping={"first_name": "Bo", "company": "Brightside"})
    make_order(store, source_id="C-300", email="carol@example.com")
    page.goto(f"/stores/{store.id}/orders/")
    rows = page.locator("table.orders-table tbody tr")
    expect(rows).to_have_count(3)
    page.get_by_label("Search orders").fill("brightside")
    page.get_by_label("Search orders").press("Enter")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("B-200")
    page.get_by_label("Search orders").fill("carol@")
    page.get_by_role("button", name="Search").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("C-300")


def test_open_an_order_from_the_list(signed_in, store):
    page = signed_in
    make_order(store)
    page.goto(f"/stores/{store.id}/orders/")
    page.get_by_role("link", name="1001").click()
    expect(page.get_by_role("heading", name=re.compile("Order 1001"))).to_be_visible()
    expect(page.locator("#items")).to_contain_text("Crazy Glue")
    expect(page.locator("#items")).to_contain_text("Size: Small")
    expect(page.locator("#data-checkout_data")).to_contain_text("Happy Birthday")
    expect(page.locator("#history")).to_contain_text("Order created")


def test_edit_checkout_data_in_place(signed_in, store):
    page = signed_in
    order = make_order(store)
    page.goto(f"/stores/{store.id}/orders/{order.id}/")
    card = page.locator("#data-checkout_data")
    card.get_by_role("button", name="Edit").click()
    card.locator("input[name=value]").first.fill("Many happy returns")
    card.get_by_placeholder("New name").fill("Delivery")
    card.get_by_placeholder("Value").fill("Side door")
    card.get_by_role("button", name="Save").click()
    expect(card).to_contain_text("Many happy returns")
    expect(card).to_contain_text("Side door")
    expect(page.locator("#history")).to_contain_text("Changed checkout data")
    order.refresh_from_db()
    assert order.checkout_data == {"Gift Message": "Many happy returns", "Delivery": "Side door"}
    # Remove a key.
    card.get_by_role("button", name="Edit").click()
    card.get_by_title("Remove Gift Message").click()
    card.get_by_role("button", name="Save").click()
    # Wait for the saved card (the form's inputs hold no text, so check for its Edit button).
    expect(card.get_by_role("button", name="Edit")).to_be_visible()
    expect(card).not_to_contain_text("Gift Message")
    order.refresh_from_db()
    assert order.checkout_data == {"Delivery": "Side door"}


def test_edit_address_item_and_details_in_place(signed_in, store):
    page = signed_in
    order = make_order(store)
    page.goto(f"/stores/{store.id}/orders/{order.id}/")
    address = page.locator("#address-shipping")
    address.get_by_role("button", name="Edit").click()
    address.get_by_label("City").fill("Memphis")
    address.get_by_role("button", name="Save").click()
    expect(address).to_contain_text("Memphis")
    items = page.locator("#items")
    items.get_by_role("button", name="Edit item Tape").click()
    items.get_by_label("Quantity").fill("4")
    items.get_by_role("button", name="Save item").click()
    expect(items.locator(".totals")).to_contain_text("$20.00")  # 10 + 4 * 2.50
    details = page.locator("#details")
    details.get_by_role("button", name="Edit").click()
    details.get_by_label("Tag colour").select_option(label="Green")
    details.get_by_label("Tag", exact=True).fill("VIP")
    details.get_by_role("button", name="Save").click()
    expect(page.locator("#order-title")).to_contain_text("VIP")
    expect(page.locator("#history")).to_contain_text("Changed tag color, tag name")
    order.refresh_from_db()
    assert (order.shipping_city, order.quantity_total, order.tag_name) == ("Memphis", 5, "VIP")


def test_add_a_shipment(signed_in, store):
    page = signed_in
    order = make_order(store)
    page.goto(f"/stores/{store.id}/orders/{order.id}/")
    shipments = page.locator("#shipments")
    shipments.get_by_label("Tracking number").fill("1Z2398479234")
    shipments.get_by_label("Carrier").fill("UPS")
    shipments.get_by_label("Method").fill("Ground")
    shipments.get_by_label("1 × Crazy Glue").check()
    shipments.get_by_role("button", name="Add shipment").click()
    expect(shipments.locator("tbody tr")).to_have_count(1)
    expect(shipments.locator("tbody")).to_contain_text("1Z2398479234")
    expect(shipments.locator("tbody")).to_contain_text("Crazy Glue")
    expect(page.locator("#history")).to_contain_text("Shipment added: 1Z2398479234 (UPS)")
    # The same tracking number again is refused, as Order Desk does.
    shipments.get_by_label("Tracking number").fill("1Z2398479234")
    shipments.get_by_role("button", name="Add shipment").click()
    expect(shipments.get_by_role("alert")).to_contain_text("Shipment Not Added")
    assert order.shipments.count() == 1


def test_move_selected_orders(signed_in, store):
    page = signed_in
    orders = [make_order(store, source_id=f"M{n}") for n in range(3)]
    new = store.folders.get(name="New")
    page.goto(f"/stores/{store.id}/folders/{new.id}/orders/")
    page.get_by_label("Select order M0").check()
    page.get_by_label("Select order M2").check()
    expect(page.get_by_text("2 selected")).to_be_visible()
    page.get_by_label("Move selected to").select_option(label="Prepared")
    page.get_by_role("button", name="Move").click()
    expect(page.get_by_role("alert")).to_contain_text("2 orders moved to Prepared")
    expect(page.locator("table.orders-table tbody tr")).to_have_count(1)
    prepared_link = page.locator(".sidebar a[data-folder=Prepared]")
    expect(prepared_link.locator(".count")).to_have_text("2")
    for order in orders:
        order.refresh_from_db()
    assert [o.folder.name for o in orders] == ["Prepared", "New", "Prepared"]


def test_create_a_folder(signed_in, store):
    page = signed_in
    page.goto(f"/stores/{store.id}/")
    page.get_by_role("link", name="Store Settings").click()
    page.get_by_role("link", name="Folders").click()
    page.get_by_label("Folder name").fill("Wholesale")
    page.get_by_role("button", name="Create folder").click()
    expect(page.get_by_role("alert")).to_contain_text("Folder Wholesale created")
    expect(page.locator(".sidebar a[data-folder=Wholesale]")).to_be_visible()
    assert store.folders.filter(name="Wholesale").exists()


def test_create_an_api_key(signed_in, store):
    page = signed_in
    page.goto(f"/stores/{store.id}/settings/api/")
    expect(page.locator("#store-id")).to_have_text(str(store.id))
    page.get_by_role("button", name="Create API key").click()
    key = page.get_by_label("New API key").input_value()
    assert store_for_api_key(str(store.id), key) == store
    page.reload()
    expect(page.get_by_label("New API key")).to_have_count(0)
    expect(page.get_by_role("button", name="Regenerate API key")).to_be_visible()


def test_a_second_user_cannot_open_the_first_stores_order(page, store, other_user, other_store):
    order = make_order(store)
    sign_in(page, "bob@example.com")
    expect(page.locator(".sidebar")).to_contain_text("All Orders")
    response = page.goto(f"/stores/{store.id}/orders/{order.id}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Jimmy")
