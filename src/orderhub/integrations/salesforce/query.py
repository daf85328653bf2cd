"""The one SOQL query of an import run, with every value escaped by format_soql.

Object and field names come from an ImportPlan, which took them from describe; values go
through format_soql. (ruff's S608 is about SQL built from input; neither applies here.)
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from simple_salesforce.format import format_soql

from orderhub.integrations.salesforce.plan import ImportPlan

QUOTED_TYPES = frozenset(
    {
        "string",
        "textarea",
        "picklist",
        "multipicklist",
        "email",
        "phone",
        "url",
        "id",
        "reference",
        "combobox",
    }
)


def soql_datetime(moment: datetime) -> str:
    """A SOQL datetime literal in UTC, whole seconds (rounded down, so nothing is skipped)."""
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def filter_condition(plan: ImportPlan, value) -> str:
    """`Field = value`, typed by the field's describe type; strings are escaped."""
    field = plan.filter_field
    if plan.filter_type == "boolean":
        return format_soql(f"{field} = {{}}", bool(value))
    if plan.filter_type in ("date", "datetime"):
        # Already checked against YYYY-MM-DD / ISO 8601 when the settings were saved;
        # format_soql's `literal` keeps it unquoted as SOQL requires.
        return format_soql(f"{field} = {{:literal}}", str(value))
    if plan.filter_type in QUOTED_TYPES:
        return format_soql(f"{field} = {{}}", str(value))
    return format_soql(f"{field} = {{}}", value)


def build_import_query(
    plan: ImportPlan,
    *,
    filter_value=None,
    since_modstamp: datetime | None = None,
    lookback: timedelta = timedelta(minutes=5),
    created_since: datetime | None = None,
    retry_ids: list[str] | tuple[str, ...] = (),
) -> str:
    """SELECT the planned fields with the item subquery, WHERE filter AND window, ordered
    by (SystemModstamp, Id) so the cursor can advance page by page."""
    item_fields = ", ".join(plan.item_fields())
    subquery = f"(SELECT {item_fields} FROM {plan.item_relationship} ORDER BY Id)"  # noqa: S608
    select = f"SELECT {', '.join(plan.order_fields())}, {subquery} FROM {plan.order_object}"  # noqa: S608
    conditions = []
    if plan.filter_field:
        conditions.append(filter_condition(plan, filter_value))
    window = []
    if since_modstamp is not None:
        window.append(f"SystemModstamp >= {soql_datetime(since_modstamp - lookback)}")
    if created_since is not None:
        window.append(f"CreatedDate >= {soql_datetime(created_since)}")
    if window:
        in_window = " AND ".join(window)
        if retry_ids:
            in_window = f"({in_window}) OR {format_soql('Id IN {}', list(retry_ids))}"
        conditions.append(f"({in_window})")
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    return f"{select}{where} ORDER BY SystemModstamp, Id"


def build_count_query(plan: ImportPlan, *, filter_value=None, created_since: datetime) -> str:
    """SELECT COUNT() with the same filter, for the manual import's preview."""
    conditions = [f"CreatedDate >= {soql_datetime(created_since)}"]
    if plan.filter_field:
        conditions.append(filter_condition(plan, filter_value))
    return f"SELECT COUNT() FROM {plan.order_object} WHERE {' AND '.join(conditions)}"  # noqa: S608
