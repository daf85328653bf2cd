"""Mapping values for records rules create: templates over the order view, typed by describe."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from orderhub.integrations.salesforce.record_values import (
    MissingRecord,
    ValueProblem,
    coerce,
    placeholders,
    record_fields,
    render,
)

VIEW = {
    "shipping.last_name": "O'Brien",
    "checkout_data.Gift Message": "Happy birthday 🎁",
    "order_metadata.salesforce_id": "801000000000001AAA",
    "order_total": Decimal("42.50"),
    "date_added": datetime(2024, 5, 31, 23, 30, tzinfo=UTC),
    "item.quantity": 3,
    "created.sales_order__c": "a0X000000000001AAA",
}


def field(kind: str, name: str = "Field__c") -> dict:
    return {"name": name, "type": kind}


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("Fixed text", "Fixed text"),
        ("{{shipping.last_name}}", "O'Brien"),
        ("{{ checkout_data.Gift Message }}", "Happy birthday 🎁"),
        ("Order {{order_metadata.salesforce_id}}!", "Order 801000000000001AAA!"),
        ("{{checkout_data.Nothing}}", None),
        ("For {{checkout_data.Nothing}}", "For "),
        ("{{order_total}}", Decimal("42.50")),
        ("Total {{order_total}}", "Total 42.50"),
        ("{{created.Sales_Order__c}}", "a0X000000000001AAA"),
        ("{{created.SALES_ORDER__C}}", "a0X000000000001AAA"),
    ],
)
def test_render(template, expected):
    assert render(template, VIEW) == expected


def test_a_created_record_that_does_not_exist_yet_is_reported():
    with pytest.raises(MissingRecord) as caught:
        render("{{created.Invoice__c}}", VIEW)
    assert caught.value.object_name == "Invoice__c"
    with pytest.raises(MissingRecord):
        render("Invoice {{created.Invoice__c}}", VIEW)


def test_placeholders():
    assert placeholders("{{a.b}} and {{ c d }} {x}") == ["a.b", "c d"]


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("string", "text", "text"),
        ("picklist", "New", "New"),
        ("email", " a@b.example ", " a@b.example "),
        ("currency", Decimal("42.50"), 42.5),
        ("currency", "1,250.10", 1250.1),
        ("double", "3", 3),
        ("percent", 12.5, 12.5),
        ("int", "7", 7),
        ("boolean", "Yes", True),
        ("boolean", "false", False),
        ("boolean", True, True),
        ("date", "2024-05-31", "2024-05-31"),
        ("date", "2024-05-31 23:30:00", "2024-05-31"),
        ("date", datetime(2024, 5, 31, 23, 30, tzinfo=UTC), "2024-05-31"),
        ("date", date(2024, 1, 2), "2024-01-02"),
        ("datetime", "2024-05-31 23:30:00", "2024-05-31T23:30:00.000Z"),
        (
            "datetime",
            datetime(2024, 6, 1, 1, 30, tzinfo=timezone(timedelta(hours=2))),
            "2024-05-31T23:30:00.000Z",
        ),
        ("reference", "a0X000000000001AAA", "a0X000000000001AAA"),
        ("currency", "", None),
        ("boolean", "  ", None),
        ("date", None, None),
    ],
)
def test_coerce(kind, value, expected):
    assert coerce(field(kind), value) == expected


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("currency", "ten", "Total__c needs a number; 'ten' is not one"),
        ("double", "NaN", "Total__c needs a number"),
        ("int", "2.5", "Total__c needs a whole number; '2.5' is not one"),
        ("boolean", "maybe", "Total__c is a checkbox: use true or false, not 'maybe'"),
        ("date", "31/05/2024", "Total__c needs a date such as 2024-05-31; '31/05/2024' is not one"),
        ("datetime", "tomorrow", "Total__c needs a date and time"),
    ],
)
def test_coerce_refuses_values_naming_the_field(kind, value, message):
    with pytest.raises(ValueProblem, match=message.replace("(", r"\(").replace(")", r"\)")):
        coerce(field(kind, "Total__c"), value)


def test_record_fields_types_each_value_and_leaves_out_empty_ones():
    fields = {
        "total__c": field("currency", "Total__c"),
        "order_date__c": field("date", "Order_Date__c"),
        "rush__c": field("boolean", "Rush__c"),
        "customer_email__c": field("email", "Customer_Email__c"),
        "sales_order__c": field("reference", "Sales_Order__c"),
    }
    mapping = {
        "total__c": "{{order_total}}",
        "Order_Date__c": "{{date_added}}",
        "Rush__c": "yes",
        "Customer_Email__c": "{{checkout_data.Email}}",
        "Sales_Order__c": "{{created.Sales_Order__c}}",
        "Note__c": "Gift: {{checkout_data.Gift Message}}",
    }
    assert record_fields(mapping, VIEW, fields) == {
        "Total__c": 42.5,
        "Order_Date__c": "2024-05-31",
        "Rush__c": True,
        "Sales_Order__c": "a0X000000000001AAA",
        "Note__c": "Gift: Happy birthday 🎁",
    }


def test_a_restricted_picklist_takes_only_its_active_values():
    status = {
        "name": "Status__c",
        "type": "picklist",
        "restrictedPicklist": True,
        "picklistValues": [
            {"value": "New", "active": True},
            {"value": "Approved", "active": True},
            {"value": "Old", "active": False},
        ],
    }
    assert coerce(status, "Approved") == "Approved"
    with pytest.raises(ValueProblem, match="Status__c takes one of New, Approved; not 'Old'"):
        coerce(status, "Old")
    # An open picklist takes any value, as Salesforce does.
    assert coerce({**status, "restrictedPicklist": False}, "Anything") == "Anything"
