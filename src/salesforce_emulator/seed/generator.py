"""Deterministic seed data: accounts, contacts, products, a standard price book, orders with items,
opportunities with line items and the custom Sales_Order__c / Sales_Order_Line__c pair.

Names deliberately carry quotes, apostrophes, backslashes, accents and emoji so clients must escape
SOQL properly. Every 20th order has no items; one order in 1,000 (and always the second) has 250.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from ..storage import Org

ACCOUNT_NAMES = [
    "O'Brien & Sons", 'The "Quoted" Company', "Café Zoë", "Zoë's 🚀 Rockets", "Back\\slash Ltd",
    "Ünïcödé GmbH", "Smith, Jones & Co", "100% Natural", "Under_score Inc", "北京贸易",
    "Acme Corporation", "Globex", "Initech", "Umbrella Corp", "Hooli",
]  # fmt: skip
PRODUCT_NAMES = [
    "Widget", "Gadget", "Sprocket", 'Doohickey 12"', "Thingamajig", "Gizmo", "Café Crème Mug",
    "Robot 🤖 Kit", "O'Reilly Cable", "Tea & Biscuits",
]  # fmt: skip
FIRST = ["Ada", "Zoë", "Seán", "Marie-Claire", "Jürgen", "Li", "Priya", "O'Neil", "José", "Émile"]
LAST = [
    "O'Brien",
    "Smith",
    "Müller",
    "García",
    "Nguyen",
    "D'Angelo",
    "Åström",
    "Chen",
    "Okafor",
    "Kowalski",
]
CITIES = [
    ("Dublin", "IE"),
    ("Paris", "FR"),
    ("São Paulo", "BR"),
    ("München", "DE"),
    ("Austin", "US"),
]
GIFT_MESSAGES = ["Happy birthday! 🎂", 'With love — "M"', "It's for you", "", "Merci beaucoup ❤️"]
CHANNELS = ["Web", "Phone", "Store", "Marketplace"]
TAGS = ["Rush", "Fragile", "VIP", "Wholesale"]
BIG_ORDER_ITEMS = 250


def _items_for(index: int, items_per_order: int) -> int:
    if index % 20 == 19:
        return 0
    if index == 1 or index % 1000 == 999:
        return BIG_ORDER_ITEMS
    return items_per_order


def seed_org(
    org: Org,
    *,
    orders: int = 50,
    items_per_order: int = 3,
    seed: int = 1,
    accounts: int | None = None,
    products: int = 20,
    opportunities: int | None = None,
    sales_orders: int | None = None,
    big_orders: bool = True,
) -> dict:
    """Add a deterministic data set to `org`; return how many records of each object were made."""
    rng = random.Random(seed)
    n_accounts = accounts if accounts is not None else max(5, min(2000, orders // 20 or 5))
    n_opps = opportunities if opportunities is not None else max(3, orders // 20)
    n_sales = sales_orders if sales_orders is not None else max(3, orders // 20)
    base_date = date(2024, 1, 1)
    counts: dict[str, int] = {}

    account_ids = org.insert_rows(
        "Account",
        [
            {
                "Name": f"{ACCOUNT_NAMES[i % len(ACCOUNT_NAMES)]}"
                + (f" #{i}" if i >= len(ACCOUNT_NAMES) else ""),
                "AccountNumber": f"A-{i:06d}",
                "Type": "Customer - Direct",
                "Industry": rng.choice(["Retail", "Technology", "Apparel"]),
                "BillingStreet": f"{i + 1} Main St\nSuite {i % 7}",
                "BillingCity": CITIES[i % len(CITIES)][0],
                "BillingCountry": CITIES[i % len(CITIES)][1],
                "BillingPostalCode": f"{10000 + i}",
            }
            for i in range(n_accounts)
        ],
    )
    counts["Account"] = len(account_ids)
    contact_rows = []
    for i, account_id in enumerate(account_ids):
        first, last = FIRST[i % len(FIRST)], LAST[(i * 3) % len(LAST)]
        contact_rows.append(
            {
                "AccountId": account_id,
                "FirstName": first,
                "LastName": last,
                "Name": f"{first} {last}",
                "Email": f"contact{i}@example.com",
                "MailingCity": CITIES[i % len(CITIES)][0],
            }
        )
    contact_ids = org.insert_rows("Contact", contact_rows)
    counts["Contact"] = len(contact_ids)

    product_rows = [
        {
            "Name": PRODUCT_NAMES[i % len(PRODUCT_NAMES)]
            + (f" v{i}" if i >= len(PRODUCT_NAMES) else ""),
            "ProductCode": f"SKU-{i:04d}",
            "StockKeepingUnit": f"SKU-{i:04d}",
            "IsActive": 1,
            "Family": rng.choice(["Apparel", "Accessories", "Home", "Gifts"]),
        }
        for i in range(products)
    ]
    product_ids = org.insert_rows("Product2", product_rows)
    counts["Product2"] = len(product_ids)
    standard = org.rows("Pricebook2", "IsStandard = 1")
    pricebook_id = (
        standard[0]["Id"]
        if standard
        else org.insert_rows(
            "Pricebook2", [{"Name": "Standard Price Book", "IsStandard": 1, "IsActive": 1}]
        )[0]
    )
    prices = [round(rng.uniform(2, 200), 2) for _ in product_ids]
    entry_ids = org.insert_rows(
        "PricebookEntry",
        [
            {
                "Pricebook2Id": pricebook_id,
                "Product2Id": pid,
                "UnitPrice": prices[i],
                "IsActive": 1,
                "Name": product_rows[i]["Name"],
                "ProductCode": product_rows[i]["ProductCode"],
            }
            for i, pid in enumerate(product_ids)
        ],
    )
    counts["PricebookEntry"] = len(entry_ids)

    n_products = len(product_ids)
    # Orders and items are written in chunks so memory stays flat for large seeds.
    counts["Order"] = counts["OrderItem"] = 0
    chunk = 5000
    for start in range(0, orders, chunk):
        order_rows = []
        plan = []
        for i in range(start, min(orders, start + chunk)):
            acct = rng.randrange(n_accounts)
            status = "Activated" if i % 3 == 0 else "Draft"
            order_rows.append(
                {
                    "AccountId": account_ids[acct],
                    "BillToContactId": contact_ids[acct],
                    "ShipToContactId": contact_ids[acct],
                    "Pricebook2Id": pricebook_id,
                    "Status": status,
                    "StatusCode": status,
                    "EffectiveDate": (base_date + timedelta(days=i % 365)).isoformat(),
                    "Name": f"Order for {ACCOUNT_NAMES[acct % len(ACCOUNT_NAMES)]}",
                    "Description": 'Seeded order — "handle with care"' if i % 7 == 0 else None,
                    "ShippingStreet": f"{i % 900 + 1} Harbour Rd",
                    "ShippingCity": CITIES[i % len(CITIES)][0],
                    "ShippingCountry": CITIES[i % len(CITIES)][1],
                    "ShippingPostalCode": f"{20000 + i % 9999}",
                    "Gift_Message__c": GIFT_MESSAGES[i % len(GIFT_MESSAGES)] or None,
                    "Channel__c": CHANNELS[i % len(CHANNELS)],
                    "Is_Gift__c": int(i % 5 == 0),
                    "Priority__c": float(i % 4),
                    "Ship_By_Date__c": (base_date + timedelta(days=i % 365 + 5)).isoformat(),
                    "Tags__c": ";".join(sorted({TAGS[i % 4], TAGS[(i // 4) % 4]})),
                    "External_Order_Id__c": f"EXT-{seed}-{i:07d}",
                }
            )
            n_items = _items_for(i, items_per_order) if big_orders else items_per_order
            plan.append(n_items)
        order_ids = org.insert_rows("Order", order_rows)
        item_rows = []
        for order_id, n_items in zip(order_ids, plan, strict=True):
            for j in range(n_items):
                # random() is several times cheaper than randrange/randint; this loop runs 500k times.
                p = int(rng.random() * n_products)
                quantity = float(1 + int(rng.random() * 5))
                item_rows.append(
                    {
                        "OrderId": order_id,
                        "PricebookEntryId": entry_ids[p],
                        "Product2Id": product_ids[p],
                        "Quantity": quantity,
                        "UnitPrice": prices[p],
                        "ListPrice": prices[p],
                        "TotalPrice": round(quantity * prices[p], 2),
                        "Description": f"Line {j + 1}: {product_rows[p]['Name']}",
                        "Gift_Wrap__c": int(j % 4 == 0),
                        "Weight__c": round(0.1 + rng.random() * 4.9, 3),
                    }
                )
        for item_start in range(0, len(item_rows), 20_000):
            org.insert_rows("OrderItem", item_rows[item_start : item_start + 20_000])
        counts["Order"] += len(order_ids)
        counts["OrderItem"] += len(item_rows)
    with org.transaction():
        org.recompute_roll_ups("OrderItem")

    opp_rows = [
        {
            "Name": f"{ACCOUNT_NAMES[i % len(ACCOUNT_NAMES)]} — deal {i}",
            "AccountId": account_ids[i % n_accounts],
            "StageName": ["Prospecting", "Negotiation", "Closed Won"][i % 3],
            "IsClosed": int(i % 3 == 2),
            "IsWon": int(i % 3 == 2),
            "CloseDate": (base_date + timedelta(days=30 + i)).isoformat(),
            "Pricebook2Id": pricebook_id,
            "Probability": [10.0, 60.0, 100.0][i % 3],
        }
        for i in range(n_opps)
    ]
    opp_ids = org.insert_rows("Opportunity", opp_rows)
    line_rows = []
    for i, opp_id in enumerate(opp_ids):
        for j in range(2):
            p = (i + j) % len(product_ids)
            line_rows.append(
                {
                    "OpportunityId": opp_id,
                    "PricebookEntryId": entry_ids[p],
                    "Product2Id": product_ids[p],
                    "Name": f"{opp_rows[i]['Name']} {product_rows[p]['Name']}"[:376],
                    "ProductCode": product_rows[p]["ProductCode"],
                    "Quantity": float(j + 1),
                    "UnitPrice": prices[p],
                    "ListPrice": prices[p],
                    "TotalPrice": round((j + 1) * prices[p], 2),
                }
            )
    org.insert_rows("OpportunityLineItem", line_rows)
    counts["Opportunity"] = len(opp_ids)
    counts["OpportunityLineItem"] = len(line_rows)

    sales_ids = org.insert_rows(
        "Sales_Order__c",
        [
            {
                "Account__c": account_ids[i % n_accounts],
                "Status__c": ["New", "Approved", "Shipped"][i % 3],
                "Order_Date__c": (base_date + timedelta(days=i)).isoformat(),
                "Customer_Email__c": f"buyer{i}@example.com",
                "Rush__c": int(i % 4 == 0),
                "Total__c": 0.0,
            }
            for i in range(n_sales)
        ],
    )
    sales_lines = [
        {
            "Sales_Order__c": so_id,
            "Product__c": product_ids[(i + j) % len(product_ids)],
            "SKU__c": product_rows[(i + j) % len(product_ids)]["ProductCode"],
            "Quantity__c": float(j + 1),
            "Unit_Price__c": prices[(i + j) % len(product_ids)],
            "Description__c": f"Line {j + 1} of SO {i} — 'quoted'",
        }
        for i, so_id in enumerate(sales_ids)
        for j in range(3)
    ]
    org.insert_rows("Sales_Order_Line__c", sales_lines)
    counts["Sales_Order__c"] = len(sales_ids)
    counts["Sales_Order_Line__c"] = len(sales_lines)
    return counts
