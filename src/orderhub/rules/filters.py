"""Filters: comparing one value of an order's flat view with what a rule asks — pure.

A filter is a row {"field", "key", "operator", "value", "ignore_case"}. The field's type
decides how values compare: text compares as text (case-sensitive unless the row says
`ignore_case`), numbers as numbers ("10" equals "10.00"), dates as dates, folders by id.
Greater than / less than on a text field compare as numbers when both sides are numbers,
else as dates when both are dates, and otherwise do not match (never alphabetically).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from orderhub.rules import syntax

TEXT, NUMBER, DATE, FOLDER = "text", "number", "date", "folder"


@dataclass(frozen=True)
class Operator:
    key: str
    label: str
    takes_value: bool = True


OPERATORS: dict[str, Operator] = {
    op.key: op
    for op in (
        Operator("equals", "equals"),
        Operator("not_equals", "does not equal"),
        Operator("contains", "contains"),
        Operator("not_contains", "does not contain"),
        Operator("starts_with", "starts with"),
        Operator("ends_with", "ends with"),
        Operator("greater_than", "is greater than"),
        Operator("less_than", "is less than"),
        Operator("is_empty", "is empty", takes_value=False),
        Operator("is_not_empty", "is not empty", takes_value=False),
        Operator("is_one_of", "is one of"),
    )
}
JOINS = ("and", "or")


class FilterProblem(ValueError):
    pass


@dataclass(frozen=True)
class Filter:
    field: str
    operator: str
    value: str = ""
    key: str = ""
    ignore_case: bool = False

    @property
    def view_key(self) -> str:
        """The key of the flat view this filter reads ("checkout_data.Gift Message")."""
        return f"{self.field}.{self.key}" if self.key else self.field

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Filter:
        operator = str(row.get("operator", ""))
        if operator not in OPERATORS:
            raise FilterProblem(f"unknown operator {operator!r}")
        return cls(
            field=str(row.get("field", "")),
            key=str(row.get("key", "") or ""),
            operator=operator,
            value="" if row.get("value") is None else str(row.get("value")),
            ignore_case=bool(row.get("ignore_case", False)),
        )

    def to_row(self) -> dict[str, Any]:
        row: dict[str, Any] = {"field": self.field, "operator": self.operator}
        if self.key:
            row["key"] = self.key
        if OPERATORS[self.operator].takes_value:
            row["value"] = self.value
        if self.ignore_case:
            row["ignore_case"] = True
        return row


# --- typed parsing ----------------------------------------------------------------------------


def as_number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    text = str(value).strip().replace(",", "")
    if text.startswith("$"):
        text = text[1:]
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d")


def as_moment(value: Any, tz: ZoneInfo, now: datetime | None = None) -> datetime | None:
    """A timezone-aware datetime, or None. Naive text is read in the store's time zone;
    [DATE-7days]-style tokens are expanded relative to `now` first."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime.combine(value, time.min, tzinfo=tz)
    if value is None:
        return None
    text = str(value).strip()
    if now is not None and "[" in text:
        try:
            text = syntax.expand_tokens(text, now.astimezone(tz).replace(tzinfo=None))
        except syntax.SyntaxProblem:
            return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parsed = None
        for fmt in DATE_FORMATS:
            try:
                parsed = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def is_date_only(value: str) -> bool:
    return bool(re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", value)) or "[SHORTDATE" in value


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.normalize() else str(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def split_choices(value: str) -> list[str]:
    """The values of an "is one of" filter: one per line, or comma-separated."""
    parts = value.splitlines() if "\n" in value else value.split(",")
    return [part.strip() for part in parts if part.strip()]


# --- comparisons --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    tz: ZoneInfo
    now: datetime


def _is_empty(actual: Any) -> bool:
    if actual is None:
        return True
    if isinstance(actual, str):
        return actual.strip() == ""
    if isinstance(actual, dict | list):
        return not actual
    return False


def _equal(kind: str, actual: Any, expected: str, flt: Filter, ctx: Context) -> bool:
    if kind in (NUMBER, FOLDER):
        a, b = as_number(actual), as_number(expected)
        return a is not None and b is not None and a == b
    if kind == DATE:
        a, b = as_moment(actual, ctx.tz), as_moment(expected, ctx.tz, ctx.now)
        if a is None or b is None:
            return False
        if is_date_only(expected):
            return a.astimezone(ctx.tz).date() == b.date()
        return a == b
    a_text, b_text = as_text(actual), expected
    if flt.ignore_case:
        return a_text.casefold() == b_text.casefold()
    return a_text == b_text


def _order(kind: str, actual: Any, expected: str, ctx: Context) -> int | None:
    """-1, 0 or 1 comparing actual with expected, or None when they cannot be compared."""
    if kind in (NUMBER, FOLDER, TEXT):
        a, b = as_number(actual), as_number(expected)
        if a is not None and b is not None:
            return (a > b) - (a < b)
        if kind != TEXT:
            return None
    a_moment, b_moment = as_moment(actual, ctx.tz), as_moment(expected, ctx.tz, ctx.now)
    if a_moment is None or b_moment is None:
        return None
    if is_date_only(expected):
        a_day, b_day = a_moment.astimezone(ctx.tz).date(), b_moment.date()
        return (a_day > b_day) - (a_day < b_day)
    return (a_moment > b_moment) - (a_moment < b_moment)


def _text_test(fn: Callable[[str, str], bool]) -> Callable[..., bool]:
    def test(kind: str, actual: Any, expected: str, flt: Filter, ctx: Context) -> bool:
        a, b = as_text(actual), expected
        if flt.ignore_case:
            a, b = a.casefold(), b.casefold()
        return fn(a, b)

    return test


_contains = _text_test(lambda a, b: b in a)
_starts = _text_test(lambda a, b: a.startswith(b))
_ends = _text_test(lambda a, b: a.endswith(b))


def compare(kind: str, actual: Any, flt: Filter, ctx: Context) -> bool:
    """Whether `actual` (a value of the flat view, of type `kind`) passes the filter."""
    op, expected = flt.operator, flt.value
    if op == "is_empty":
        return _is_empty(actual)
    if op == "is_not_empty":
        return not _is_empty(actual)
    if op == "equals":
        return _equal(kind, actual, expected, flt, ctx)
    if op == "not_equals":
        return not _equal(kind, actual, expected, flt, ctx)
    if op == "is_one_of":
        return any(_equal(kind, actual, choice, flt, ctx) for choice in split_choices(expected))
    if op == "contains":
        return _contains(kind, actual, expected, flt, ctx)
    if op == "not_contains":
        return not _contains(kind, actual, expected, flt, ctx)
    if op == "starts_with":
        return _starts(kind, actual, expected, flt, ctx)
    if op == "ends_with":
        return _ends(kind, actual, expected, flt, ctx)
    if op in ("greater_than", "less_than"):
        result = _order(kind, actual, expected, ctx)
        if result is None:
            return False
        return result > 0 if op == "greater_than" else result < 0
    raise FilterProblem(f"unknown operator {op!r}")


def matches(
    view: Mapping[str, Any],
    kinds: Callable[[str], str],
    filters: Iterable[Filter],
    join: str,
    ctx: Context,
) -> bool:
    """Whether the view passes the filters joined by AND or OR; no filters always match."""
    filters = list(filters)
    if not filters:
        return True
    results = (compare(kinds(f.field), view.get(f.view_key), f, ctx) for f in filters)
    return any(results) if join == "or" else all(results)
