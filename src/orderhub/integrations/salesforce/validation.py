"""Checking settings against the org's describe data before they are saved.

Each problem is reported under the setting's JSON key (rows as `custom_order_fields.2.field`)
in words a store operator understands; nothing is saved while any problem remains.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from orderhub.integrations.salesforce.config import SalesforceSettings
from orderhub.integrations.salesforce.schema import OrgSchema, UnknownField, UnknownObject

NUMBER_TYPES = frozenset({"int", "double", "currency", "percent", "long"})
TRUE_WORDS = frozenset({"true", "yes", "1", "on"})
FALSE_WORDS = frozenset({"false", "no", "0", "off"})


class FilterValueError(ValueError):
    pass


def typed_filter_value(field: dict, value):
    """The filter value as the field's describe type needs it, or FilterValueError."""
    kind = field["type"]
    text = "" if value is None else str(value).strip()
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        if text.lower() in TRUE_WORDS:
            return True
        if text.lower() in FALSE_WORDS:
            return False
        raise FilterValueError(f"{field['name']} is a checkbox: choose true or false")
    if value is None or text == "":
        raise FilterValueError(f"Choose the value of {field['name']} that orders must have")
    if kind in NUMBER_TYPES:
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise FilterValueError(f"{field['name']} is a number: {text!r} is not one") from None
        return (
            int(number)
            if kind in ("int", "long") or number == number.to_integral()
            else float(number)
        )
    if kind == "date":
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise FilterValueError(f"{field['name']} is a date: write it as YYYY-MM-DD") from None
    if kind == "datetime":
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise FilterValueError(
                f"{field['name']} is a date and time: write it as YYYY-MM-DDTHH:MM:SSZ"
            ) from None
        if moment.tzinfo is None:
            raise FilterValueError(
                f"{field['name']}: give the time zone, for example 2024-05-01T09:00:00Z"
            )
        return moment.isoformat().replace("+00:00", "Z")
    if kind in ("picklist", "multipicklist"):
        values = [p["value"] for p in field.get("picklistValues", []) if p.get("active", True)]
        if text not in values:
            raise FilterValueError(
                f"{text!r} is not a value of {field['name']} (choose one of: {', '.join(values)})"
            )
        return text
    return text


def validate_against_org(
    settings: SalesforceSettings, schema: OrgSchema
) -> tuple[SalesforceSettings, dict[str, str]]:
    """Return the settings completed from describe (canonical names, relationship name,
    typed filter value) and the problems found, keyed by setting."""
    errors: dict[str, str] = {}
    data = settings.model_dump()

    order = item = None
    try:
        order = schema.describe(settings.order_object)
        if not schema.global_entry(settings.order_object).get("queryable", True):
            errors["order_object"] = f"{order.name} cannot be queried by this Salesforce user"
        data["order_object"] = order.name
    except UnknownObject:
        errors["order_object"] = f"Salesforce has no object called {settings.order_object}"
    try:
        item = schema.describe(settings.order_item_object)
        data["order_item_object"] = item.name
    except UnknownObject:
        errors["order_item_object"] = (
            f"Salesforce has no object called {settings.order_item_object}"
        )

    if order and item:
        relationship = order.child_relationship_to(item.name)
        if relationship is None:
            errors["order_item_object"] = (
                f"{item.name} is not a child of {order.name}: choose an item object that "
                f"looks up to {order.name}"
            )
        else:
            data["item_relationship"] = relationship

    if order:
        _check_filter(settings, order, data, errors)
        _check_rows(
            schema, order.name, settings.custom_order_fields, "custom_order_fields", data, errors
        )
        if not settings.is_standard_pair or settings.order_number_field:
            _check_essential(schema, order.name, "order_number_field", settings, data, errors)
    if item:
        _check_rows(
            schema, item.name, settings.custom_item_fields, "custom_item_fields", data, errors
        )
        _check_shipment_field(settings, item, data, errors)
        for key in (
            "item_name_field",
            "item_price_field",
            "item_quantity_field",
            "item_code_field",
        ):
            required = not settings.is_standard_pair and key != "item_code_field"
            if required or getattr(settings, key):
                _check_essential(schema, item.name, key, settings, data, errors)

    for key in ("rule_builder_order_objects", "rule_builder_item_objects", "visible_objects"):
        names = []
        for name in getattr(settings, key):
            try:
                entry = schema.global_entry(name)
            except UnknownObject:
                errors[key] = f"Salesforce has no object called {name}"
                continue
            if key.startswith("rule_builder") and not entry.get("createable", False):
                errors[key] = (
                    f"Records of {entry['name']} cannot be created by this Salesforce user"
                )
            names.append(entry["name"])
        data[key] = names

    return SalesforceSettings.model_validate(data), errors


def _check_filter(settings, order, data, errors) -> None:
    if not settings.filter_field:
        data["filter_value"] = None
        return
    try:
        field = order.field(settings.filter_field)
    except UnknownField:
        errors["filter_field"] = f"{order.name} has no field {settings.filter_field}"
        return
    if not field.get("filterable"):
        errors["filter_field"] = f"Salesforce cannot filter {order.name} by {field['name']}"
        return
    data["filter_field"] = field["name"]
    try:
        data["filter_value"] = typed_filter_value(field, settings.filter_value)
    except FilterValueError as exc:
        errors["filter_value"] = str(exc)


def _check_rows(schema, object_name, rows, key, data, errors) -> None:
    seen_keys: set[tuple[str, str]] = set()
    for index, row in enumerate(rows):
        try:
            canonical, _ = schema.resolve_path(object_name, row.field)
        except (UnknownField, UnknownObject) as exc:
            errors[f"{key}.{index}.field"] = f"{exc} — check the field name or remove this row"
            continue
        data[key][index]["field"] = canonical
        target = (row.destination, row.key)
        if target in seen_keys:
            errors[f"{key}.{index}.key"] = f"Two rows write {row.destination} key {row.key!r}"
        seen_keys.add(target)


def _check_essential(schema, object_name, key, settings, data, errors) -> None:
    value = getattr(settings, key)
    label = key.removesuffix("_field").replace("_", " ")
    if not value:
        errors[key] = (
            f"{settings.order_object}/{settings.order_item_object} has no default mapping: "
            f"choose the {object_name} field that holds the {label}"
        )
        return
    try:
        data[key], _ = schema.resolve_path(object_name, value)
    except (UnknownField, UnknownObject) as exc:
        errors[key] = str(exc)


def _check_shipment_field(settings, item, data, errors) -> None:
    if not settings.shipment_details_field:
        if settings.sync_tracking_numbers:
            errors["shipment_details_field"] = (
                "Sync Tracking Numbers is on: choose the item field that receives shipment details"
            )
        return
    try:
        field = item.field(settings.shipment_details_field)
    except UnknownField:
        errors["shipment_details_field"] = (
            f"{item.name} has no field {settings.shipment_details_field}"
        )
        return
    if not field.get("updateable") or field["type"] not in ("string", "textarea"):
        errors["shipment_details_field"] = (
            f"{field['name']} cannot receive shipment details: choose a text field that can be edited"
        )
        return
    data["shipment_details_field"] = field["name"]
