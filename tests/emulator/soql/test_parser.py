import pytest
from hypothesis import given
from hypothesis import strategies as st
from simple_salesforce.format import format_soql

from salesforce_emulator import errors
from salesforce_emulator.soql import ast
from salesforce_emulator.soql.parser import parse


def test_full_query_shape():
    q = parse(
        "select Id, Account.Owner.Name, (SELECT Id FROM OrderItems WHERE Quantity > 1 "
        "ORDER BY Quantity DESC LIMIT 5) FROM Order WHERE (Status = 'Draft' OR Name != null) "
        "AND CreatedDate = LAST_N_DAYS:7 ORDER BY SystemModstamp ASC NULLS LAST, Id LIMIT 10 OFFSET 2"
    )
    assert q.sobject == "Order" and q.limit == 10 and q.offset == 2
    assert q.select[1] == ast.SelectField(ast.FieldPath(("Account", "Owner", "Name")))
    child = q.select[2].query
    assert child.sobject == "OrderItems" and child.limit == 5 and child.order_by[0].descending
    assert isinstance(q.where, ast.And) and isinstance(q.where.items[0], ast.Or)
    assert q.where.items[1].value == ast.DateLiteral("LAST_N_DAYS", 7)
    assert q.order_by[0].nulls_last is True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (r"'O\'Brien'", "O'Brien"),
        (r"'back\\slash'", "back\\slash"),
        (r"'line\nbreak'", "line\nbreak"),
        (r"'\u00e9t\u00E9'", "été"),
        (r"'100\%'", "100%"),
    ],
)
def test_string_escapes(text, expected):
    q = parse(f"SELECT Id FROM Account WHERE Name = {text}")
    assert q.where.value.value == expected


def test_like_keeps_escaped_wildcards_apart():
    q = parse(r"SELECT Id FROM Account WHERE Name LIKE '50\%\_off%'")
    assert q.where.pattern.like_pattern == r"50\%\_off%"


@pytest.mark.parametrize(
    ("soql", "token", "column"),
    [
        ("SELECT Id FROM Order WHERE Name = 'a' AND Status = 'b' OR Id = null", "OR", 56),
        ("SELECT Id FROM Order WHERE Name = 'a' OR Status = 'b' AND Id = null", "AND", 55),
        ("SELECT Id FROM", "'<EOF>'", 15),
        ("SELECT Id Name FROM Order", "Name", 11),
    ],
)
def test_syntax_errors_are_malformed_query_with_position(soql, token, column):
    with pytest.raises(errors.MalformedQuery) as info:
        parse(soql)
    assert info.value.message.endswith(f"ERROR at Row:1:Column:{column}\nunexpected token: {token}")


def test_illegal_escape():
    with pytest.raises(errors.MalformedQuery, match="Illegal character sequence"):
        parse(r"SELECT Id FROM Account WHERE Name = 'a\qb'")


def test_keywords_are_case_insensitive_and_names_may_look_like_keywords():
    q = parse(
        "SeLeCt Id, Order.OrderNumber FROM OrderItem wHeRe Order.Status = 'Draft' order by Id desc"
    )
    assert q.select[1].path.parts == ("Order", "OrderNumber")
    assert q.order_by[0].descending


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_format_soql_values_round_trip(value):
    """Whatever simple-salesforce escapes, the parser decodes back to the same string."""
    q = parse(format_soql("SELECT Id FROM Account WHERE Name = {}", value))
    assert q.where.value.value == value
