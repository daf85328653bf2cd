from datetime import UTC, datetime

from salesforce_emulator.soql import compile_query, parse, validate
from salesforce_emulator.soql.dates import date_range

NOW = datetime(2024, 3, 15, 12, 0, tzinfo=UTC)


def compiled(schema, soql, **kw):
    return compile_query(validate(parse(soql), schema, soql), NOW, **kw)


def test_values_are_parameters_never_sql_text(schema):
    nasty = 'x\'); DROP TABLE "Order"; --'
    soql = "SELECT Id FROM Order WHERE Name = '" + nasty.replace("'", "\\'") + "'"
    c = compiled(schema, soql)
    assert "DROP" not in c.snapshot_sql
    assert nasty in c.snapshot_params
    assert "?" in c.snapshot_sql


def test_parent_paths_become_left_joins(schema):
    c = compiled(schema, "SELECT Account.Owner.Name FROM Order")
    assert c.page_sql.count("LEFT JOIN") == 2


def test_date_literals_become_ranges(schema):
    c = compiled(
        schema, "SELECT Id FROM Order WHERE CreatedDate = TODAY AND EffectiveDate < LAST_N_DAYS:3"
    )
    start = int(datetime(2024, 3, 15, tzinfo=UTC).timestamp() * 1000)
    assert c.snapshot_params[:3] == [start, start + 86_400_000, "2024-03-12"]


def test_query_all_keeps_deleted_rows(schema):
    assert "IsDeleted = 0" in compiled(schema, "SELECT Id FROM Order").snapshot_sql
    assert (
        "IsDeleted = 0"
        not in compiled(schema, "SELECT Id FROM Order", include_deleted=True).snapshot_sql
    )


def test_child_subquery_is_one_windowed_statement(schema):
    c = compiled(
        schema, "SELECT Id, (SELECT Id FROM OrderItems WHERE Quantity > 1 LIMIT 3) FROM Order"
    )
    child = c.children[0]
    assert "row_number() OVER (PARTITION BY" in child.sql and child.limit == 3
    assert child.where_params == [1.0]


def test_date_range_table():
    assert date_range("THIS_WEEK", None, NOW)[0].isoformat() == "2024-03-10"  # Sunday
    assert [d.isoformat() for d in date_range("LAST_N_DAYS", 1, NOW)] == [
        "2024-03-14",
        "2024-03-16",
    ]
    assert [d.isoformat() for d in date_range("THIS_QUARTER", None, NOW)] == [
        "2024-01-01",
        "2024-04-01",
    ]
    assert [d.isoformat() for d in date_range("LAST_MONTH", None, NOW)] == [
        "2024-02-01",
        "2024-03-01",
    ]
    assert [d.isoformat() for d in date_range("NEXT_N_DAYS", 2, NOW)] == [
        "2024-03-16",
        "2024-03-18",
    ]
