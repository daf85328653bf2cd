"""Turning Salesforce values into text a person reads, and records into drafts."""

from __future__ import annotations

from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from orderhub.integrations.salesforce.config import FieldMapping, SalesforceSettings
from orderhub.integrations.salesforce.mapping import MappingError, map_order, readable, reader
from orderhub.integrations.salesforce.plan import ImportPlan

UTC = ZoneInfo("UTC")


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        (None, "string", ""),
        (True, "boolean", "Yes"),
        (False, "boolean", "No"),
        (19.99, "currency", "19.99"),
        (10.0, "double", "10"),
        (0.1 + 0.2, "double", "0.30000000000000004"),
        (1e-7, "double", "0.0000001"),
        ("2024-03-05", "date", "2024-03-05"),
        ("2024-03-05T23:30:00.000+0000", "datetime", "2024-03-06 00:30:00"),
        ("Café 🎁", "string", "Café 🎁"),
    ],
)
def test_readable(value, kind, expected):
    assert readable(value, kind, ZoneInfo("Europe/Paris")) == expected


def test_reader_walks_parents_and_tolerates_null_parents():
    record = {"Account": {"Name": "Acme", "Owner": None}, "Name": "Order 1"}
    assert reader(["Account.Name"])(record) == "Acme"
    assert reader(["Account.Owner.Name"])(record) is None
    assert reader(["Account.Name"])({"Account": None}) is None
    assert reader(["Name"])(record) == "Order 1"
    assert reader([])(record) is None


def test_reader_takes_the_first_present_value():
    record = {"Contact": {"Email": ""}, "Account": {"Email": "ap@acme.test"}}
    assert reader(["Contact.Email", "Account.Email"])(record) == "ap@acme.test"
    assert reader(["Contact.Phone", "Account.Email"])(record) == "ap@acme.test"
    assert reader(["Contact.Email", "Contact.Phone"])(record) is None


def order_plan() -> ImportPlan:
    plan = ImportPlan("Order", "OrderItem", "OrderItems")
    plan.order_roles = {
        "number": ["OrderNumber"],
        "email": ["BillToContact.Email"],
        "company": ["Account.Name"],
        "billing_Street": ["BillingStreet"],
        "billing_City": ["BillingCity"],
        "account_shipping_City": ["Account.ShippingCity"],
        "account_shipping_Street": ["Account.ShippingStreet"],
        "description": ["Description"],
    }
    plan.item_roles = {
        "name": ["Product2.Name"],
        "code": ["Product2.ProductCode"],
        "price": ["UnitPrice"],
        "quantity": ["Quantity"],
    }
    plan.order_types = {"Gift_Message__c": "string", "Is_Gift__c": "boolean"}
    plan.item_types = {"Gift_Wrap__c": "boolean"}
    return plan


def record(**extra):
    base = {
        "Id": "8010000000000ABAAA",
        "CreatedDate": "2024-05-01T10:00:00.000+0000",
        "OrderNumber": "00000101",
        "BillToContact": {"Email": "ana@example.com"},
        "Account": {"Name": "Acme", "ShippingCity": "Lyon", "ShippingStreet": "1 rue\n2e étage"},
        "BillingStreet": "9 Main St",
        "BillingCity": "Boston",
        "Description": "Leave at the door",
        "Gift_Message__c": "Happy birthday!",
        "Is_Gift__c": True,
    }
    base.update(extra)
    return base


def item(**extra):
    base = {
        "Id": "8020000000000ABAAA",
        "Product2": {"Name": "Mug", "ProductCode": "MUG-1"},
        "UnitPrice": 12.5,
        "Quantity": 2.0,
        "Gift_Wrap__c": False,
    }
    base.update(extra)
    return base


def test_standard_order_mapping():
    settings = SalesforceSettings(
        order_prefix="SF-",
        custom_order_fields=[
            FieldMapping(field="Gift_Message__c", destination="checkout_data", key="Gift Message"),
            FieldMapping(field="Is_Gift__c", destination="metadata", key="gift"),
        ],
        custom_item_fields=[
            FieldMapping(field="Gift_Wrap__c", destination="variation", key="Gift wrap"),
        ],
    )
    draft = map_order(record(), [item()], order_plan(), settings, UTC)
    assert draft.external_id == "8010000000000ABAAA"
    assert draft.source_name == "Salesforce" and draft.source_id == "SF-00000101"
    assert draft.email == "ana@example.com"
    assert draft.customer.address1 == "9 Main St" and draft.customer.city == "Boston"
    # The order has no shipping address: the account's is used, street lines split.
    assert (draft.shipping.address1, draft.shipping.address2, draft.shipping.city) == (
        "1 rue",
        "2e étage",
        "Lyon",
    )
    assert draft.shipping.company == "Acme"
    assert draft.checkout_data == {"Gift Message": "Happy birthday!"}
    assert draft.order_metadata == {
        "salesforce_id": "8010000000000ABAAA",
        "salesforce_object": "Order",
        "gift": "Yes",
    }
    assert draft.order_notes[0].content == "Leave at the door"
    [line] = draft.order_items
    assert (line.name, line.code, line.price, line.quantity) == (
        "Mug",
        "MUG-1",
        Decimal("12.50"),
        2,
    )
    assert line.variation_list == {"Gift wrap": "No"}
    assert line.metadata["salesforce_id"] == "8020000000000ABAAA"


def test_fractional_quantity_keeps_the_exact_value_in_metadata():
    draft = map_order(record(), [item(Quantity=1.5)], order_plan(), SalesforceSettings(), UTC)
    assert draft.order_items[0].quantity == 2
    assert draft.order_items[0].metadata["salesforce_quantity"] == "1.5"


def test_missing_order_number_is_a_mapping_error():
    with pytest.raises(MappingError, match="order number"):
        map_order(record(OrderNumber=None), [], order_plan(), SalesforceSettings(), UTC)


@pytest.mark.parametrize("price", ["twelve", {"Amount": 12}, [12]])
def test_a_price_that_is_not_a_number_is_a_mapping_error(price):
    with pytest.raises(MappingError, match=r"price .* is not a number"):
        map_order(record(), [item(UnitPrice=price)], order_plan(), SalesforceSettings(), UTC)


@pytest.mark.parametrize(("price", "expected"), [(12.345, "12.35"), (1, "1.00"), ("0.005", "0.01")])
def test_prices_are_rounded_to_cents_half_up(price, expected):
    draft = map_order(record(), [item(UnitPrice=price)], order_plan(), SalesforceSettings(), UTC)
    assert str(draft.order_items[0].price) == expected
