"""What the settings page shows: the settings, and the org's options for each of them."""

from __future__ import annotations

from dataclasses import dataclass, field

from orderhub.integrations.errors import IntegrationError
from orderhub.integrations.models import StoreIntegration
from orderhub.integrations.salesforce.config import (
    CHECK_INTERVALS,
    DEFAULT_VISIBLE_OBJECTS,
    SalesforceSettings,
)
from orderhub.integrations.salesforce.connection import tokens_of
from orderhub.integrations.salesforce.models import ImportRun
from orderhub.integrations.salesforce.push_status import push_counts
from orderhub.integrations.salesforce.schema import OrgSchema, UnknownField, UnknownObject
from orderhub.integrations.salesforce.validation import validate_against_org
from orderhub.stores.models import Folder


@dataclass
class OrgOptions:
    """Choices offered by the page, from the org's describe data."""

    objects: list[dict] = field(default_factory=list)  # all queryable objects (the gear list)
    visible: list[dict] = field(default_factory=list)  # those offered in the two dropdowns
    createable: list[dict] = field(default_factory=list)
    filter_fields: list[dict] = field(default_factory=list)
    filter_field: dict | None = None
    order_fields: list[str] = field(default_factory=list)
    item_fields: list[str] = field(default_factory=list)
    shipment_fields: list[dict] = field(default_factory=list)
    problem: str = ""


def _paths(describe, schema: OrgSchema) -> list[str]:
    """Field names plus one level of parent paths (Account.Name...) for the datalists."""
    names = [f["name"] for f in describe.mappable_fields()]
    for reference in describe.fields():
        relationship = reference.get("relationshipName")
        if reference["type"] != "reference" or not relationship or not reference.get("referenceTo"):
            continue
        try:
            parent = schema.describe(reference["referenceTo"][0])
        except (UnknownObject, IntegrationError):
            continue
        names += [f"{relationship}.{f['name']}" for f in parent.mappable_fields()]
    return names


def visible_objects(settings: SalesforceSettings, objects: list[dict]) -> list[dict]:
    chosen = {name.lower() for name in settings.visible_objects}
    if not chosen:
        chosen = {n.lower() for n in DEFAULT_VISIBLE_OBJECTS} | {
            o["name"].lower() for o in objects if o.get("custom")
        }
    chosen |= {settings.order_object.lower(), settings.order_item_object.lower()}
    return [o for o in objects if o["name"].lower() in chosen]


def org_options(settings: SalesforceSettings, schema: OrgSchema) -> OrgOptions:
    options = OrgOptions()
    try:
        everything = schema.global_objects()
        options.objects = [o for o in everything if o.get("queryable", True)]
        options.createable = [o for o in everything if o.get("createable")]
        options.visible = visible_objects(settings, options.objects)
        try:
            order = schema.describe(settings.order_object)
            options.filter_fields = sorted(
                order.filterable_fields(), key=lambda f: f["label"].lower()
            )
            options.order_fields = _paths(order, schema)
            if settings.filter_field:
                try:
                    options.filter_field = order.field(settings.filter_field)
                except UnknownField:
                    options.filter_field = None
        except UnknownObject as exc:
            options.problem = str(exc)
        try:
            item = schema.describe(settings.order_item_object)
            options.item_fields = _paths(item, schema)
            options.shipment_fields = item.updateable_text_fields()
        except UnknownObject as exc:
            options.problem = options.problem or str(exc)
    except IntegrationError as exc:
        options.problem = f"Could not read your Salesforce objects: {exc}"
    return options


def page_context(
    integration: StoreIntegration,
    settings: SalesforceSettings,
    schema: OrgSchema | None,
    *,
    errors: dict[str, str] | None = None,
) -> dict:
    tokens = tokens_of(integration)
    connected = tokens is not None and integration.status != StoreIntegration.Status.NOT_CONNECTED
    options = org_options(settings, schema) if connected and schema else OrgOptions()
    if errors is None and connected and schema and not options.problem:
        # Saved settings that the org no longer supports (a field deleted in Salesforce)
        # are flagged where they are shown, before the next import trips over them.
        _, errors = validate_against_org(settings, schema)
    return {
        "integration": integration,
        "settings": settings,
        "errors": errors or {},
        "connected": connected,
        "reconnect_needed": integration.status == StoreIntegration.Status.RECONNECT_NEEDED,
        "connection": tokens,
        "options": options,
        "intervals": CHECK_INTERVALS.items(),
        "folders": Folder.objects.filter(store=integration.store_id),
        "order_destinations": [("checkout_data", "Checkout data"), ("metadata", "Metadata")],
        "item_destinations": [("item_metadata", "Item metadata"), ("variation", "Variation")],
        "recent_runs": ImportRun.objects.filter(integration=integration)[:5],
        "push_counts": push_counts(integration) if settings.sync_tracking_numbers else None,
        "essentials": [
            ("order_number_field", f"Order number ({settings.order_object} field)", "order-fields"),
            ("item_name_field", f"Item name ({settings.order_item_object} field)", "item-fields"),
            ("item_price_field", "Item price", "item-fields"),
            ("item_quantity_field", "Item quantity", "item-fields"),
            ("item_code_field", "Item code / SKU (optional)", "item-fields"),
        ],
    }
