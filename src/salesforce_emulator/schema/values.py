"""How stored field values look in JSON (booleans, datetimes, numbers)."""

from __future__ import annotations

from collections.abc import Callable

from ..clock import format_datetime
from .model import FieldDef


def _bool(v: object) -> object:
    return None if v is None else bool(v)


def _datetime(v: object) -> object:
    return None if v is None else format_datetime(v)  # type: ignore[arg-type]


def _float(v: object) -> object:
    return None if v is None else float(v)  # type: ignore[arg-type]


def _int(v: object) -> object:
    return None if v is None else int(v)  # type: ignore[arg-type]


def json_converter(f: FieldDef) -> Callable[[object], object] | None:
    """The function turning a stored value into its JSON form (None when it is already JSON)."""
    return {
        "boolean": _bool,
        "datetime": _datetime,
        "currency": _float,
        "double": _float,
        "percent": _float,
        "int": _int,
    }.get(f.type)


def to_json(f: FieldDef, value: object) -> object:
    conv = json_converter(f)
    return conv(value) if conv else value
