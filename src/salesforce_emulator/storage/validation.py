"""Checks on field values sent by a client: names, writability, types, required fields, references."""

# ruff: noqa: S608  -- SQL text is built from schema identifiers only; values are parameters.

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import errors
from ..schema import ObjectDef
from .database import q
from .values import coerce

if TYPE_CHECKING:
    from .org import Org


def validate_input(obj: ObjectDef, data: dict, *, creating: bool) -> dict:
    """A create/update body turned into storage values, or Salesforce's error for the first problem."""
    if not isinstance(data, dict):
        raise errors.JsonParserError(
            "Cannot deserialize instance of sObject from a non-object value"
        )
    values: dict = {}
    read_only = []
    for key, raw in data.items():
        if key == "attributes":
            continue
        f = obj.field(key)
        if f is None:
            raise errors.InvalidField(f"No such column '{key}' on sobject of type {obj.name}", [])
        if f.name == "Id":
            if creating:
                raise errors.InvalidField(
                    "The Id field should not be specified in the sobject data.", []
                )
            continue
        if not (f.createable if creating else f.updateable):
            read_only.append(f.name)
            continue
        values[f.name] = coerce(f, raw)
    if read_only:
        raise errors.InvalidFieldForInsertUpdate(
            f"Unable to create/update fields: {', '.join(read_only)}. Please check the security "
            "settings of this field and verify that it is read/write for your profile or "
            "permission set.",
            read_only,
        )
    return values


def check_required(obj: ObjectDef, merged: dict) -> None:
    missing = [
        f.name for f in obj.ordered_fields() if f.required and merged.get(f.name) in (None, "")
    ]
    if missing:
        raise errors.RequiredFieldMissing(
            f"Required fields are missing: [{', '.join(missing)}]", missing
        )


def check_references(org: Org, obj: ObjectDef, values: dict) -> None:
    for name, value in values.items():
        f = obj.field(name)
        if f is None or f.type != "reference" or value is None:
            continue
        target = org.schema.get(f.reference_to or "")
        if target is None or value[:3] != target.key_prefix:
            raise errors.MalformedId(f"{f.label} ID: id value of incorrect type: {value}", [f.name])
        row = org.conn.execute(
            f"SELECT IsDeleted FROM {q(target.name)} WHERE Id = ?", (value,)
        ).fetchone()
        if row is None or row[0]:
            raise errors.InvalidCrossReferenceKey("invalid cross reference id", [f.name])
