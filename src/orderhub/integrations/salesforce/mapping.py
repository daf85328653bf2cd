"""Turning a Salesforce record (with its item records) into an order draft.

Values become text the way a person reads them: dates as YYYY-MM-DD, datetimes in the
store's time zone, booleans as Yes/No, numbers without float noise, null as empty.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from orderhub.integrations.salesforce.config import SalesforceSettings
from orderhub.integrations.salesforce.plan import ADDRESS_PARTS, ImportPlan
from orderhub.orders.drafts import ImportDraft

CENT = Decimal("0.01")


class MappingError(ValueError):
    """A record that cannot become an order; the message says which value and why."""


def parse_datetime(text: str) -> datetime:
    """A Salesforce datetime ("2024-03-05T23:30:00.000+0000") as an aware datetime."""
    # fromisoformat reads Salesforce's form since Python 3.11, fifty times faster than strptime.
    return datetime.fromisoformat(text)


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


Reader = Callable[[dict], Any]


def _nothing(record: dict) -> None:
    return None


def reader(paths: Sequence[str]) -> Reader:
    """A function reading a record's value at `Parent.Field` paths: with one path, the
    value there as it is; with several candidates, the first that is not empty (None when
    none is). None wherever a parent is null.

    Built once per run: an import reads some fifty values per order, so the paths are
    split here rather than on every read.
    """
    split = [tuple(path.split(".")) for path in paths]
    if not split:
        return _nothing
    if len(split) == 1 and len(split[0]) == 1:
        (name,) = split[0]
        return lambda record: record.get(name)
    if len(split) == 1 and len(split[0]) == 2:  # Parent.Field, the commonest dotted path
        (parent, name) = split[0]

        def read_parent(record: dict) -> Any:
            related = record.get(parent)
            return related.get(name) if isinstance(related, dict) else None

        return read_parent

    def read(record: dict) -> Any:
        for parts in split:
            value: Any = record
            for part in parts:
                value = value.get(part) if isinstance(value, dict) else None
            if value is not None and value != "":
                return value
        return None

    return read


def _as_text(value: Any) -> str:
    return "" if value is None else str(value)


def _money(value: Any, what: str) -> Decimal:
    if value in (None, ""):
        return Decimal("0")
    try:
        return _cents(value)
    except (InvalidOperation, TypeError):  # TypeError: a compound value, not hashable
        raise MappingError(f"{what} {value!r} is not a number") from None


@functools.lru_cache(maxsize=4096, typed=True)
def _cents(value: float | int | str) -> Decimal:
    # Cached: an org's prices repeat (one per product), and Decimals are immutable.
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def _quantity(value: Any) -> tuple[int, str | None]:
    if value in (None, ""):
        return 1, None
    if type(value) is int or (type(value) is float and value.is_integer()):  # not a bool
        return int(value), None  # the usual whole quantity, without going through Decimal
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise MappingError(f"quantity {value!r} is not a number") from None
    whole = int(number.to_integral_value(rounding=ROUND_HALF_UP))
    # Order Desk quantities are whole numbers; keep Salesforce's exact one when it was not.
    return whole, (format_number(number) if number != whole else None)


class _Roles(dict):
    """A level's roles (order or item) compiled to readers; a role the org lacks reads None."""

    def __init__(self, roles: dict[str, list[str]]):
        super().__init__((role, reader(paths)) for role, paths in roles.items())

    def __missing__(self, role: str) -> Reader:
        return _nothing


class _Custom:
    """Custom field rows compiled: destination -> [(key, reader, describe type)]."""

    def __init__(self, rows, types: dict[str, str], tz: ZoneInfo):
        self.tz = tz
        self.rows = [
            (row.destination, row.key, reader([row.field]), types.get(row.field, "string"))
            for row in rows
        ]

    def values(self, record: dict) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        for destination, key, read, kind in self.rows:
            out.setdefault(destination, {})[key] = readable(read(record), kind, self.tz)
        return out


class RecordMapper:
    """The plan and settings of one run, compiled once, turning records into drafts."""

    def __init__(self, plan: ImportPlan, settings: SalesforceSettings, tz: ZoneInfo):
        self.order_object = plan.order_object
        self.prefix = settings.order_prefix
        self.tz = tz
        self.order = _Roles(plan.order_roles)
        self.item = _Roles(plan.item_roles)
        self.order_custom = _Custom(settings.custom_order_fields, plan.order_types, tz)
        self.item_custom = _Custom(settings.custom_item_fields, plan.item_types, tz)
        self.addresses = {
            prefix: (
                [(part, self.order[f"{prefix}_{part}"]) for part in ADDRESS_PARTS],
                [(part, self.order[f"account_{prefix}_{part}"]) for part in ADDRESS_PARTS],
            )
            for prefix in ("billing", "shipping")
        }

    def _address(self, record: dict, prefix: str) -> dict[str, str]:
        own, account = self.addresses[prefix]
        parts = {part: _as_text(read(record)) for part, read in own}
        if not any(parts.values()):
            parts = {part: _as_text(read(record)) for part, read in account}
        street_lines = [line.strip() for line in parts["Street"].splitlines() if line.strip()]
        return {
            "address1": street_lines[0] if street_lines else "",
            "address2": ", ".join(street_lines[1:]),
            "city": parts["City"],
            "state": parts["State"],
            "postal_code": parts["PostalCode"],
            "country": parts["Country"],
        }

    def items(self, item_records: list[dict]) -> list[dict]:
        role = self.item
        items = []
        for item in item_records:
            quantity, exact = _quantity(role["quantity"](item))
            custom = self.item_custom.values(item) if self.item_custom.rows else {}
            metadata: dict[str, str] = {"salesforce_id": item["Id"]}
            description = _as_text(role["description"](item))
            if description:
                metadata["description"] = description
            if exact is not None:
                metadata["salesforce_quantity"] = exact
            metadata.update(custom.get("item_metadata", {}))
            items.append(
                {
                    "name": _as_text(role["name"](item)) or description or "Item",
                    "code": _as_text(role["code"](item)),
                    "price": _money(role["price"](item), "price"),
                    "quantity": quantity,
                    "variation_list": custom.get("variation", {}),
                    "metadata": metadata,
                }
            )
        return items

    def draft(self, record: dict, item_records: list[dict]) -> ImportDraft:
        """The draft of the order a Salesforce record becomes (raises MappingError)."""
        role = self.order
        number = readable(role["number"](record), "string", self.tz)
        if not number:
            raise MappingError("the order number field is empty")
        company = _as_text(role["company"](record))
        customer = {
            "first_name": _as_text(role["bill_first_name"](record)),
            "last_name": _as_text(role["bill_last_name"](record)),
            "company": company,
            "phone": _as_text(role["bill_phone"](record)),
            **self._address(record, "billing"),
        }
        shipping = {
            "first_name": _as_text(role["ship_first_name"](record)),
            "last_name": _as_text(role["ship_last_name"](record)),
            "company": company,
            "phone": _as_text(role["ship_phone"](record)),
            **self._address(record, "shipping"),
        }
        custom = self.order_custom.values(record)
        metadata = {"salesforce_id": record["Id"], "salesforce_object": self.order_object}
        metadata.update(custom.get("metadata", {}))
        description = _as_text(role["description"](record))
        notes = [{"username": "Salesforce", "content": description[:2000]}] if description else []
        created = record.get("CreatedDate")
        return ImportDraft.model_validate(
            {
                "external_id": record["Id"],
                "source_name": "Salesforce",
                "source_id": f"{self.prefix}{number}",
                "email": _as_text(role["email"](record)),
                "date_added": parse_datetime(created) if created else None,
                "customer": customer,
                "shipping": shipping,
                "checkout_data": custom.get("checkout_data", {}),
                "order_metadata": metadata,
                "order_notes": notes,
                "order_items": self.items(item_records),
            }
        )


def map_order(
    record: dict,
    item_records: list[dict],
    plan: ImportPlan,
    settings: SalesforceSettings,
    tz: ZoneInfo,
) -> ImportDraft:
    """One record's draft; a run maps many with one `RecordMapper` instead."""
    return RecordMapper(plan, settings, tz).draft(record, item_records)
