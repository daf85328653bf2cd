from datetime import timedelta

import pytest

from salesforce_emulator import errors


def test_system_fields_follow_the_clock(org, clock, catalog):
    order_id = catalog["orders"][1]
    before = org.fetch_row("Order", order_id)
    clock.advance(timedelta(minutes=5))
    org.update("Order", order_id, {"Tracking_Number__c": "1Z999"})
    after = org.fetch_row("Order", order_id)
    assert after["CreatedDate"] == before["CreatedDate"]
    assert after["SystemModstamp"] - before["SystemModstamp"] == 5 * 60 * 1000
    assert after["LastModifiedDate"] == after["SystemModstamp"]


def test_order_number_and_total_amount_roll_up(org, catalog):
    o1, o2 = (org.fetch_row("Order", i) for i in catalog["orders"])
    assert o1["OrderNumber"] == "00000100" and o2["OrderNumber"] == "00000101"
    assert o1["TotalAmount"] == 25.5
    org.delete("OrderItem", catalog["items"][1])
    assert org.fetch_row("Order", catalog["orders"][0])["TotalAmount"] == 20.0
    item = org.fetch_row("OrderItem", catalog["items"][0])
    assert item["Product2Id"] == catalog["products"][0] and item["ListPrice"] == 10.0


@pytest.mark.parametrize(
    ("data", "error", "fields"),
    [
        ({"EffectiveDate": "2024-01-01"}, errors.RequiredFieldMissing, ["AccountId"]),
        (
            {"AccountId": "ACCT", "EffectiveDate": "2024-01-01", "Status": "Shipped"},
            errors.InvalidOrNullForRestrictedPicklist,
            ["Status"],
        ),
        (
            {"AccountId": "ACCT", "EffectiveDate": "2024-01-01", "Name": "x" * 81},
            errors.StringTooLong,
            ["Name"],
        ),
        (
            {"AccountId": "ACCT", "EffectiveDate": "2024-01-01", "TotalAmount": 5},
            errors.InvalidFieldForInsertUpdate,
            ["TotalAmount"],
        ),
        ({"AccountId": "bogus", "EffectiveDate": "2024-01-01"}, errors.MalformedId, ["AccountId"]),
        (
            {"AccountId": "ACCT", "EffectiveDate": "March"},
            errors.JsonParserError,
            ["EffectiveDate"],
        ),
        (
            {"AccountId": "ACCT", "EffectiveDate": "2024-01-01", "Nope__c": 1},
            errors.InvalidField,
            [],
        ),
        ({"Id": "8018d0000000001AAA"}, errors.InvalidField, []),
    ],
)
def test_create_validation_errors(org, catalog, data, error, fields):
    data = {k: (catalog["accounts"][0] if v == "ACCT" else v) for k, v in data.items()}
    with pytest.raises(error) as info:
        org.create("Order", data)
    assert info.value.fields == fields


def test_error_messages_match_salesforce(org, catalog):
    with pytest.raises(
        errors.RequiredFieldMissing, match=r"Required fields are missing: \[AccountId\]"
    ):
        org.create("Order", {"EffectiveDate": "2024-01-01"})
    with pytest.raises(errors.InvalidField, match="No such column 'Bad' on sobject of type Order"):
        org.create("Order", {"Bad": 1})


def test_recycle_bin_and_cascade(org, catalog):
    order_id = catalog["orders"][0]
    org.delete("Order", order_id)
    assert org.count("OrderItem") == 0
    assert org.count("OrderItem", include_deleted=True) == 2
    with pytest.raises(errors.EntityIsDeleted):
        org.live_row(org.object("Order"), order_id)
    with pytest.raises(errors.EntityIsDeleted):
        org.update("Order", order_id, {"Name": "x"})
    with pytest.raises(errors.NotFound):
        org.live_row(org.object("Order"), "8018d00000000ZZAAA"[:15])
    deleted = org.deleted_records("Order", 0, 2**62)
    assert [d[0] for d in deleted] == [order_id]


def test_activated_order_rejects_new_items(org, catalog):
    org.update("Order", catalog["orders"][0], {"Status": "Activated"})
    row = org.fetch_row("Order", catalog["orders"][0])
    assert row["StatusCode"] == "Activated" and row["ActivatedDate"] is not None
    with pytest.raises(errors.FieldIntegrityException):
        org.create(
            "OrderItem",
            {
                "OrderId": catalog["orders"][0],
                "PricebookEntryId": catalog["entries"][0],
                "Quantity": 1,
                "UnitPrice": 1,
            },
        )


def test_transaction_rolls_back_everything(org, catalog):
    with pytest.raises(errors.RequiredFieldMissing), org.transaction():
        org.create("Account", {"Name": "kept?"})
        org.create("Account", {})
    assert org.count("Account") == 2


def test_custom_price_needs_a_standard_price(org, catalog):
    custom = org.create("Pricebook2", {"Name": "Wholesale", "IsActive": True})
    new_product = org.create("Product2", {"Name": "Lonely"})
    with pytest.raises(errors.FieldIntegrityException, match="create a standard price"):
        org.create(
            "PricebookEntry", {"Pricebook2Id": custom, "Product2Id": new_product, "UnitPrice": 1}
        )
    entry = org.create(
        "PricebookEntry",
        {"Pricebook2Id": custom, "Product2Id": catalog["products"][0], "UnitPrice": 8},
    )
    assert org.fetch_row("PricebookEntry", entry)["Name"] == "Widget"
