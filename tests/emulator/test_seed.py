from salesforce_emulator.seed import seed_org


def test_seed_is_deterministic_and_awkward(tmp_path, schema, clock):
    from salesforce_emulator.storage import open_org

    orgs = [open_org(tmp_path / name, schema, clock) for name in ("a", "b")]
    counts = [seed_org(o, orders=45, items_per_order=2, seed=5) for o in orgs]
    assert counts[0] == counts[1]
    fields = (
        "Name, Status, TotalAmount, Gift_Message__c, Channel__c, Tags__c, Is_Gift__c, Priority__c"
    )
    snapshots = [o.rows("Order") for o in orgs]
    assert [{k: r[k] for k in fields.split(", ")} for r in snapshots[0]] == [
        {k: r[k] for k in fields.split(", ")} for r in snapshots[1]
    ]
    org = orgs[0]
    names = {r["Name"] for r in org.rows("Account")}
    assert {
        "O'Brien & Sons",
        'The "Quoted" Company',
        "Back\\slash Ltd",
        "Zoë's 🚀 Rockets",
    } <= names
    statuses = {r["Status"] for r in snapshots[0]}
    assert statuses == {"Draft", "Activated"}
    per_order = org.queries.query(
        "SELECT OrderId, COUNT(Id) n FROM OrderItem GROUP BY OrderId", "59.0"
    )["records"]
    sizes = sorted(r["n"] for r in per_order)
    assert (
        max(sizes) == 250 and len(per_order) == 45 - 2
    )  # two orders (the 20th and 40th) have no items
    order = snapshots[0][1]
    items = org.rows("OrderItem", "OrderId = ?", (order["Id"],))
    assert round(sum(i["TotalPrice"] for i in items), 2) == round(order["TotalAmount"], 2)
    assert org.count("OpportunityLineItem") == 2 * org.count("Opportunity")
    assert org.count("Sales_Order_Line__c") == 3 * org.count("Sales_Order__c")
    assert all(r["Gift_Message__c"] is None or r["Gift_Message__c"] for r in snapshots[0])
    for o in orgs:
        o.close()
