"""Shipment write-back: shipment details go to the Order Shipment Details field of the
Salesforce item records of orders imported from Salesforce (Sync Tracking Numbers).

An outbox: when a shipment of such an order is added, edited or deleted, a TrackingPush row
per affected item record is written in the same transaction (`tracking_outbox.py`). Here,
the drain: per store, it claims due rows, builds each record's text from ALL current
shipments covering the item (so a push is idempotent: it sets the whole text, never
appends) and sends up to 200 records per sObject Collections PATCH, across orders. Transient
failures retry with exponential backoff; permanent ones keep Salesforce's statusCode and
message for the order page and the Sync issues page.
"""

from __future__ import annotations

import logging
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from orderhub.integrations.errors import (
    IntegrationError,
    Permanent,
    RateLimited,
    Transient,
    Unauthorized,
)
from orderhub.integrations.models import StoreIntegration
from orderhub.integrations.salesforce.client import TRANSIENT_CODES, SalesforceGateway
from orderhub.integrations.salesforce.config import SalesforceSettings
from orderhub.integrations.salesforce.connection import gateway_for
from orderhub.integrations.salesforce.models import PushLease, TrackingPush
from orderhub.integrations.salesforce.schema import OrgSchema, UnknownField, UnknownObject
from orderhub.integrations.salesforce.services import settings_of
from orderhub.integrations.salesforce.shipment_details import covers, details_text
from orderhub.integrations.salesforce.tracking_outbox import CHANGES, enqueue_pushes
from orderhub.jobs.queue import worker_name
from orderhub.orders import events
from orderhub.orders.models import Shipment

logger = logging.getLogger(__name__)
MAX_RECORDS = 200  # sObject Collections take at most 200 records per call
CANDIDATES = 2000  # rows looked at per batch to find 200 distinct records
LEASE_TTL = timedelta(minutes=5)
BACKOFF_SECONDS = 30.0
BACKOFF_CAP_SECONDS = 3600.0
MAX_ATTEMPTS = 12
RECONNECT_DELAY = timedelta(minutes=15)


# --- the drain ----------------------------------------------------------------------------------


@dataclass
class Target:
    """Where the text goes: the item object's field, its length and the line separator."""

    field: str
    length: int | None
    separator: str


@dataclass
class DrainResult:
    calls: int = 0  # PATCH calls made (each may be retried by the gateway)
    requests: int = 0  # HTTP requests, retries included
    records: int = 0
    sent: int = 0
    failed: int = 0
    retrying: int = 0
    skipped: bool = False
    error: str = ""


def _take_lease(integration: StoreIntegration, owner: str, now: datetime) -> bool:
    PushLease.objects.get_or_create(integration=integration)
    return (
        PushLease.objects.filter(integration=integration)
        .filter(Q(owner="") | Q(expires_at__lt=now) | Q(owner=owner))
        .update(owner=owner, expires_at=now + LEASE_TTL)
        == 1
    )


def _release_lease(integration: StoreIntegration, owner: str) -> None:
    PushLease.objects.filter(integration=integration, owner=owner).update(owner="", expires_at=None)


def _target(
    integration: StoreIntegration, settings: SalesforceSettings, gateway: SalesforceGateway
) -> Target:
    schema = OrgSchema(integration, lambda: gateway)
    try:
        field = schema.describe(settings.order_item_object).field(settings.shipment_details_field)
    except (UnknownObject, UnknownField) as exc:
        raise IntegrationError(
            f"{exc} — choose another Order Shipment Details field in the Salesforce settings"
        ) from None
    separator = "\n" if field.get("type") == "textarea" else "; "
    return Target(field["name"], field.get("length") or None, separator)


def _claim(
    integration: StoreIntegration, owner: str, now: datetime, handled: set[int]
) -> list[TrackingPush]:
    """Claim the due rows of up to 200 distinct records (every due row of each).

    Rows this drain already handled are left for a later one, so a retry waits its backoff.
    """
    free = Q(claimed_by="") | Q(claim_expires_at__lt=now) | Q(claimed_by=owner)
    candidates = (
        TrackingPush.objects.filter(
            integration=integration, status=TrackingPush.Status.PENDING, next_attempt_at__lte=now
        )
        .filter(free)
        .exclude(id__in=handled)
    )
    chosen: dict[str, list[int]] = {}
    for row_id, record_id in candidates.values_list("id", "record_id")[:CANDIDATES]:
        if record_id in chosen or len(chosen) < MAX_RECORDS:
            chosen.setdefault(record_id, []).append(row_id)
    ids = [row_id for row_ids in chosen.values() for row_id in row_ids]
    if not ids:
        return []
    TrackingPush.objects.filter(id__in=ids).filter(free).update(
        claimed_by=owner, claim_expires_at=now + LEASE_TTL
    )
    rows = list(TrackingPush.objects.filter(id__in=ids, claimed_by=owner))
    handled.update(row.id for row in rows)
    return rows


def _texts(rows: list[TrackingPush], target: Target) -> dict[str, tuple[str, list[str]]]:
    """record id -> (text, cut) built from the current shipments of each row's order."""
    by_order: dict[int, list[Shipment]] = defaultdict(list)
    for shipment in Shipment.objects.filter(order_id__in={r.order_id for r in rows}).order_by(
        "date_added", "id"
    ):
        by_order[shipment.order_id].append(shipment)
    texts: dict[str, tuple[str, list[str]]] = {}
    for row in rows:
        if row.record_id not in texts:
            covering = [s for s in by_order[row.order_id] if covers(s, row.item_id)]
            texts[row.record_id] = details_text(
                covering, length=target.length, separator=target.separator
            )
    return texts


def _backoff(attempts: int) -> timedelta:
    seconds = min(BACKOFF_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_CAP_SECONDS)
    return timedelta(seconds=random.uniform(seconds / 2, seconds))


def _retry_later(row: TrackingPush, now: datetime, code: str, message: str) -> None:
    row.attempts += 1
    row.error_code, row.error_message = code, message
    if row.attempts >= MAX_ATTEMPTS:
        row.status = TrackingPush.Status.FAILED
        row.error_message = f"Gave up after {row.attempts} attempts. Last error: {message}"
    else:
        row.next_attempt_at = now + _backoff(row.attempts)


FINISH_FIELDS = (
    "status",
    "attempts",
    "next_attempt_at",
    "sent_at",
    "sent_text",
    "cut",
    "error_code",
    "error_message",
)


def _finish(rows: list[TrackingPush]) -> None:
    """Record the outcome and release the claims: one UPDATE per distinct outcome (the rows
    of one record share theirs), much cheaper than bulk_update's CASE per row and field."""
    groups: dict[str, tuple[TrackingPush, list[int]]] = {}
    for row in rows:
        key = repr(tuple(getattr(row, name) for name in FINISH_FIELDS))
        groups.setdefault(key, (row, []))[1].append(row.id)
        row.claimed_by, row.claim_expires_at = "", None
    now = timezone.now()
    for sample, ids in groups.values():
        TrackingPush.objects.filter(id__in=ids).update(
            claimed_by="",
            claim_expires_at=None,
            updated_at=now,
            **{name: getattr(sample, name) for name in FINISH_FIELDS},
        )


def _send(
    rows: list[TrackingPush], target: Target, gateway: SalesforceGateway, result: DrainResult
) -> bool:
    """Send one batch and record the outcome; False when the drain should stop for now."""
    texts = _texts(rows, target)
    object_of = {r.record_id: r.object_name for r in rows}
    records = [
        {"attributes": {"type": object_of[record_id]}, "id": record_id, target.field: text}
        for record_id, (text, _cut) in texts.items()
    ]
    now = timezone.now()
    result.calls += 1
    try:
        outcomes = gateway.update_records(records)
    except (Transient, Unauthorized) as exc:
        for row in rows:
            if isinstance(exc, Unauthorized):
                row.error_code, row.error_message = "INVALID_SESSION_ID", str(exc)
                row.next_attempt_at = now + RECONNECT_DELAY
            else:
                _retry_later(
                    row, now, "RATE_LIMITED" if isinstance(exc, RateLimited) else "", str(exc)
                )
        result.retrying += len(rows)
        result.error = str(exc)
        _finish(rows)
        return False
    except Permanent as exc:
        outcomes = [
            {
                "success": False,
                "errors": [{"statusCode": exc.error_code, "message": exc.remote_message}],
            }
        ] * len(records)
    result.records += len(records)
    by_record: dict[str, dict] = {
        record["id"]: outcome for record, outcome in zip(records, outcomes, strict=False)
    }
    for row in rows:
        outcome = by_record.get(row.record_id) or {
            "success": False,
            "errors": [{"statusCode": "", "message": "Salesforce returned no result"}],
        }
        if outcome.get("success"):
            text, cut = texts[row.record_id]
            row.status, row.sent_at, row.sent_text, row.cut = "sent", now, text, cut
            row.error_code = row.error_message = ""
            result.sent += 1
            continue
        error = (outcome.get("errors") or [{}])[0]
        code, message = error.get("statusCode", ""), error.get("message", "")
        if code in TRANSIENT_CODES:
            _retry_later(row, now, code, message)
            result.retrying += 1
        else:
            row.status, row.error_code, row.error_message = "failed", code, message
            result.failed += 1
    _finish(rows)
    return True


def drain(
    integration: StoreIntegration,
    *,
    owner: str | None = None,
    now: datetime | None = None,
    gateway: SalesforceGateway | None = None,
) -> DrainResult:
    """Send every due push of one store, 200 records per call, while holding its lease."""
    owner = owner or f"{worker_name()}:{uuid.uuid4().hex[:8]}"
    now = now or timezone.now()
    if not _take_lease(integration, owner, now):
        return DrainResult(skipped=True)
    result = DrainResult()
    try:
        settings = settings_of(integration)
        if not settings.sync_tracking_numbers or not settings.shipment_details_field:
            return result
        gateway = gateway or gateway_for(integration)
        try:
            target = _target(integration, settings, gateway)
        except (Transient, Unauthorized) as exc:
            result.error = str(exc)
            return result
        except IntegrationError as exc:
            _fail_all(integration, str(exc), now)
            result.error = str(exc)
            return result
        first_request = gateway.calls
        handled: set[int] = set()
        while rows := _claim(integration, owner, now, handled):
            if not _send(rows, target, gateway, result):
                break
            _take_lease(integration, owner, timezone.now())
        result.requests = gateway.calls - first_request
    finally:
        _release_lease(integration, owner)
    logger.info(
        "Salesforce tracking push for store %s: %s records in %s calls, %s failed, %s retrying",
        integration.store_id,
        result.records,
        result.calls,
        result.failed,
        result.retrying,
    )
    return result


def _fail_all(integration: StoreIntegration, message: str, now: datetime) -> None:
    TrackingPush.objects.filter(
        integration=integration, status=TrackingPush.Status.PENDING, next_attempt_at__lte=now
    ).update(status=TrackingPush.Status.FAILED, error_code="CONFIGURATION", error_message=message)


def run_drain(integration_id: int) -> DrainResult | None:
    integration = StoreIntegration.objects.filter(pk=integration_id).first()
    return drain(integration) if integration is not None else None


def due_pushes():
    """Work source for the sweeper: stores with pushes due now and nobody draining them."""
    from orderhub.jobs.schedule import WorkItem

    now = timezone.now()
    due = (
        TrackingPush.objects.filter(
            status=TrackingPush.Status.PENDING,
            next_attempt_at__lte=now,
            integration__enabled=True,
            integration__status__in=[
                StoreIntegration.Status.CONNECTED,
                StoreIntegration.Status.ERROR,
            ],
        )
        .filter(Q(claimed_by="") | Q(claim_expires_at__lt=now))
        .order_by()
        .values_list("integration_id", "integration__store_id")
        .distinct()
    )
    for integration_id, store_id in due:
        yield WorkItem(
            key=f"salesforce-push:{store_id}",
            title=f"Salesforce tracking push for store {store_id}",
            run=lambda integration_id=integration_id: run_drain(integration_id),
        )


# --- what people do on the Sync issues page ----------------------------------------------------


@transaction.atomic
def retry_pushes(integration: StoreIntegration, push_ids: list[int] | None, *, actor) -> int:
    """Send failed pushes again now (all of the store's when `push_ids` is None)."""
    rows = TrackingPush.objects.filter(integration=integration, status=TrackingPush.Status.FAILED)
    if push_ids is not None:
        rows = rows.filter(id__in=push_ids)
    return rows.update(
        status=TrackingPush.Status.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
        claimed_by="",
        claim_expires_at=None,
    )


@transaction.atomic
def dismiss_pushes(integration: StoreIntegration, push_ids: list[int], *, actor) -> int:
    """Stop showing failed pushes; nothing is sent for them."""
    return TrackingPush.objects.filter(
        integration=integration, status=TrackingPush.Status.FAILED, id__in=push_ids
    ).update(status=TrackingPush.Status.DISMISSED)


def subscribe() -> None:
    """Wire the outbox writer (called from SalesforceConfig.ready())."""
    for event_type in CHANGES:
        events.subscribe_in_transaction(
            event_type, enqueue_pushes, dispatch_uid=f"salesforce-tracking-{event_type.__name__}"
        )
