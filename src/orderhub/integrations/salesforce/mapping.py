"""Turning a Salesforce record (with its item records) into an order draft.

Values become text the way a person reads them: dates as YYYY-MM-DD, datetimes in the
store's time zone, booleans as Yes/No, numbers without float noise, null as empty.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from orderhub.integrations.salesforce.config import SalesforceSettings
from orderhub.integrations.salesforce.plan import ADDRESS_PARTS, ImportPlan
from orderhub.orders.drafts import ImportDraft

SALESFORCE_DATETIME = "%Y-%m-%dT%H:%M:%S.%f%z"


class MappingError(ValueError):
    """A record that cannot become an order; the message says which value and why."""


def value_at(record: dict | None, path: str) -> Any:
    """The value at `Parent.Child.Field` in a query record; None when a parent is null."""
    current: Any = record
    for part in path.split("."):
        if not isinstance(current, dict):
            return None
        current = current.get(part)
    return current


def parse_datetime(text: str) -> datetime:
    return datetime.strptime(text, SALESFORCE_DATETIME)


def readable(value: Any, kind: str, tz: ZoneInfo) -> str:
    """A Salesforce value as text a person would write."""
    if value is None:
        return ""
    if isinstance(value, bool) or kind == "boolean":
        return "Yes" if value else "No"
    if kind == "datetime" and isinstance(value, str):
        return parse_datetime(value).astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")
    if kind == "date" and isinstance(value, str):
        return date.fromisoformat(value[:10]).isoformat()
    if isinstance(value, int | float | Decimal):
        return format_number(value)
    if isinstance(value, dict):  # a compound value someone mapped directly
        return ", ".join(str(v) for v in value.values() if v not in (None, ""))
    return str(value)


def format_number(value: int | float | Decimal) -> str:
    # str(float) is the shortest repr that round-trips, so 19.99 stays 19.99, not 19.98999...
    number = Decimal(str(value))
    text = format(number.normalize(), "f")
    return text


def _first(record: dict, paths: list[str]) -> Any:
    for path in paths:
        value = value_at(record, path)
        if value not in (None, ""):
            return value
    return None


def _text(record: dict, roles: dict[str, list[str]], role: str) -> str:
    value = _first(record, roles.get(role, []))
    return "" if value is None else str(value)


def _money(value: Any, what: str) -> Decimal:
    if value in (None, ""):
        return Decimal("0")
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise MappingError(f"{what} {value!r} is not a number") from None


def _quantity(value: Any) -> tuple[int, str | None]:
    if value in (None, ""):
        return 1, None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise MappingError(f"quantity {value!r} is not a number") from None
    whole = int(number.to_integral_value(rounding=ROUND_HALF_UP))
    # Order Desk quantities are whole numbers; keep Salesforce's exact one when it was not.
    return whole, (format_number(number) if number != whole else None)


def _address(record: dict, roles: dict[str, list[str]], prefix: str) -> dict[str, str]:
    own = {part: _text(record, roles, f"{prefix}_{part}") for part in ADDRESS_PARTS}
    if not any(own.values()):
        own = {part: _text(record, roles, f"account_{prefix}_{part}") for part in ADDRESS_PARTS}
    street_lines = [line.strip() for line in own["Street"].splitlines() if line.strip()]
    return {
        "address1": street_lines[0] if street_lines else "",
        "address2": ", ".join(street_lines[1:]),
        "city": own["City"],
        "state": own["State"],
        "postal_code": own["PostalCode"],
        "country": own["Country"],
    }


def _custom(record: dict, rows, types: dict[str, str], tz: ZoneInfo) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for row in rows:
        value = readable(value_at(record, row.field), types.get(row.field, "string"), tz)
        out.setdefault(row.destination, {})[row.key] = value
    return out


def map_items(
    item_records: list[dict], plan: ImportPlan, settings: SalesforceSettings, tz: ZoneInfo
) -> list[dict]:
    roles = plan.item_roles
    items = []
    for item in item_records:
        quantity, exact = _quantity(_first(item, roles.get("quantity", [])))
        custom = _custom(item, settings.custom_item_fields, plan.item_types, tz)
        metadata: dict[str, str] = {"salesforce_id": item["Id"]}
        description = _text(item, roles, "description")
        if description:
            metadata["description"] = description
        if exact is not None:
            metadata["salesforce_quantity"] = exact
        metadata.update(custom.get("item_metadata", {}))
        items.append(
            {
                "name": _text(item, roles, "name") or description or "Item",
                "code": _text(item, roles, "code"),
                "price": _money(_first(item, roles.get("price", [])), "price"),
                "quantity": quantity,
                "variation_list": custom.get("variation", {}),
                "metadata": metadata,
            }
        )
    return items


def map_order(
    record: dict,
    item_records: list[dict],
    plan: ImportPlan,
    settings: SalesforceSettings,
    tz: ZoneInfo,
) -> ImportDraft:
    """The draft of the order a Salesforce record becomes (raises MappingError)."""
    roles = plan.order_roles
    number = readable(_first(record, roles.get("number", [])), "string", tz)
    if not number:
        raise MappingError("the order number field is empty")
    company = _text(record, roles, "company")
    customer = {
        "first_name": _text(record, roles, "bill_first_name"),
        "last_name": _text(record, roles, "bill_last_name"),
        "company": company,
        "phone": _text(record, roles, "bill_phone"),
        **_address(record, roles, "billing"),
    }
    shipping = {
        "first_name": _text(record, roles, "ship_first_name"),
        "last_name": _text(record, roles, "ship_last_name"),
        "company": company,
        "phone": _text(record, roles, "ship_phone"),
        **_address(record, roles, "shipping"),
    }
    custom = _custom(record, settings.custom_order_fields, plan.order_types, tz)
    metadata = {"salesforce_id": record["Id"], "salesforce_object": plan.order_object}
    metadata.update(custom.get("metadata", {}))
    description = _text(record, roles, "description")
    notes = [{"username": "Salesforce", "content": description[:2000]}] if description else []
    created = record.get("CreatedDate")
    return ImportDraft.model_validate(
        {
            "external_id": record["Id"],
            "source_name": "Salesforce",
            "source_id": f"{settings.order_prefix}{number}",
            "email": _text(record, roles, "email"),
            "date_added": parse_datetime(created) if created else None,
            "customer": customer,
            "shipping": shipping,
            "checkout_data": custom.get("checkout_data", {}),
            "order_metadata": metadata,
            "order_notes": notes,
            "order_items": map_items(item_records, plan, settings, tz),
        }
    )
