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
    # REAL and INTEGER columns already come back as float and int; only these need work.
    return {"boolean": _bool, "datetime": _datetime}.get(f.type)


def to_json(f: FieldDef, value: object) -> object:
    conv = json_converter(f)
    return conv(value) if conv else value
