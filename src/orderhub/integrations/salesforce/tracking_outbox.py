"""The outbox writer of shipment write-back: pending pushes written inside the shipment's
transaction (an `orders.events` in-transaction handler), so a shipment change never commits
without them. The drain in `tracking.py` sends them.
"""

from __future__ import annotations

import logging

from django.db.models import F
from django.utils import timezone
from pydantic import ValidationError

from orderhub.integrations.models import StoreIntegration
from orderhub.integrations.salesforce.models import TrackingPush
from orderhub.integrations.salesforce.services import settings_of
from orderhub.orders import events
from orderhub.orders.models import Order, OrderItem, Shipment

logger = logging.getLogger(__name__)
SOURCE_PREFIX = "salesforce:"
CHANGES = {
    events.ShipmentAdded: "added",
    events.ShipmentUpdated: "updated",
    events.ShipmentDeleted: "deleted",
}


def integration_of(order_source: str | None, store_id: int) -> StoreIntegration | None:
    """The Salesforce integration an order was imported through, if it still exists."""
    if not order_source or not order_source.startswith(SOURCE_PREFIX):
        return None
    try:
        integration_id = int(order_source.removeprefix(SOURCE_PREFIX))
    except ValueError:
        return None
    return StoreIntegration.objects.filter(
        pk=integration_id, store_id=store_id, provider="salesforce"
    ).first()


def enqueue_pushes(event: events.OrderEvent) -> None:
    """In-transaction handler of ShipmentAdded/Updated/Deleted: write the pending pushes.

    Orders not imported from Salesforce, and stores with Sync Tracking Numbers off, get
    nothing. An added shipment pushes the items it names (all when it names none); an edit
    or delete rewrites every item a remaining shipment covers or an earlier push wrote.
    """
    shipment_id = getattr(event, "shipment_id", None)
    added = isinstance(event, events.ShipmentAdded)
    if added:  # the shipment and its order in one query
        order = (
            Shipment.objects.filter(pk=shipment_id)
            .values(
                "order_items",
                external_source=F("order__external_source"),
                store_id=F("order__store_id"),
            )
            .first()
        )
    else:
        order = (
            Order.objects.filter(pk=event.order_id).values("external_source", "store_id").first()
        )
    if order is None:
        return
    integration = integration_of(order["external_source"], order["store_id"])
    if integration is None:
        return
    try:
        settings = settings_of(integration)
    except ValidationError:
        # Settings that no longer parse must not stop people shipping; the settings page
        # shows the problem, and nothing can be pushed without a valid field anyway.
        logger.warning("Salesforce settings of store %s do not parse", order["store_id"])
        return
    if not settings.sync_tracking_numbers or not settings.shipment_details_field:
        return
    items = list(OrderItem.objects.filter(order_id=event.order_id).values_list("id", "metadata"))
    if added:
        named = order["order_items"]
        wanted = set(named) if named else {item_id for item_id, _ in items}
    else:
        wanted = set(
            TrackingPush.objects.filter(order_id=event.order_id).values_list("item_id", flat=True)
        )
        for covered in Shipment.objects.filter(order_id=event.order_id).values_list(
            "order_items", flat=True
        ):
            wanted |= set(covered) if covered else {item_id for item_id, _ in items}
    now = timezone.now()
    TrackingPush.objects.bulk_create(
        TrackingPush(
            integration=integration,
            order_id=event.order_id,
            item_id=item_id,
            shipment_id=shipment_id,
            change=CHANGES.get(type(event), "added"),
            object_name=settings.order_item_object,
            record_id=str(metadata.get("salesforce_id")),
            next_attempt_at=now,
        )
        for item_id, metadata in items
        if item_id in wanted and isinstance(metadata, dict) and metadata.get("salesforce_id")
    )
