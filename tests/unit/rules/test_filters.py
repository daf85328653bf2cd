"""Filter operators: text, numbers, dates and folders, with case and type edge cases."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from orderhub.rules.fields import field_kind
from orderhub.rules.filters import (
    DATE,
    FOLDER,
    NUMBER,
    OPERATORS,
    TEXT,
    Context,
    Filter,
    FilterProblem,
    compare,
    matches,
)

UTC = ZoneInfo("UTC")
NY = ZoneInfo("America/New_York")
CTX = Context(tz=UTC, now=datetime(2024, 6, 15, 12, 0, tzinfo=UTC))


def check(kind, actual, operator, value="", ignore_case=False, ctx=CTX):
    return compare(kind, actual, Filter("f", operator, value, ignore_case=ignore_case), ctx)


@pytest.mark.parametrize(
    ("operator", "actual", "value", "expected"),
    [
        ("equals", "FR", "FR", True),
        ("equals", "FR", "fr", False),
        ("not_equals", "FR", "fr", True),
        ("not_equals", "FR", "FR", False),
        ("contains", "Gift wrap please", "wrap", True),
        ("contains", "Gift wrap please", "Wrap", False),
        ("not_contains", "Gift wrap please", "Wrap", True),
        ("not_contains", "Gift wrap please", "wrap", False),
        ("starts_with", "Shopify US", "Shopify", True),
        ("starts_with", "Shopify US", "US", False),
        ("ends_with", "Shopify US", "US", True),
        ("ends_with", "Shopify US", "Shop", False),
        ("is_one_of", "CA", "US, CA,MX", True),
        ("is_one_of", "ca", "US,CA", False),
        ("is_one_of", "DE", "US,CA", False),
        ("equals", None, "", True),
        ("equals", "", "x", False),
    ],
)
def test_text_operators_are_case_sensitive(operator, actual, value, expected):
    assert check(TEXT, actual, operator, value) is expected


@pytest.mark.parametrize(
    ("operator", "actual", "value"),
    [
        ("equals", "FR", "fr"),
        ("contains", "Gift WRAP", "wrap"),
        ("starts_with", "shopify", "SHOP"),
        ("ends_with", "Straße", "STRASSE"),
        ("is_one_of", "ca", "US,CA"),
    ],
)
def test_ignore_case_matches_any_case(operator, actual, value):
    assert check(TEXT, actual, operator, value, ignore_case=True)
    assert not check(TEXT, actual, operator, value)


def test_is_one_of_accepts_one_value_per_line():
    assert check(TEXT, "Large", "is_one_of", "Small\nLarge\n")


@pytest.mark.parametrize(
    ("actual", "value", "greater", "less", "equal"),
    [
        (Decimal("10.00"), "10", False, False, True),
        (Decimal("9.5"), "10", False, True, False),
        (Decimal("100"), "20", True, False, False),  # not alphabetical: 100 > 20
        (3, "3.0", False, False, True),
        (Decimal("0"), "$0", False, False, True),
        (Decimal("1500"), "1,000", True, False, False),
    ],
)
def test_numbers_compare_as_numbers(actual, value, greater, less, equal):
    assert check(NUMBER, actual, "greater_than", value) is greater
    assert check(NUMBER, actual, "less_than", value) is less
    assert check(NUMBER, actual, "equals", value) is equal


def test_numbers_against_non_numbers_never_match():
    assert not check(NUMBER, Decimal("5"), "greater_than", "abc")
    assert not check(NUMBER, Decimal("5"), "less_than", "abc")
    assert not check(NUMBER, Decimal("5"), "equals", "five")
    assert check(NUMBER, Decimal("5"), "not_equals", "five")


def test_text_fields_compare_numerically_when_both_sides_are_numbers():
    # checkout_data values are text; "100" > "20" must hold as numbers.
    assert check(TEXT, "100", "greater_than", "20")
    assert not check(TEXT, "100", "less_than", "20")
    assert check(TEXT, "9", "less_than", "10")
    # Text that is neither number nor date never matches greater/less (not alphabetical).
    assert not check(TEXT, "banana", "greater_than", "apple")
    assert not check(TEXT, "banana", "less_than", "apple")


def test_text_equality_is_textual():
    assert not check(TEXT, "10.0", "equals", "10")


def test_dates_compare_as_dates():
    added = datetime(2024, 6, 10, 23, 30, tzinfo=UTC)
    assert check(DATE, added, "greater_than", "2024-06-09")
    assert check(DATE, added, "less_than", "2024-06-11")
    assert check(DATE, added, "equals", "2024-06-10")  # date only: same day
    assert not check(DATE, added, "equals", "2024-06-10 23:00:00")
    assert check(DATE, added, "greater_than", "2024-06-10 23:00")
    assert not check(DATE, added, "greater_than", "not a date")


def test_dates_use_the_store_time_zone():
    # 02:00 UTC on the 11th is still the 10th in New York.
    added = datetime(2024, 6, 11, 2, 0, tzinfo=UTC)
    ny = Context(tz=NY, now=CTX.now)
    assert check(DATE, added, "equals", "2024-06-10", ctx=ny)
    assert check(DATE, added, "equals", "2024-06-11")


def test_relative_dates_in_filter_values():
    recent = datetime(2024, 6, 14, 8, 0, tzinfo=UTC)
    old = datetime(2024, 5, 1, tzinfo=UTC)
    assert check(DATE, recent, "greater_than", "[DATE-7days]")
    assert not check(DATE, old, "greater_than", "[DATE-7days]")
    assert check(DATE, old, "less_than", "[SHORTDATE-1month]")


def test_text_dates_compare_as_dates():
    # A checkout data value holding a date ("Ship By") compares as a date.
    assert check(TEXT, "2024-07-01", "greater_than", "2024-06-30")
    assert check(TEXT, "2024-07-01 10:00:00", "less_than", "[DATE+30days]")


def test_folder_compares_ids():
    assert check(FOLDER, 12, "equals", "12")
    assert not check(FOLDER, 12, "equals", "13")
    assert check(FOLDER, 12, "is_one_of", "3, 12")
    assert check(FOLDER, 12, "not_equals", "3")


@pytest.mark.parametrize(
    ("actual", "empty"),
    [
        (None, True),
        ("", True),
        ("   ", True),
        ({}, True),
        ("x", False),
        (0, False),
        (Decimal("0"), False),
    ],
)
def test_is_empty_and_is_not_empty(actual, empty):
    assert check(TEXT, actual, "is_empty") is empty
    assert check(TEXT, actual, "is_not_empty") is not empty


def test_every_operator_is_covered():
    tested = {
        "equals",
        "not_equals",
        "contains",
        "not_contains",
        "starts_with",
        "ends_with",
        "greater_than",
        "less_than",
        "is_empty",
        "is_not_empty",
        "is_one_of",
    }
    assert set(OPERATORS) == tested


def test_unknown_operator_is_rejected():
    with pytest.raises(FilterProblem):
        Filter.from_row({"field": "email", "operator": "like"})


def test_and_or_joins():
    view = {"shipping.country": "FR", "order_total": Decimal("50"), "checkout_data.Gift": "yes"}
    filters = [
        Filter("shipping.country", "equals", "FR"),
        Filter("order_total", "greater_than", "100"),
    ]
    assert not matches(view, field_kind, filters, "and", CTX)
    assert matches(view, field_kind, filters, "or", CTX)
    assert matches(view, field_kind, [], "and", CTX)


def test_keyed_fields_read_the_named_key_and_a_missing_key_is_empty():
    view = {"checkout_data.Gift Message": "Hi"}
    present = Filter("checkout_data", "is_not_empty", key="Gift Message")
    missing = Filter("checkout_data", "is_empty", key="Other")
    assert matches(view, field_kind, [present, missing], "and", CTX)


def test_filter_rows_round_trip():
    row = {
        "field": "checkout_data",
        "key": "Gift",
        "operator": "equals",
        "value": "x",
        "ignore_case": True,
    }
    assert Filter.from_row(row).to_row() == row
    assert Filter.from_row(
        {"field": "email", "operator": "is_empty", "value": "ignored"}
    ).to_row() == {
        "field": "email",
        "operator": "is_empty",
    }
