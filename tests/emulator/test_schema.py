from salesforce_emulator.schema.describe import describe_global, describe_sobject


def test_order_describe_has_salesforce_shapes(schema):
    order = schema.get("order")
    result = describe_sobject(schema, order, "59.0")
    fields = {f["name"]: f for f in result["fields"]}
    assert result["keyPrefix"] == "801"
    assert fields["AccountId"]["referenceTo"] == ["Account"]
    assert fields["AccountId"]["relationshipName"] == "Account"
    assert [p["value"] for p in fields["Status"]["picklistValues"]] == ["Draft", "Activated"]
    assert fields["Status"]["restrictedPicklist"] is True
    assert (
        fields["TotalAmount"]["updateable"] is False
        and fields["TotalAmount"]["createable"] is False
    )
    assert fields["OrderNumber"]["autoNumber"] is True
    assert (
        fields["Tracking_Number__c"]["type"] == "string"
        and fields["Tracking_Number__c"]["length"] == 255
    )
    assert fields["Tracking_Number__c"]["custom"] is True
    assert fields["BillingCity"]["compoundFieldName"] == "BillingAddress"
    assert fields["BillingAddress"]["type"] == "address"
    assert fields["Description"]["filterable"] is False
    rels = {r["relationshipName"]: r for r in result["childRelationships"]}
    assert (
        rels["OrderItems"]["childSObject"] == "OrderItem"
        and rels["OrderItems"]["field"] == "OrderId"
    )


def test_custom_pair_is_master_detail(schema):
    parent = describe_sobject(schema, schema.get("Sales_Order__c"), "59.0")
    rel = next(
        r for r in parent["childRelationships"] if r["relationshipName"] == "Sales_Order_Lines__r"
    )
    assert rel["cascadeDelete"] is True
    line = {
        f["name"]: f
        for f in describe_sobject(schema, schema.get("Sales_Order_Line__c"), "59.0")["fields"]
    }
    assert line["Sales_Order__c"]["relationshipOrder"] == 0
    assert line["Sales_Order__c"]["nillable"] is False
    assert parent["custom"] is True and parent["keyPrefix"].startswith("a0")


def test_describe_global_lists_every_object(schema):
    names = {o["name"] for o in describe_global(schema, "59.0")["sobjects"]}
    assert {
        "Account",
        "Contact",
        "User",
        "Product2",
        "Pricebook2",
        "PricebookEntry",
        "Order",
        "OrderItem",
        "Opportunity",
        "OpportunityLineItem",
        "Sales_Order__c",
        "Sales_Order_Line__c",
    } <= names
