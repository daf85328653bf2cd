"""SOQL semantics and result shapes, run against the in-process org."""

from datetime import timedelta

import pytest

from salesforce_emulator import errors

V = "59.0"


def run(org, soql, **kw):
    return org.queries.query(soql, V, **kw)


def names(result, key="Name"):
    return [r[key] for r in result["records"]]


def test_record_shape(org, catalog):
    result = run(
        org,
        "SELECT Id, OrderNumber, CreatedDate, Is_Gift__c, TotalAmount, EffectiveDate, "
        "Account.Name, BillToContact.Name FROM Order ORDER BY OrderNumber LIMIT 1",
    )
    record = result["records"][0]
    assert list(record) == [
        "attributes",
        "Id",
        "OrderNumber",
        "CreatedDate",
        "Is_Gift__c",
        "TotalAmount",
        "EffectiveDate",
        "Account",
        "BillToContact",
    ]
    assert record["attributes"] == {
        "type": "Order",
        "url": f"/services/data/v59.0/sobjects/Order/{record['Id']}",
    }
    assert len(record["Id"]) == 18 and record["Id"].startswith("801")
    assert record["CreatedDate"] == "2024-03-15T12:00:00.000+0000"
    assert record["Is_Gift__c"] is False and record["TotalAmount"] == 25.5
    assert record["Account"]["Name"] == "O'Brien & Sons"
    assert record["Account"]["attributes"]["type"] == "Account"
    assert record["BillToContact"] is None
    assert result["totalSize"] == 1 and result["done"] is True


def test_child_results_and_null_when_empty(org, catalog):
    result = run(
        org,
        "SELECT OrderNumber, (SELECT Quantity, Product2.Name FROM OrderItems ORDER BY Quantity) "
        "FROM Order ORDER BY OrderNumber",
    )
    first, second = result["records"]
    assert first["OrderItems"]["totalSize"] == 2 and first["OrderItems"]["done"] is True
    assert [r["Quantity"] for r in first["OrderItems"]["records"]] == [1.0, 2.0]
    assert first["OrderItems"]["records"][0]["Product2"]["Name"] == "Gadget"
    assert second["OrderItems"] is None


def test_where_operators(org, catalog):
    assert names(run(org, "SELECT Name FROM Account WHERE Name = 'o\\'brien & sons'")) == [
        "O'Brien & Sons"
    ]
    assert names(run(org, "SELECT Name FROM Account WHERE Name != 'Café Zoë 🚀'")) == [
        "O'Brien & Sons"
    ]
    assert len(run(org, "SELECT Id FROM Account WHERE Name <> null")["records"]) == 2
    assert names(run(org, "SELECT Name FROM Account WHERE Name LIKE 'caf%'")) == ["Café Zoë 🚀"]
    assert names(run(org, "SELECT Name FROM Account WHERE NOT Name LIKE 'caf%'")) == [
        "O'Brien & Sons"
    ]
    assert names(run(org, "SELECT Name FROM Account WHERE Name IN ('x', 'Café Zoë 🚀')")) == [
        "Café Zoë 🚀"
    ]
    assert len(run(org, "SELECT Id FROM Account WHERE Name NOT IN ('x')")["records"]) == 2
    q = "SELECT OrderNumber FROM Order WHERE (Channel__c = 'Web' OR Is_Gift__c = true) AND TotalAmount >= 0"
    assert len(run(org, q)["records"]) == 2
    assert names(
        run(org, "SELECT OrderNumber FROM Order WHERE Channel__c = null"), "OrderNumber"
    ) == ["00000101"]
    assert names(
        run(org, "SELECT OrderNumber FROM Order WHERE TotalAmount > 25"), "OrderNumber"
    ) == ["00000100"]
    assert names(
        run(org, "SELECT OrderNumber FROM Order WHERE EffectiveDate < 2024-02-15"), "OrderNumber"
    ) == ["00000101"]
    assert (
        len(run(org, "SELECT Id FROM Order WHERE CreatedDate > 2024-03-15T11:59:59Z")["records"])
        == 2
    )


def test_includes_excludes(org, catalog):
    assert len(run(org, "SELECT Id FROM Order WHERE Tags__c INCLUDES ('VIP')")["records"]) == 1
    assert len(run(org, "SELECT Id FROM Order WHERE Tags__c INCLUDES ('vip;rush')")["records"]) == 1
    assert (
        len(run(org, "SELECT Id FROM Order WHERE Tags__c INCLUDES ('VIP;Fragile')")["records"]) == 0
    )
    assert len(run(org, "SELECT Id FROM Order WHERE Tags__c EXCLUDES ('VIP')")["records"]) == 1


def test_semi_and_anti_join(org, catalog):
    q = "SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Order WHERE Channel__c = 'Web')"
    assert names(run(org, q)) == ["O'Brien & Sons"]
    q = "SELECT Name FROM Account WHERE Id NOT IN (SELECT AccountId FROM Order WHERE Channel__c = 'Web')"
    assert names(run(org, q)) == ["Café Zoë 🚀"]


def test_date_literals_follow_the_clock(org, clock, catalog):
    assert run(org, "SELECT COUNT() FROM Order WHERE CreatedDate = TODAY")["totalSize"] == 2
    clock.advance(timedelta(days=2))
    assert run(org, "SELECT COUNT() FROM Order WHERE CreatedDate = TODAY")["totalSize"] == 0
    assert run(org, "SELECT COUNT() FROM Order WHERE CreatedDate = LAST_N_DAYS:2")["totalSize"] == 2
    assert run(org, "SELECT COUNT() FROM Order WHERE CreatedDate = THIS_MONTH")["totalSize"] == 2
    assert run(org, "SELECT COUNT() FROM Order WHERE EffectiveDate = LAST_MONTH")["totalSize"] == 1


def test_order_by_nulls_limit_offset(org, catalog):
    q = "SELECT OrderNumber FROM Order ORDER BY Channel__c ASC NULLS LAST"
    assert names(run(org, q), "OrderNumber") == ["00000100", "00000101"]
    q = "SELECT OrderNumber FROM Order ORDER BY Channel__c ASC NULLS FIRST"
    assert names(run(org, q), "OrderNumber") == ["00000101", "00000100"]
    q = "SELECT OrderNumber FROM Order ORDER BY OrderNumber DESC LIMIT 1 OFFSET 1"
    result = run(org, q)
    assert names(result, "OrderNumber") == ["00000100"] and result["totalSize"] == 1


def test_aggregates(org, catalog):
    assert run(org, "SELECT COUNT() FROM OrderItem") == {
        "totalSize": 2,
        "done": True,
        "records": [],
    }
    result = run(
        org,
        "SELECT OrderId, COUNT(Id), SUM(TotalPrice) total, MAX(CreatedDate) FROM OrderItem GROUP BY OrderId",
    )
    record = result["records"][0]
    assert record == {
        "attributes": {"type": "AggregateResult"},
        "OrderId": catalog["orders"][0],
        "expr0": 2,
        "total": 25.5,
        "expr1": "2024-03-15T12:00:00.000+0000",
    }


def test_query_all_sees_the_recycle_bin(org, catalog):
    org.delete("Order", catalog["orders"][1])
    assert run(org, "SELECT COUNT() FROM Order")["totalSize"] == 1
    result = run(
        org, "SELECT Id, IsDeleted FROM Order WHERE IsDeleted = true", include_deleted=True
    )
    assert [r["Id"] for r in result["records"]] == [catalog["orders"][1]]


def test_paging_locators(org, catalog):
    org.insert_rows("Account", [{"Name": f"Bulk {i:04d}"} for i in range(450)])
    first = run(org, "SELECT Name FROM Account ORDER BY Name", batch_size=200)
    assert first["totalSize"] == 452 and not first["done"] and len(first["records"]) == 200
    locator = first["nextRecordsUrl"].rsplit("/", 1)[1]
    assert first["nextRecordsUrl"].startswith(
        "/services/data/v59.0/query/01g"
    ) and locator.endswith("-200")
    second = org.queries.query_more(locator, V)
    third = org.queries.query_more(second["nextRecordsUrl"].rsplit("/", 1)[1], V)
    assert len(second["records"]) == 200 and len(third["records"]) == 52 and third["done"]
    assert "nextRecordsUrl" not in third
    everything = names(first) + names(second) + names(third)
    assert everything == sorted(everything, key=str.lower) and len(set(everything)) == 452
    with pytest.raises(errors.InvalidQueryLocator):
        org.queries.query_more("01gNOPE-200", V)


def test_children_count_toward_the_batch_and_page_themselves(org, catalog):
    order = catalog["orders"][1]
    # Give the second order 250 items: more than the inline cap of 200.
    org.insert_rows(
        "OrderItem",
        [
            {
                "OrderId": order,
                "PricebookEntryId": catalog["entries"][0],
                "Quantity": i + 1,
                "UnitPrice": 1,
            }
            for i in range(250)
        ],
    )
    result = run(
        org,
        "SELECT Id, (SELECT Quantity FROM OrderItems ORDER BY Quantity) FROM Order ORDER BY OrderNumber",
        batch_size=200,
    )
    assert (
        len(result["records"]) == 1 and not result["done"]
    )  # 1 + 2 children, then 1 + 200 > remaining
    nxt = org.queries.query_more(result["nextRecordsUrl"].rsplit("/", 1)[1], V)
    child = nxt["records"][0]["OrderItems"]
    assert child["totalSize"] == 250 and child["done"] is False and len(child["records"]) == 200
    rest = org.queries.query_more(child["nextRecordsUrl"].rsplit("/", 1)[1], V)
    assert rest["done"] and [r["Quantity"] for r in rest["records"]] == [
        float(i) for i in range(201, 251)
    ]


def test_child_subquery_where_and_limit(org, catalog):
    q = "SELECT Id, (SELECT Quantity FROM OrderItems WHERE Quantity > 1 LIMIT 1) FROM Order ORDER BY OrderNumber"
    child = run(org, q)["records"][0]["OrderItems"]
    assert child["totalSize"] == 1 and child["records"][0]["Quantity"] == 2.0


def test_compound_address_and_custom_pair(org, catalog):
    result = run(org, "SELECT BillingAddress FROM Account WHERE BillingCity = 'Dublin'")
    assert result["records"][0]["BillingAddress"]["city"] == "Dublin"
    so = org.create("Sales_Order__c", {"Account__c": catalog["accounts"][0], "Rush__c": True})
    org.create("Sales_Order_Line__c", {"Sales_Order__c": so, "Quantity__c": 2, "SKU__c": "A"})
    result = run(
        org,
        "SELECT Name, Account__r.Name, (SELECT SKU__c FROM Sales_Order_Lines__r) FROM Sales_Order__c",
    )
    record = result["records"][0]
    assert record["Name"] == "SO-000100" and record["Account__r"]["Name"] == "O'Brien & Sons"
    assert record["Sales_Order_Lines__r"]["records"][0]["SKU__c"] == "A"


def test_more_semantics(org, catalog):
    assert len(run(org, "SELECT Id FROM Order WHERE Account.Name = null")["records"]) == 0
    assert names(
        run(org, "SELECT OrderNumber FROM Order ORDER BY Account.Name DESC"), "OrderNumber"
    ) == [
        "00000100",
        "00000101",
    ]
    assert run(org, "SELECT COUNT_DISTINCT(AccountId) n FROM Order")["records"][0]["n"] == 2
    result = run(org, "SELECT Status, COUNT(Id) n FROM Order GROUP BY Status HAVING COUNT(Id) > 1")
    assert result["records"] == [
        {"attributes": {"type": "AggregateResult"}, "Status": "Draft", "n": 2}
    ]
    q = "SELECT Id FROM Order WHERE Is_Gift__c = false AND Channel__c IN ('Web', null)"
    assert len(run(org, q)["records"]) == 1
    q = "SELECT Id FROM Order WHERE NOT (Channel__c = 'Web' OR Is_Gift__c = true)"
    assert run(org, q)["records"] == []
    assert len(run(org, "SELECT Id FROM Order WITH SECURITY_ENFORCED FOR VIEW")["records"]) == 2
    assert (
        len(run(org, f"SELECT Id FROM Order WHERE Id = '{catalog['orders'][0][:15]}'")["records"])
        == 1
    )
    q = "SELECT Id, (SELECT Id FROM OrderItems WHERE PricebookEntryId IN (SELECT Id FROM PricebookEntry WHERE UnitPrice > 5)) FROM Order"
    assert run(org, q)["records"][0]["OrderItems"]["totalSize"] == 2


def test_opportunity_line_items_derive_from_the_price_book(org, catalog):
    opp = org.create(
        "Opportunity", {"Name": "Big deal", "StageName": "Closed Won", "CloseDate": "2024-04-01",
                        "AccountId": catalog["accounts"][0]},
    )  # fmt: skip
    line = org.create("OpportunityLineItem", {"OpportunityId": opp, "PricebookEntryId": catalog["entries"][1],
                                              "Quantity": 3, "TotalPrice": 30})  # fmt: skip
    row = org.fetch_row("OpportunityLineItem", line)
    assert (
        row["UnitPrice"] == 10.0
        and row["ProductCode"] == "G-1"
        and row["Name"] == "Big deal Gadget"
    )
    assert org.fetch_row("Opportunity", opp)["IsWon"] == 1
    result = run(org, "SELECT Name, (SELECT Quantity FROM OpportunityLineItems) FROM Opportunity")
    assert result["records"][0]["OpportunityLineItems"]["records"][0]["Quantity"] == 3.0
