"""Build the issue's demo rule in the Rule Builder page and see it create Salesforce records."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from integration.salesforce.conftest import connected, org, sf_org  # noqa: F401 (fixtures)
from integration.salesforce.test_rule_actions import (
    choose_rule_objects,
    create_manual,
    live,
    run_all,
)

pytestmark = [pytest.mark.browser, pytest.mark.emulator, pytest.mark.django_db(transaction=True)]

HEADER_LINES = "Customer_Email__c|{{email}}\nTotal__c|{{order_total}}\nStatus__c|New"
LINE_LINES = (
    "Sales_Order__c|{{created.Sales_Order__c}}\nSKU__c|{{item.code}}\nQuantity__c|{{item.quantity}}"
)


def settle(page) -> None:
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
    page.wait_for_timeout(50)


def test_build_the_sales_order_rule_in_the_page(signed_in, store, connected, org):  # noqa: F811
    choose_rule_objects(connected)
    page = signed_in

    page.goto(f"/stores/{store.id}/rules/new/")
    page.get_by_label("Rule name").fill("To Salesforce")
    page.get_by_label("Rule type").select_option(label="Order Item Rule")
    settle(page)
    page.get_by_label("Event").select_option(label="Order is Created Manually")
    settle(page)
    actions = page.locator(".action-row")
    actions.nth(0).get_by_label("Action", exact=True).select_option(
        label="Create Salesforce Sales_Order__c record"
    )
    settle(page)
    actions.nth(0).get_by_label("Field mapping").fill(HEADER_LINES)
    page.get_by_role("button", name="Add action").click()
    settle(page)
    actions.nth(1).get_by_label("Action", exact=True).select_option(
        label="Create Salesforce Sales_Order_Line__c record"
    )
    settle(page)
    actions.nth(1).get_by_label("Field mapping").fill(LINE_LINES)
    page.get_by_role("button", name="Save rule").click()
    expect(page.get_by_text("Rule “To Salesforce” created.")).to_be_visible()
    expect(page.locator("tr[data-rule='To Salesforce']")).to_contain_text(
        "Create Salesforce Sales_Order_Line__c record"
    )

    order = create_manual(store)
    run_all()
    [header] = live(org, "Sales_Order__c")
    assert header["Customer_Email__c"] == "jimmy@example.com"
    lines = live(org, "Sales_Order_Line__c")
    assert sorted(line["SKU__c"] for line in lines) == ["GLUE", "TAPE"]
    assert {line["Sales_Order__c"] for line in lines} == {header["Id"]}

    page.goto(f"/stores/{store.id}/orders/{order.id}/")
    expect(
        page.get_by_text(f"created Salesforce Sales_Order__c record {header['Id']}")
    ).to_be_visible()
