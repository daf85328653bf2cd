"""What the pages show about shipment write-back: per shipment on the order page, counts on
the integration page, and the Sync issues list. Reads only."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q
from django.template.loader import render_to_string

from orderhub.integrations.models import StoreIntegration
from orderhub.integrations.order_page import OrderPanel
from orderhub.integrations.salesforce.models import TrackingPush
from orderhub.integrations.salesforce.tracking_outbox import SOURCE_PREFIX
from orderhub.orders.models import Order

Status = TrackingPush.Status


def push_counts(integration: StoreIntegration) -> dict[str, int]:
    counts = TrackingPush.objects.filter(integration=integration).aggregate(
        pending=Count("id", filter=Q(status=Status.PENDING)),
        failed=Count("id", filter=Q(status=Status.FAILED)),
    )
    return {"pending": counts["pending"] or 0, "failed": counts["failed"] or 0}


def sync_issues(integration: StoreIntegration, limit: int = 500) -> list[TrackingPush]:
    """Failed pushes, then pending ones that already failed at least once (retrying)."""
    rows = TrackingPush.objects.filter(integration=integration).filter(
        Q(status=Status.FAILED) | Q(status=Status.PENDING, attempts__gt=0)
    )
    return list(rows.select_related("order", "item").order_by("-updated_at", "-id")[:limit])


@dataclass
class ShipmentSync:
    """Where one shipment stands in Salesforce."""

    status: str = ""  # sent / pending / failed
    sent_at: datetime | None = None
    error_code: str = ""
    error_message: str = ""
    attempts: int = 0
    cut_from: list[str] = field(default_factory=list)  # item names whose field left it out


def _item_state(rows: list[TrackingPush]) -> TrackingPush | None:
    """Of an item's rows since a shipment's last change, the one that says where it stands."""
    live = [r for r in rows if r.status != Status.DISMISSED]
    sent = [r for r in live if r.status == Status.SENT]
    if sent:
        return min(sent, key=lambda r: r.sent_at)
    pending = [r for r in live if r.status == Status.PENDING]
    if pending:
        return pending[-1]
    return live[-1] if live else None


def shipment_syncs(order: Order, rows: list[TrackingPush]) -> dict[int, ShipmentSync]:
    by_item: dict[int, list[TrackingPush]] = defaultdict(list)
    for row in rows:
        by_item[row.item_id].append(row)
    latest_sent = {
        item_id: max((r for r in item_rows if r.status == Status.SENT), key=lambda r: r.sent_at)
        for item_id, item_rows in by_item.items()
        if any(r.status == Status.SENT for r in item_rows)
    }
    names = {item.id: item.name for item in order.items.all()}
    syncs: dict[int, ShipmentSync] = {}
    for shipment in order.shipments.all():
        states = []
        for item_rows in by_item.values():
            own = [r for r in item_rows if r.shipment_id == shipment.id]
            if own:
                states.append(_item_state([r for r in item_rows if r.id >= own[-1].id]))
        states = [s for s in states if s is not None]
        if not states:
            continue
        sync = ShipmentSync()
        failed = [s for s in states if s.status == Status.FAILED]
        if failed:
            sync.status = "failed"
            sync.error_code, sync.error_message = failed[-1].error_code, failed[-1].error_message
        elif any(s.status == Status.PENDING for s in states):
            sync.status = "pending"
            retrying = [s for s in states if s.status == Status.PENDING and s.attempts]
            if retrying:
                sync.attempts = retrying[-1].attempts
                sync.error_code = retrying[-1].error_code
                sync.error_message = retrying[-1].error_message
        else:
            sync.status = "sent"
            sync.sent_at = max(s.sent_at for s in states)
        sync.cut_from = [
            names.get(item_id, f"item {item_id}")
            for item_id, row in latest_sent.items()
            if shipment.tracking_number in row.cut
        ]
        syncs[shipment.id] = sync
    return syncs


def order_panel(order: Order) -> OrderPanel | None:
    """The order page's Salesforce part: a status per shipment and what the field left out."""
    if not (order.external_source or "").startswith(SOURCE_PREFIX):
        return None
    rows = list(TrackingPush.objects.filter(order_id=order.pk).order_by("id"))
    if not rows:
        return None
    syncs = shipment_syncs(order, rows)
    context = {"store_id": order.store_id}
    shipments = {
        shipment_id: render_to_string("salesforce/_shipment_sync.html", {**context, "sync": sync})
        for shipment_id, sync in syncs.items()
    }
    cut = [
        (shipment, sync.cut_from)
        for shipment in order.shipments.all()
        if (sync := syncs.get(shipment.id)) and sync.cut_from
    ]
    notes = render_to_string("salesforce/_order_sync_notes.html", {**context, "cut": cut})
    return OrderPanel(shipments=shipments, notes=notes)
