"""Build a rule in the Rule Builder page and see it act on an imported order."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from orderhub.orders import services as orders
from orderhub.orders.drafts import ImportDraft
from orderhub.orders.models import Order
from orderhub.stores.services import create_folder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def import_order(store, external_id: str, checkout_data: dict) -> Order:
    draft = ImportDraft.model_validate(
        {
            "external_id": external_id,
            "source_id": external_id,
            "email": "jimmy@example.com",
            "shipping": {"first_name": "Jimmy", "last_name": "Dean"},
            "checkout_data": checkout_data,
            "order_items": [{"name": "Mug", "price": "12", "quantity": 1}],
        }
    )
    result = orders.import_orders(
        store,
        [draft],
        actor=None,
        folder=store.folders.get(name="New"),
        external_source="test",
        source="Test",
        history_note="Imported",
    )
    return Order.objects.get(pk=result.created[0])


def settle(page) -> None:
    """Wait until htmx has swapped in and wired up the re-rendered rows."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
    page.wait_for_timeout(50)


def test_build_gift_rule_in_the_page_and_it_moves_imported_gift_orders(signed_in, store):
    page = signed_in
    gifts = create_folder(store, "Gifts", actor=None)
    before = import_order(store, "R-1", {"Gift Message": "Happy birthday"})

    page.goto(f"/stores/{store.id}/")
    page.get_by_role("link", name="Rule Builder").click()
    expect(page.get_by_role("heading", name="Rule Builder")).to_be_visible()
    page.get_by_role("link", name="New rule").click()

    page.get_by_label("Rule name").fill("Gift orders")
    expect(page.get_by_label("Event")).to_have_value("order_imported")
    page.get_by_role("button", name="Add filter").click()
    settle(page)
    page.get_by_label("Field").select_option("checkout_data")
    settle(page)
    page.get_by_label("Name", exact=True).fill("Gift Message")
    page.get_by_label("Operator").select_option("is_not_empty")
    settle(page)
    expect(page.locator(".filter-row input[aria-label='Value']")).to_have_count(0)
    # The first action row is Change Folder; its folder input is a list of the store's folders.
    expect(page.get_by_label("Action", exact=True)).to_have_value("change_folder")
    page.locator(".action-row").get_by_label("Folder").select_option(label="Gifts")

    # Test on an order: the gift order from before the rule would move; nothing changes.
    page.get_by_label("Order to test on").select_option(str(before.id))
    page.get_by_role("button", name="Test", exact=True).click()
    expect(page.locator("#test-outcome")).to_contain_text("matches")
    expect(page.locator("#test-would")).to_contain_text("moved to Gifts")
    assert Order.objects.get(pk=before.pk).folder.name == "New"

    page.get_by_role("button", name="Save rule").click()
    expect(page.get_by_text("Rule “Gift orders” created.")).to_be_visible()
    row = page.locator("tr[data-rule='Gift orders']")
    expect(row).to_contain_text("Order is Imported")
    expect(row.get_by_role("button", name="Disable Gift orders")).to_be_visible()

    gift = import_order(store, "R-2", {"Gift Message": "Congratulations"})
    plain = import_order(store, "R-3", {})
    assert gift.folder_id == gifts.id
    assert plain.folder.name == "New"

    page.goto(f"/stores/{store.id}/orders/{gift.id}/")
    expect(page.get_by_text('Rule "Gift orders" ran: moved to Gifts')).to_be_visible()


def test_drag_a_rule_to_the_top(signed_in, store):
    from orderhub.rules import services as rules

    for name in ("A", "B", "C"):
        rules.create_rule(
            store,
            {
                "name": name,
                "event": "order_imported",
                "actions": [{"action": "tag_order", "params": {"color": "red"}}],
            },
            actor=None,
        )
    page = signed_in
    page.goto(f"/stores/{store.id}/rules/")
    page.locator("tr[data-rule='C']").drag_to(
        page.locator("tr[data-rule='A']"), target_position={"x": 20, "y": 3}
    )
    expect(page.locator("tr[data-rule]").first).to_have_attribute("data-rule", "C")
    # The table is re-rendered from what the server saved.
    expect(page.locator("#rule-table tr[data-rule]")).to_have_count(3)
    for _ in range(50):
        saved = list(store.rules.order_by("position").values_list("name", flat=True))
        if saved == ["C", "A", "B"]:
            break
        page.wait_for_timeout(100)
    assert saved == ["C", "A", "B"]
