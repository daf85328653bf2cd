"""The import query: fields from the plan, values escaped, the window and the order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from orderhub.integrations.salesforce.plan import ImportPlan
from orderhub.integrations.salesforce.query import (
    build_count_query,
    build_import_query,
    soql_datetime,
)


def plan(filter_field: str = "", filter_type: str = "") -> ImportPlan:
    result = ImportPlan(
        "Order", "OrderItem", "OrderItems", filter_field=filter_field, filter_type=filter_type
    )
    result.order_types.update({"Id": "id", "SystemModstamp": "datetime", "OrderNumber": "string"})
    result.item_types.update({"Id": "id", "Product2.Name": "string", "Quantity": "double"})
    if filter_field:
        result.order_types[filter_field] = filter_type
    return result


def test_select_has_the_item_subquery_and_keyset_order():
    soql = build_import_query(
        plan(), since_modstamp=datetime(2024, 5, 1, 12, 0, 30, 999000, tzinfo=UTC)
    )
    assert soql == (
        "SELECT Id, SystemModstamp, OrderNumber, (SELECT Id, Product2.Name, Quantity FROM OrderItems "
        "ORDER BY Id) FROM Order WHERE (SystemModstamp >= 2024-05-01T11:55:30Z) "
        "ORDER BY SystemModstamp, Id"
    )


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("picklist", "Activated", "Status = 'Activated'"),
        ("string", "O'Brien \\ x' OR Name != '", "Status = 'O\\'Brien \\\\ x\\' OR Name != \\''"),
        ("boolean", True, "Status = true"),
        ("double", 12.5, "Status = 12.5"),
        ("int", 3, "Status = 3"),
        ("date", "2024-05-01", "Status = 2024-05-01"),
    ],
)
def test_filter_value_is_typed_and_escaped(kind, value, expected):
    soql = build_import_query(plan("Status", kind), filter_value=value)
    assert f"WHERE {expected} ORDER BY" in soql


def test_retry_ids_are_read_whatever_their_timestamp():
    soql = build_import_query(
        plan(),
        since_modstamp=datetime(2024, 5, 1, tzinfo=UTC),
        lookback=timedelta(0),
        retry_ids=["801000000000001AAA", "801000000000002AAA"],
    )
    assert (
        "WHERE ((SystemModstamp >= 2024-05-01T00:00:00Z) OR "
        "Id IN ('801000000000001AAA','801000000000002AAA'))" in soql
    )


def test_count_query_uses_created_date_and_filter():
    soql = build_count_query(
        plan("Status", "picklist"),
        filter_value="Activated",
        created_since=datetime(2024, 1, 1, tzinfo=UTC),
    )
    assert soql == (
        "SELECT COUNT() FROM Order WHERE CreatedDate >= 2024-01-01T00:00:00Z AND Status = 'Activated'"
    )


def test_datetimes_are_utc_whole_seconds():
    from zoneinfo import ZoneInfo

    local = datetime(2024, 1, 1, 1, 30, 15, 500000, tzinfo=ZoneInfo("Europe/Paris"))
    assert soql_datetime(local) == "2024-01-01T00:30:15Z"
