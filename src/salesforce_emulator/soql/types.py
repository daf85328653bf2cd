"""Which literals a field of each describe type accepts in a SOQL condition."""

from __future__ import annotations

from ..ids import to_18
from ..schema import FieldDef
from . import ast

TEXT = frozenset(
    {"string", "textarea", "picklist", "multipicklist", "email", "phone", "url", "combobox"}
)
NUMERIC = frozenset({"currency", "double", "percent", "int"})


def type_error(f: FieldDef, value: ast.Value) -> str | None:
    """Why `value` cannot be compared with field `f`, or None when it can."""
    t = f.type
    if t in ("id", "reference"):
        if not isinstance(value, ast.StringValue):
            return f"value of filter criterion for field '{f.name}' must be of type id and should be enclosed in quotes"
        try:
            to_18(value.value)
        except ValueError:
            return f"invalid ID field: {value.value}"
        return None
    if t in TEXT:
        if isinstance(value, ast.StringValue):
            return None
        return f"value of filter criterion for field '{f.name}' must be of type string and should be enclosed in quotes"
    expected = {"boolean": "boolean", "date": "date", "datetime": "dateTime"}.get(t, "double")
    ok = {
        "boolean": (ast.BooleanValue,),
        "date": (ast.DateValue, ast.DateLiteral),
        "datetime": (ast.DateTimeValue, ast.DateLiteral),
    }.get(t, (ast.NumberValue,))
    if isinstance(value, ok):
        return None
    return (
        f"value of filter criterion for field '{f.name}' must be of type {expected} "
        "and should not be enclosed in quotes"
    )


def groupable(f: FieldDef) -> bool:
    return f.type not in ("textarea", "address", "double", "currency", "percent", "datetime")
