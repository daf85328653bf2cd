"""Conversion of field values between JSON (the wire), Python and SQLite storage.

Storage forms: booleans 0/1, datetimes epoch milliseconds, dates `YYYY-MM-DD`, numbers as REAL
(INTEGER for `int`), everything else text.
"""

from __future__ import annotations

import re
from datetime import date

from .. import errors
from ..clock import parse_datetime, to_epoch_ms
from ..ids import to_18
from ..schema import FieldDef
from ..schema.values import json_converter, to_json

__all__ = ["coerce", "json_converter", "sql_type", "to_json"]

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def sql_type(f: FieldDef) -> str:
    if f.type in ("boolean", "int", "datetime"):
        return "INTEGER"
    if f.type in ("currency", "double", "percent"):
        return "REAL"
    if f.type in ("id", "reference"):
        return "TEXT"
    return "TEXT COLLATE NOCASE"


def _json_error(f: FieldDef, value: object, kind: str) -> errors.JsonParserError:
    return errors.JsonParserError(
        f"Cannot deserialize instance of {kind} from VALUE_STRING value {value} "
        f"or request may be missing a required field",
        [f.name],
    )


def coerce(f: FieldDef, value: object) -> object:
    """Turn a JSON value for field `f` into its storage form, raising Salesforce's errors."""
    if value is None or (value == "" and f.type not in ("string", "textarea")):
        return None
    t = f.type
    if t == "boolean":
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return int(value.lower() == "true")
        raise _json_error(f, value, "boolean")
    if t in ("currency", "double", "percent", "int"):
        if isinstance(value, bool):
            raise _json_error(f, value, t)
        try:
            number = float(value) if not isinstance(value, int | float) else value
        except (TypeError, ValueError):
            raise _json_error(f, value, "double" if t != "int" else "int") from None
        if t == "int":
            if float(number) != int(number):
                raise _json_error(f, value, "int")
            return int(number)
        return float(number)
    if t == "date":
        if not isinstance(value, str):
            raise _json_error(f, value, "date")
        try:
            return date.fromisoformat(value[:10]).isoformat()
        except ValueError:
            raise _json_error(f, value, "date") from None
    if t == "datetime":
        if not isinstance(value, str):
            raise _json_error(f, value, "datetime")
        try:
            return to_epoch_ms(parse_datetime(value))
        except ValueError:
            raise _json_error(f, value, "datetime") from None
    if not isinstance(value, str):
        if (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and t not in ("reference", "id")
        ):
            value = str(value)
        else:
            raise _json_error(f, value, "String")
    if t in ("reference", "id"):
        try:
            return to_18(value)
        except ValueError:
            raise errors.MalformedId(
                f"{f.label} ID: id value of incorrect type: {value}", [f.name]
            ) from None
    if f.length and len(value) > f.length:
        raise errors.StringTooLong(
            f"{f.label}: data value too large: {value[:200]} (max length={f.length})", [f.name]
        )
    if t == "picklist" and f.restricted and value not in f.picklist:
        raise errors.InvalidOrNullForRestrictedPicklist(
            f"{f.label}: bad value for restricted picklist field: {value}", [f.name]
        )
    if t == "email" and not _EMAIL_RE.match(value):
        raise errors.InvalidEmailAddress(f"{f.label}: invalid email address: {value}", [f.name])
    return value
