"""Fixtures for the emulator's own tests: an in-process org for storage/SOQL tests."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from salesforce_emulator.clock import Clock
from salesforce_emulator.schema import load_schema
from salesforce_emulator.storage import Org, open_org

NOW = datetime(2024, 3, 15, 12, 0, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def schema():
    return load_schema()


@pytest.fixture
def clock() -> Clock:
    c = Clock()
    c.set(NOW)
    return c


@pytest.fixture
def org(tmp_path, schema, clock) -> Org:
    o = open_org(tmp_path / "org", schema, clock)
    yield o
    o.close()


@pytest.fixture
def catalog(org):
    """A small org: one account, a standard price book with two products, and two orders."""
    acct = org.create("Account", {"Name": "O'Brien & Sons", "BillingCity": "Dublin"})
    other = org.create("Account", {"Name": "Café Zoë 🚀"})
    pb = org.insert_rows(
        "Pricebook2", [{"Name": "Standard Price Book", "IsStandard": 1, "IsActive": 1}]
    )[0]
    products = [
        org.create("Product2", {"Name": "Widget", "ProductCode": "W-1", "IsActive": True}),
        org.create("Product2", {"Name": "Gadget", "ProductCode": "G-1", "IsActive": True}),
    ]
    entries = [
        org.create(
            "PricebookEntry",
            {"Pricebook2Id": pb, "Product2Id": p, "UnitPrice": 10, "IsActive": True},
        )
        for p in products
    ]
    o1 = org.create(
        "Order",
        {
            "AccountId": acct,
            "EffectiveDate": "2024-03-01",
            "Channel__c": "Web",
            "Tags__c": "Rush;VIP",
        },
    )
    o2 = org.create(
        "Order", {"AccountId": other, "EffectiveDate": "2024-02-01", "Is_Gift__c": True}
    )
    items = [
        org.create(
            "OrderItem",
            {"OrderId": o1, "PricebookEntryId": entries[0], "Quantity": 2, "UnitPrice": 10},
        ),
        org.create(
            "OrderItem",
            {"OrderId": o1, "PricebookEntryId": entries[1], "Quantity": 1, "UnitPrice": 5.5},
        ),
    ]
    return {
        "accounts": [acct, other],
        "pricebook": pb,
        "products": products,
        "entries": entries,
        "orders": [o1, o2],
        "items": items,
    }


@pytest.fixture(scope="session")
def emulator():
    """One HTTPS emulator for the whole session; tests reset its data instead of restarting it."""
    from salesforce_emulator.testing import running_emulator

    with running_emulator() as handle:
        yield handle


@pytest.fixture
def sf_org(emulator):
    """The shared emulator, emptied and seeded small, with faults, counters and clock reset after."""
    emulator.reset()
    emulator.seed(orders=30, items_per_order=3, seed=7)
    emulator.reset_api_calls()
    yield emulator
    emulator.clear_faults()
    emulator.real_clock()
    emulator.settings(
        session_ttl_seconds=7200,
        daily_api_limit=100_000,
        child_inline_cap=200,
        bulk_job_delay_seconds=0.2,
    )


@pytest.fixture
def sf(sf_org):
    """An unmodified simple-salesforce client logged in through the SOAP login."""
    return sf_org.salesforce()
