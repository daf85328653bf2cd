"""Field values for a Salesforce record a rule creates: templates over the order, then typed.

A mapping value is fixed text or a template: `{{shipping.last_name}}`, `{{checkout_data.Gift
Message}}`, `{{item.code}}` read the order's flat view (rules.fields), and
`{{created.Sales_Order__c}}` reads the Id of the Sales_Order__c record OrderHub created for
this order (or item). Rendered text is then turned into what the field's describe type needs.
Pure functions: no database, no Salesforce.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")
CREATED = "created."
NUMBER_TYPES = frozenset({"double", "currency", "percent"})
INTEGER_TYPES = frozenset({"int", "long"})
TRUE_WORDS = frozenset({"true", "yes", "y", "1", "on", "checked"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "off", "unchecked"})


class ValueProblem(ValueError):
    """A mapped value that cannot become the field's value; the message names the field."""


class MissingRecord(LookupError):
    """`{{created.X}}` was used, but no X record has been created for this order yet."""

    def __init__(self, object_name: str) -> None:
        super().__init__(object_name)
        self.object_name = object_name


def placeholders(template: str) -> list[str]:
    """The keys named in a template, in order (`{{ shipping.city }}` -> "shipping.city")."""
    return [m.group(1) for m in PLACEHOLDER.finditer(template)]


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _lookup(key: str, view: Mapping[str, Any]) -> Any:
    if key.lower().startswith(CREATED):
        object_name = key[len(CREATED) :].strip()
        found = view.get(CREATED + object_name.lower())
        if not found:
            raise MissingRecord(object_name)
        return found
    return view.get(key)


def render(template: str, view: Mapping[str, Any]) -> Any:
    """The template's value over `view`; a key the view lacks is empty.

    A template that is one placeholder alone keeps the value's type (a Decimal total, a
    datetime), so it can be typed exactly; anything else is text. Created record Ids are
    read from view keys `created.<object lower-cased>`; a missing one raises MissingRecord.
    """
    whole = PLACEHOLDER.fullmatch(template.strip())
    if whole:
        return _lookup(whole.group(1), view)
    return PLACEHOLDER.sub(lambda m: as_text(_lookup(m.group(1), view)), template)


def _number(field_name: str, value: Any, what: str) -> Decimal:
    if isinstance(value, bool):
        raise ValueProblem(f"{field_name} needs {what}; {value!r} is not one")
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValueProblem(f"{field_name} needs {what}; {as_text(value)!r} is not one") from None
    if not number.is_finite():
        raise ValueProblem(f"{field_name} needs {what}; {as_text(value)!r} is not one")
    return number


def _date(field_name: str, value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        raise ValueProblem(
            f"{field_name} needs a date such as 2024-05-31; {text!r} is not one"
        ) from None


def _datetime(field_name: str, value: Any) -> str:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    else:
        text = str(value).strip()
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise ValueProblem(
                f"{field_name} needs a date and time such as 2024-05-31 14:30:00; "
                f"{text!r} is not one"
            ) from None
    # Times without a zone are OrderHub's own, which are UTC.
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def coerce(field: Mapping[str, Any], value: Any) -> Any:
    """`value` as the JSON value a field of this describe type takes; None when empty.

    Raises ValueProblem naming the field when the value cannot be of that type.
    """
    name, kind = field["name"], field.get("type", "string")
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if kind in NUMBER_TYPES:
        number = _number(name, value, "a number")
        return int(number) if number == number.to_integral() else float(number)
    if kind in INTEGER_TYPES:
        number = _number(name, value, "a whole number")
        if number != number.to_integral():
            raise ValueProblem(f"{name} needs a whole number; {as_text(value)!r} is not one")
        return int(number)
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueProblem(f"{name} is a checkbox: use true or false, not {as_text(value)!r}")
    if kind == "date":
        return _date(name, value).isoformat()
    if kind == "datetime":
        return _datetime(name, value)
    text = as_text(value)
    if kind == "picklist" and field.get("restrictedPicklist"):
        allowed = [v["value"] for v in field.get("picklistValues", []) if v.get("active", True)]
        if text not in allowed:
            raise ValueProblem(f"{name} takes one of {', '.join(allowed)}; not {text!r}")
    return text


def record_fields(
    mapping: Mapping[str, str], view: Mapping[str, Any], fields: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any]:
    """The record's fields: each mapping value rendered over `view` and typed by its describe
    entry (`fields` is keyed by lower-cased field name). Empty values are left out, so
    Salesforce applies its defaults. Raises ValueProblem or MissingRecord."""
    record: dict[str, Any] = {}
    for name, template in mapping.items():
        field = fields.get(name.lower(), {"name": name, "type": "string"})
        value = coerce(field, render(template, view))
        if value is not None:
            record[field["name"]] = value
    return record
