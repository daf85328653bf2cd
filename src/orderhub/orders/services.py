"""The one write path for orders: every change to an order, its items, shipments, folder
or history happens here.

Each public service takes the object it acts on first and a keyword-only `actor` (a user,
or None for the system) plus the `source` shown in history ("Web", "API", "Auto", ...).
It runs in one durable transaction, writes exactly one history row per order it changes,
and publishes domain events that are delivered after commit.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from itertools import repeat
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from orderhub.orders import bulk_insert, events
from orderhub.orders.drafts import (
    AddressDraft,
    ImportDraft,
    ItemDraft,
    OrderDraft,
    ShipmentDraft,
)
from orderhub.orders.errors import (
    FolderInUse,
    FolderNotFound,
    InvalidOrder,
    ShipmentNotAdded,
)
from orderhub.orders.models import (
    ADDRESS_PARTS,
    CUSTOMER_PARTS,
    HistoryKind,
    Order,
    OrderHistory,
    OrderItem,
    Shipment,
)
from orderhub.stores.models import Folder, Store

Actor = AbstractBaseUser | None

ORDER_SCALARS = (
    "email",
    "source_name",
    "source_id",
    "customer_id",
    "ip_address",
    "shipping_method",
    "shipping_total",
    "handling_total",
    "tax_total",
    "refund_total",
    "cc_exp",
    "processor_response",
    "payment_type",
    "payment_status",
    "tag_color",
    "tag_name",
    "fulfillment_name",
    "fulfillment_id",
)
ITEM_FIELDS = (
    "name",
    "code",
    "price",
    "quantity",
    "weight",
    "delivery_type",
    "category_code",
    "fulfillment_method",
    "variation_list",
    "metadata",
)
SHIPMENT_FIELDS = (
    "tracking_number",
    "carrier_code",
    "shipment_method",
    "weight",
    "cost",
    "status",
    "tracking_url",
    "label_format",
    "label_image",
    "print_status",
    "cart_shipment_id",
    "label_shipment_id",
    "order_items",
)


# --- private helpers (undecorated, so the public services stay durable) -------------------


def _actor_or_none(actor: Actor) -> AbstractBaseUser | None:
    return actor if getattr(actor, "pk", None) else None


def _history(
    order: Order,
    kind: HistoryKind,
    note: str,
    *,
    actor: Actor,
    source: str,
    details: dict | None = None,
    when: datetime | None = None,
) -> OrderHistory:
    return OrderHistory(
        order=order,
        kind=kind,
        note=note,
        actor=_actor_or_none(actor),
        source_name=source,
        details=details or {},
        date_added=when or timezone.now(),
    )


def _write_history(order: Order, kind: HistoryKind, note: str, **kwargs) -> OrderHistory:
    entry = _history(order, kind, note, **kwargs)
    entry.save()
    return entry


def _folder_for(store: Store, folder_id: int | None) -> Folder:
    folders = Folder.objects.filter(store=store)
    if folder_id is None:
        folder = folders.order_by("position", "id").first()
    else:
        folder = folders.filter(id=folder_id).first()
    if folder is None:
        raise FolderNotFound(f"folder_id: folder {folder_id} not found in this store")
    return folder


def _mask_card(number: str) -> str:
    # Order Desk takes the last four digits (or a masked number, as it answers with) and
    # shows them as a 16-character masked number: "4242" -> "xxxxxxxxxxxx4242".
    digits = "".join(ch for ch in number if ch.isdigit())
    width = sum(1 for ch in number if ch.isdigit() or ch in "xX*")
    return ("x" * (max(width, 16) - 4) + digits[-4:]) if digits else ""


def _draft_values(draft: OrderDraft) -> dict[str, Any]:
    """The order columns a draft sets, by attname (a full replace, as PUT demands).

    Totals, folder and dates are not among them. The card is kept when none is given.
    """
    draft = draft.with_addresses_completed()
    values: dict[str, Any] = {name: getattr(draft, name) for name in ORDER_SCALARS}
    if draft.cc_number:
        values["cc_number_masked"] = _mask_card(draft.cc_number)
    for prefix, parts in (("shipping", ADDRESS_PARTS), ("customer", CUSTOMER_PARTS)):
        address = getattr(draft, prefix)
        for part in parts:
            values[f"{prefix}_{part}"] = getattr(address, part)
    values["return_address"] = {k: v for k, v in draft.return_address.__dict__.items() if v}
    values["checkout_data"] = dict(draft.checkout_data)
    values["order_metadata"] = dict(draft.order_metadata)
    values["discount_list"] = [
        {"name": d.name, "code": d.code, "amount": f"{d.amount:.2f}"} for d in draft.discount_list
    ]
    now = timezone.now()
    values["order_notes"] = [
        {
            "date_added": (note.date_added or now).strftime("%Y-%m-%d %H:%M:%S"),
            "username": note.username,
            "content": note.content,
        }
        for note in draft.order_notes
    ]
    return values


def _apply_draft(order: Order, draft: OrderDraft) -> None:
    for name, value in _draft_values(draft).items():
        setattr(order, name, value)


def _clean(instance: Order | OrderItem | Shipment, *, prefix: str = "") -> None:
    """Check lengths and digits against the columns before saving, naming the bad field.

    SQLite would store an over-long value silently and PostgreSQL would fail the request
    with a database error; either way the client must hear which field is wrong.
    """
    try:
        instance.full_clean(
            exclude=["store", "folder", "order"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        problems = "; ".join(
            f"{prefix}{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items()
        )
        raise InvalidOrder(problems) from None


def _item_from_draft(order: Order, draft: ItemDraft, position: int) -> OrderItem:
    item = OrderItem(order=order, position=position)
    _apply_item(item, draft)
    return item


def _apply_item(item: OrderItem, draft: ItemDraft) -> None:
    for name in ITEM_FIELDS:
        value = getattr(draft, name)
        setattr(item, name, dict(value) if isinstance(value, dict) else value)


def _totals(
    order: Mapping[str, Any], items: Iterable[OrderItem | ItemDraft], *, balance: Decimal | None
) -> dict[str, Any]:
    """The read-only totals of an order (its values by attname) from its items and charges.

    `balance` is the processor balance given; without one, a new order's balance is its
    total and an existing order keeps its own.
    """
    items = list(items)
    totals: dict[str, Any] = {
        "quantity_total": sum(item.quantity for item in items),
        "weight_total": sum((item.weight * item.quantity for item in items), Decimal("0")),
        "product_total": sum((item.price * item.quantity for item in items), Decimal("0")),
        "discount_total": sum(
            (Decimal(str(d.get("amount") or 0)) for d in order["discount_list"]), Decimal("0")
        ),
    }
    totals["order_total"] = (
        totals["product_total"]
        + order["shipping_total"]
        + order["handling_total"]
        + order["tax_total"]
        - totals["discount_total"]
    )
    if balance is not None:
        totals["processor_balance"] = balance
    elif order.get("id") is None:
        totals["processor_balance"] = totals["order_total"]
    return totals


def _compute_totals(
    order: Order, items: Iterable[OrderItem | ItemDraft], *, balance: Decimal | None
) -> None:
    """Set the read-only totals from the items, discounts and charges."""
    for name, value in _totals(order.__dict__, items, balance=balance).items():
        setattr(order, name, value)


def _recompute_and_save(order: Order, fields: Sequence[str] = ()) -> None:
    # Read the items afresh: a prefetched `order.items` would still hold the old ones.
    _compute_totals(order, OrderItem.objects.filter(order=order), balance=None)
    order.date_updated = timezone.now()
    _clean(order)  # the totals must still fit their columns
    order.save(
        update_fields=[
            *fields,
            "quantity_total",
            "weight_total",
            "product_total",
            "discount_total",
            "order_total",
            "date_updated",
        ]
    )


def _publish(event_cls: type[events.OrderEvent], order: Order, source: str, **extra) -> None:
    events.publish(event_cls(store_id=order.store_id, order_id=order.id, source=source, **extra))


def _publish_if_moved(order: Order, source: str, before_folder: int) -> None:
    if order.folder_id != before_folder:
        _publish(
            events.FolderChanged,
            order,
            source,
            from_folder_id=before_folder,
            to_folder_id=order.folder_id,
        )


def _new_order(store: Store, draft: OrderDraft, folder: Folder) -> tuple[Order, list[OrderItem]]:
    now = timezone.now()
    order = Order(store=store, folder=folder, date_added=draft.date_added or now, date_updated=now)
    _apply_draft(order, draft)
    _compute_totals(order, draft.order_items, balance=draft.processor_balance)
    items = [_item_from_draft(order, d, position) for position, d in enumerate(draft.order_items)]
    return order, items


def _import_row(draft: ImportDraft, folder: Folder, external_source: str, now) -> dict[str, Any]:
    """An imported order's row, by attname: what `_new_order` builds, without an instance."""
    row = {
        "store_id": folder.store_id,
        "folder_id": folder.id,
        "external_source": external_source,
        "external_id": draft.external_id,
        "date_added": draft.date_added or now,
        "date_updated": now,
        **_draft_values(draft),
    }
    row.update(_totals(row, draft.order_items, balance=draft.processor_balance))
    return row


def _address_snapshot(order: Order) -> dict:
    return {
        "shipping": order.address("shipping"),
        "customer": order.address("customer"),
        "return_address": dict(order.return_address),
    }


# --- orders ---------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def create_order(
    store: Store, draft: OrderDraft, *, actor: Actor, source: str = "API", manual: bool = False
) -> Order:
    """Create an order with its items; without a folder it goes to the store's first folder."""
    folder = _folder_for(store, draft.folder_id)
    order, items = _new_order(store, draft, folder)
    _clean(order)
    for position, item in enumerate(items):
        _clean(item, prefix=f"order_items[{position}].")
    order.save()
    OrderItem.objects.bulk_create(items)
    _write_history(order, HistoryKind.CREATED, "Order created", actor=actor, source=source)
    _publish(events.OrderCreated, order, source, manual=manual)
    return order


@dataclass
class ImportResult:
    created: list[int] = field(default_factory=list)  # ids of the orders created
    already_imported: list[str] = field(default_factory=list)
    # Records whose values do not fit OrderHub's columns: external id -> what is wrong.
    # They are left out; the rest of the batch is imported.
    rejected: dict[str, str] = field(default_factory=dict)


def _overlong(model, rows: Sequence[Mapping[str, Any]]) -> dict[int, str]:
    """Index of each row (values by attname) holding a text value longer than its column
    -> the first such value, named. A cheap stand-in for full_clean on the import path.
    """
    problems: dict[int, str] = {}
    for attname, name, limit in _text_columns(model):
        # Column by column at C speed; the rows are walked only when one is too long.
        longest = max(map(len, filter(None, map(dict.get, rows, repeat(attname)))), default=0)
        if longest <= limit:
            continue
        for index, row in enumerate(rows):
            value = row.get(attname)
            if value and len(value) > limit and index not in problems:
                problems[index] = f"{name}: {len(value)} characters, at most {limit}"
    return problems


@functools.cache
def _text_columns(model) -> list[tuple[str, str, int]]:
    return [
        (f.attname, f.name, f.max_length)
        for f in model._meta.concrete_fields
        if getattr(f, "max_length", None) and f.get_internal_type() == "CharField"
    ]


def _import_problems(rows: list[dict], item_rows: list[list[dict]]) -> dict[int, str]:
    """Index of each order that does not fit the columns -> why (its own value first)."""
    problems = _overlong(Order, rows)
    owners = [index for index, items in enumerate(item_rows) for _ in items]
    flat = [item for items in item_rows for item in items]
    for flat_index, problem in _overlong(OrderItem, flat).items():
        owner = owners[flat_index]
        position = flat[flat_index]["position"]
        problems.setdefault(owner, f"order_items[{position}].{problem}")
    return problems


def _already_imported(store: Store, external_source: str, external_ids: list[str]) -> set[str]:
    return set(
        Order.objects.filter(
            store=store, external_source=external_source, external_id__in=external_ids
        )
        .order_by()
        .values_list("external_id", flat=True)
    )


def _item_rows(items: Sequence[ItemDraft]) -> list[dict[str, Any]]:
    """Item rows by attname, but for `order_id` (known once the order is inserted)."""
    # The draft's `id` is ignored: insert_rows leaves the primary key to the database.
    return [{**item.__dict__, "position": position} for position, item in enumerate(items)]


@transaction.atomic(durable=True)
def import_orders(
    store: Store,
    drafts: Sequence[ImportDraft],
    *,
    actor: Actor,
    folder: Folder,
    external_source: str,
    source: str,
    history_note: str,
) -> ImportResult:
    """Create orders for records not imported before; a record id already here is skipped.

    One transaction for the whole batch, bulk inserts, and one history row and one
    OrderImported event per new order. The unique constraint on (store, external_source,
    external_id) is the last line of defence against a concurrent import.
    """
    if folder.store_id != store.id:
        raise FolderNotFound(f"Folder {folder.id} not found in this store")
    result = ImportResult()
    wanted: dict[str, ImportDraft] = {}
    for draft in drafts:
        wanted.setdefault(draft.external_id, draft)
    existing = _already_imported(store, external_source, list(wanted))
    result.already_imported = [external_id for external_id in wanted if external_id in existing]
    now = timezone.now()
    new = [draft for external_id, draft in wanted.items() if external_id not in existing]
    rows = [_import_row(draft, folder, external_source, now) for draft in new]
    items_of = [_item_rows(draft.order_items) for draft in new]
    if problems := _import_problems(rows, items_of):
        for index in sorted(problems):
            result.rejected[rows[index]["external_id"]] = problems[index]
        rows = [row for index, row in enumerate(rows) if index not in problems]
        items_of = [items for index, items in enumerate(items_of) if index not in problems]
    item_rows = {row["external_id"]: items for row, items in zip(rows, items_of, strict=True)}
    if not rows:
        return result
    try:
        with transaction.atomic():
            ids = bulk_insert.insert_rows(Order, rows, returning_ids=True)
    except IntegrityError:
        # Another import committed some of these records first: keep only the rest.
        raced = _already_imported(store, external_source, [row["external_id"] for row in rows])
        result.already_imported += [r["external_id"] for r in rows if r["external_id"] in raced]
        rows = [row for row in rows if row["external_id"] not in raced]
        ids = bulk_insert.insert_rows(Order, rows, returning_ids=True)
    for order_id, row in zip(ids, rows, strict=True):
        for item in item_rows[row["external_id"]]:
            item["order_id"] = order_id
    bulk_insert.insert_rows(
        OrderItem, (item for row in rows for item in item_rows[row["external_id"]])
    )
    actor_id = getattr(_actor_or_none(actor), "pk", None)
    bulk_insert.insert_rows(
        OrderHistory,
        (
            {
                "order_id": order_id,
                "kind": HistoryKind.IMPORTED,
                "note": history_note,
                "actor_id": actor_id,
                "source_name": source,
                "date_added": now,
            }
            for order_id in ids
        ),
    )
    events.publish_many(
        [events.OrderImported(store_id=store.id, order_id=i, source=source) for i in ids]
    )
    result.created = ids
    return result


@transaction.atomic(durable=True)
def update_order(order: Order, draft: OrderDraft, *, actor: Actor, source: str = "API") -> Order:
    """Replace the order with `draft` (PUT semantics).

    Parts left out become blank. Items are upserted by id when `order_items` is given, and
    items not listed are removed; when it is not given, items stay as they are. Shipments
    never change here.
    """
    order = Order.objects.select_for_update().get(pk=order.pk)
    before_folder = order.folder_id
    before_address = _address_snapshot(order)
    _apply_draft(order, draft)
    if "folder_id" in draft.model_fields_set and draft.folder_id is not None:
        order.folder = _folder_for(order.store, draft.folder_id)
    if "order_items" in draft.model_fields_set:
        _replace_items(order, draft.order_items)
    balance = draft.processor_balance if "processor_balance" in draft.model_fields_set else None
    _compute_totals(order, order.items.all(), balance=balance)
    order.date_updated = timezone.now()
    order.full_clean(exclude=["store", "folder"])
    order.save()
    _write_history(order, HistoryKind.UPDATED, "Order updated", actor=actor, source=source)
    _publish(events.OrderDetailsChanged, order, source)
    if _address_snapshot(order) != before_address:
        _publish(events.OrderAddressChanged, order, source)
    _publish_if_moved(order, source, before_folder)
    return order


def _replace_items(order: Order, drafts: Sequence[ItemDraft]) -> None:
    current = {item.id: item for item in order.items.all()}
    keep: set[int] = set()
    for position, draft in enumerate(drafts):
        if draft.id is not None:
            item = current.get(draft.id)
            if item is None:
                raise InvalidOrder(f"order_items[{position}].id: item {draft.id} not in this order")
            _apply_item(item, draft)
            item.position = position
            _clean(item, prefix=f"order_items[{position}].")
            item.save()
            keep.add(item.id)
        else:
            item = _item_from_draft(order, draft, position)
            _clean(item, prefix=f"order_items[{position}].")
            item.save()
    OrderItem.objects.filter(order=order).exclude(id__in=keep).filter(id__in=list(current)).delete()


@transaction.atomic(durable=True)
def delete_order(order: Order, *, actor: Actor, source: str = "API") -> None:
    event = events.OrderDeleted(store_id=order.store_id, order_id=order.id, source=source)
    order.delete()
    events.publish(event)


def _move(order: Order, folder: Folder, *, actor: Actor, source: str) -> int:
    if folder.store_id != order.store_id:
        raise FolderNotFound(f"Folder {folder.id} not found in this store")
    original = order.folder_id
    if original == folder.id:
        return original
    order.folder = folder
    order.date_updated = timezone.now()
    order.save(update_fields=["folder", "date_updated"])
    _write_history(
        order,
        HistoryKind.MOVED,
        f"Moved to {folder.name}",
        actor=actor,
        source=source,
        details={"from_folder_id": original, "to_folder_id": folder.id},
    )
    _publish(events.FolderChanged, order, source, from_folder_id=original, to_folder_id=folder.id)
    return original


@transaction.atomic(durable=True)
def move_to_folder(order: Order, folder: Folder, *, actor: Actor, source: str = "API") -> Order:
    _move(order, folder, actor=actor, source=source)
    return order


@dataclass(frozen=True)
class MoveResult:
    order_id: int
    original_folder_id: int


@transaction.atomic(durable=True)
def move_orders(
    orders: Sequence[Order], folder: Folder, *, actor: Actor, source: str = "API"
) -> list[MoveResult]:
    """Move several orders at once; all move or none do."""
    return [
        MoveResult(order.id, _move(order, folder, actor=actor, source=source)) for order in orders
    ]


@transaction.atomic(durable=True)
def delete_folder(
    folder: Folder, *, actor: Actor, move_orders_to: Folder | None = None, source: str = "Web"
) -> None:
    """Delete a custom folder, first moving its orders to `move_orders_to`."""
    if folder.is_default:
        raise FolderInUse(f"{folder.name} is a default folder and cannot be deleted")
    orders = list(Order.objects.filter(folder=folder).select_related("store"))
    if orders and move_orders_to is None:
        raise FolderInUse(
            f"{folder.name} still holds {len(orders)} orders: choose a folder to move them to"
        )
    if move_orders_to is not None and move_orders_to.id == folder.id:
        raise FolderInUse("Choose another folder to move the orders to")
    for order in orders:
        _move(order, move_orders_to, actor=actor, source=source)
    folder.delete()


@transaction.atomic(durable=True)
def set_order_data(
    order: Order,
    *,
    actor: Actor,
    source: str = "Web",
    checkout_data: dict[str, str] | None = None,
    order_metadata: dict | None = None,
    note: str | None = None,
) -> Order:
    """Replace the checkout data and/or metadata maps (what the order page and rules edit)."""
    changed: dict[str, dict] = {}
    if checkout_data is not None and checkout_data != order.checkout_data:
        changed["checkout_data"] = {"before": order.checkout_data, "after": checkout_data}
        order.checkout_data = {str(k): str(v) for k, v in checkout_data.items()}
    if order_metadata is not None and order_metadata != order.order_metadata:
        changed["order_metadata"] = {"before": order.order_metadata, "after": order_metadata}
        order.order_metadata = dict(order_metadata)
    if not changed:
        return order
    order.date_updated = timezone.now()
    order.save(update_fields=["checkout_data", "order_metadata", "date_updated"])
    summary = note or "Changed " + " and ".join(k.replace("_", " ") for k in changed)
    _write_history(
        order, HistoryKind.DATA_CHANGED, summary, actor=actor, source=source, details=changed
    )
    _publish(events.OrderDataChanged, order, source)
    return order


@transaction.atomic(durable=True)
def set_address(
    order: Order, which: str, address: AddressDraft | dict, *, actor: Actor, source: str = "Web"
) -> Order:
    """Replace the shipping, customer or return address."""
    if which == "return_address":
        order.return_address = {k: str(v) for k, v in dict(address).items() if v}
        fields = ["return_address"]
    elif which in ("shipping", "customer"):
        draft = address if isinstance(address, AddressDraft) else AddressDraft(**address)
        parts = ADDRESS_PARTS if which == "shipping" else CUSTOMER_PARTS
        fields = [f"{which}_{part}" for part in parts]
        for part in parts:
            setattr(order, f"{which}_{part}", getattr(draft, part))
    else:
        raise InvalidOrder(f"Unknown address {which!r}")
    order.date_updated = timezone.now()
    order.save(update_fields=[*fields, "date_updated"])
    label = {"shipping": "shipping address", "customer": "customer address"}.get(
        which, "return address"
    )
    _write_history(
        order, HistoryKind.ADDRESS_CHANGED, f"Changed {label}", actor=actor, source=source
    )
    _publish(events.OrderAddressChanged, order, source)
    return order


@transaction.atomic(durable=True)
def update_order_details(
    order: Order, *, actor: Actor, source: str = "Web", **changes: object
) -> Order:
    """Change some scalar fields (email, shipping method, tag, totals...): Edit Order Details."""
    unknown = set(changes) - set(ORDER_SCALARS)
    if unknown:
        raise InvalidOrder(f"Cannot change {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        setattr(order, name, value)
    _compute_totals(order, OrderItem.objects.filter(order=order), balance=None)
    order.date_updated = timezone.now()
    order.full_clean(exclude=["store", "folder"])
    order.save()
    _write_history(
        order,
        HistoryKind.UPDATED,
        "Changed " + ", ".join(name.replace("_", " ") for name in changes),
        actor=actor,
        source=source,
        details={k: str(v) for k, v in changes.items()},
    )
    _publish(events.OrderDetailsChanged, order, source)
    return order


@transaction.atomic(durable=True)
def add_history_note(order: Order, note: str, *, actor: Actor, source: str = "API") -> OrderHistory:
    if not note.strip():
        raise InvalidOrder("note: cannot be empty")
    entry = _write_history(order, HistoryKind.NOTE, note, actor=actor, source=source)
    _publish(events.NoteAdded, order, source)
    return entry


@transaction.atomic(durable=True)
def record_activity(
    order: Order,
    note: str,
    *,
    actor: Actor,
    source: str,
    kind: HistoryKind = HistoryKind.INTEGRATION,
    details: dict | None = None,
) -> OrderHistory:
    """Write a history entry for something done to an order elsewhere (a rule, a sync)."""
    return _write_history(order, kind, note, actor=actor, source=source, details=details)


@dataclass(frozen=True)
class MapChange:
    """Keys to set and keys to remove in a key/value map (checkout data, metadata...).

    It is applied to the map as it is when the change is saved, so a key written meanwhile
    by someone else (an integration storing a created record's Id) is kept.
    """

    set: dict = field(default_factory=dict)
    removed: tuple[str, ...] = ()

    @classmethod
    def between(cls, before: dict, after: dict) -> MapChange:
        changed = {k: v for k, v in after.items() if k not in before or before[k] != v}
        return cls(changed, tuple(k for k in before if k not in after))

    def applied_to(self, current: dict) -> dict:
        result = {k: v for k, v in (current or {}).items() if k not in self.removed}
        result.update(self.set)
        return result


@transaction.atomic(durable=True)
def apply_rule_changes(
    order: Order,
    note: str,
    *,
    actor: Actor,
    source: str = "Auto",
    details: dict | None = None,
    folder: Folder | None = None,
    order_fields: dict[str, object] | None = None,
    checkout_data: MapChange | None = None,
    order_metadata: MapChange | None = None,
    order_notes: Sequence[str] = (),
    item_data: dict[int, dict[str, MapChange]] | None = None,
    in_transaction: Callable[[Order], None] | None = None,
) -> Order:
    """Apply all that one rule run changes, with one "Auto" history row naming the rule.

    Maps change by MapChange, applied to the row as it is now (locked). `item_data` maps
    item ids to {"variation_list": MapChange, "metadata": MapChange}. `in_transaction(order)`
    runs inside the same transaction (rules queue their remote actions there, so a job
    exists exactly when the rule's changes do).
    """
    order = Order.objects.select_for_update().get(pk=order.pk)
    fields: list[str] = []
    before_folder = order.folder_id
    if folder is not None and folder.id != order.folder_id:
        if folder.store_id != order.store_id:
            raise FolderNotFound(f"Folder {folder.id} not found in this store")
        order.folder = folder
        fields.append("folder")
    unknown = set(order_fields or {}) - set(ORDER_SCALARS)
    if unknown:
        raise InvalidOrder(f"Cannot change {', '.join(sorted(unknown))}")
    for name, value in (order_fields or {}).items():
        if getattr(order, name) != value:
            setattr(order, name, value)
            fields.append(name)
    if checkout_data is not None:
        new_data = {
            str(k): str(v) for k, v in checkout_data.applied_to(order.checkout_data).items()
        }
        if new_data != order.checkout_data:
            order.checkout_data = new_data
            fields.append("checkout_data")
    if order_metadata is not None:
        new_metadata = order_metadata.applied_to(order.order_metadata)
        if new_metadata != order.order_metadata:
            order.order_metadata = new_metadata
            fields.append("order_metadata")
    if order_notes:
        stamp = timezone.now().strftime("%Y-%m-%d %H:%M:%S")
        order.order_notes = [
            *order.order_notes,
            *({"date_added": stamp, "username": source, "content": n} for n in order_notes),
        ]
        fields.append("order_notes")
    items_changed = False
    items = OrderItem.objects.select_for_update().filter(order=order, id__in=list(item_data or {}))
    for item in items:
        changes = (item_data or {})[item.id]
        for name in ("variation_list", "metadata"):
            if name not in changes:
                continue
            new_map = changes[name].applied_to(getattr(item, name))
            if name == "variation_list":
                new_map = {str(k): str(v) for k, v in new_map.items()}
            if new_map != getattr(item, name):
                setattr(item, name, new_map)
                items_changed = True
        item.save(update_fields=["variation_list", "metadata"])
    if fields:
        order.date_updated = timezone.now()
        order.save(update_fields=[*fields, "date_updated"])
    _write_history(order, HistoryKind.RULE, note, actor=actor, source=source, details=details or {})
    if in_transaction is not None:
        in_transaction(order)
    if set(fields) - {"folder"}:
        _publish(events.OrderDataChanged, order, source)
    if items_changed:
        _publish(events.ItemsChanged, order, source)
    _publish_if_moved(order, source, before_folder)
    return order


# --- items ----------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def add_item(order: Order, draft: ItemDraft, *, actor: Actor, source: str = "API") -> OrderItem:
    position = order.items.count()
    item = _item_from_draft(order, draft, position)
    _clean(item)
    item.save()
    _recompute_and_save(order)
    _write_history(
        order, HistoryKind.ITEM_ADDED, f"Added item {item.name}", actor=actor, source=source
    )
    _publish(events.ItemsChanged, order, source)
    return item


@transaction.atomic(durable=True)
def update_item(
    item: OrderItem, draft: ItemDraft, *, actor: Actor, source: str = "API"
) -> OrderItem:
    _apply_item(item, draft)
    _clean(item)
    item.save()
    _recompute_and_save(item.order)
    _write_history(
        item.order,
        HistoryKind.ITEM_UPDATED,
        f"Updated item {item.name}",
        actor=actor,
        source=source,
    )
    _publish(events.ItemsChanged, item.order, source)
    return item


@transaction.atomic(durable=True)
def set_item_data(
    item: OrderItem,
    *,
    actor: Actor,
    source: str = "Auto",
    variation_list: dict[str, str] | None = None,
    metadata: dict | None = None,
) -> OrderItem:
    """Replace an item's variations and/or metadata (rules, integrations)."""
    if variation_list is not None:
        item.variation_list = {str(k): str(v) for k, v in variation_list.items()}
    if metadata is not None:
        item.metadata = dict(metadata)
    item.save(update_fields=["variation_list", "metadata"])
    _write_history(
        item.order,
        HistoryKind.ITEM_UPDATED,
        f"Changed data of item {item.name}",
        actor=actor,
        source=source,
    )
    _publish(events.ItemsChanged, item.order, source)
    return item


@transaction.atomic(durable=True)
def delete_item(item: OrderItem, *, actor: Actor, source: str = "API") -> None:
    order = item.order
    name = item.name
    item.delete()
    _recompute_and_save(order)
    _write_history(
        order, HistoryKind.ITEM_DELETED, f"Deleted item {name}", actor=actor, source=source
    )
    _publish(events.ItemsChanged, order, source)


# --- shipments ------------------------------------------------------------------------------


def _new_shipment(order: Order, draft: ShipmentDraft) -> Shipment:
    item_ids = set(order.items.values_list("id", flat=True)) if draft.order_items else set()
    unknown = [i for i in draft.order_items if i not in item_ids]
    if unknown:
        raise InvalidOrder(f"order_items: item {unknown[0]} is not in order {order.id}")
    if draft.tracking_number.lower() != "n/a":
        duplicate = order.shipments.filter(tracking_number=draft.tracking_number).exists()
        if duplicate:
            raise ShipmentNotAdded()
    now = timezone.now()
    shipment = Shipment(
        order=order,
        date_added=now,
        date_shipped=draft.date_shipped or timezone.localdate(now, order.store.tz),
    )
    for name in SHIPMENT_FIELDS:
        setattr(shipment, name, getattr(draft, name))
    return shipment


def _add_shipment(order: Order, draft: ShipmentDraft, *, actor: Actor, source: str) -> Shipment:
    shipment = _new_shipment(order, draft)
    _clean(shipment)
    try:
        with transaction.atomic():
            shipment.save()
    except IntegrityError as exc:
        raise ShipmentNotAdded() from exc
    order.date_updated = shipment.date_added
    order.save(update_fields=["date_updated"])
    carrier = f" ({shipment.carrier_code})" if shipment.carrier_code else ""
    _write_history(
        order,
        HistoryKind.SHIPMENT_ADDED,
        f"Shipment added: {shipment.tracking_number}{carrier}",
        actor=actor,
        source=source,
        details={"shipment_id": shipment.id},
    )
    _publish(events.ShipmentAdded, order, source, shipment_id=shipment.id)
    return shipment


@transaction.atomic(durable=True)
def add_shipment(
    order: Order, draft: ShipmentDraft, *, actor: Actor, source: str = "API"
) -> Shipment:
    """Add a shipment; the same tracking number twice on one order is "Shipment Not Added"."""
    return _add_shipment(order, draft, actor=actor, source=source)


@transaction.atomic(durable=True)
def add_shipments(
    entries: Sequence[tuple[Order, ShipmentDraft]], *, actor: Actor, source: str = "API"
) -> list[Shipment]:
    """Add shipments across orders (batch shipments): all are added or none is."""
    seen: set[tuple[int, str]] = set()
    for index, (order, draft) in enumerate(entries):
        key = (order.id, draft.tracking_number.lower())
        if draft.tracking_number.lower() != "n/a" and key in seen:
            raise ShipmentNotAdded(
                f"shipments[{index}]: tracking number {draft.tracking_number} appears twice "
                f"for order {order.id}"
            )
        seen.add(key)
    shipments = []
    for index, (order, draft) in enumerate(entries):
        try:
            shipments.append(_add_shipment(order, draft, actor=actor, source=source))
        except (ShipmentNotAdded, InvalidOrder) as exc:
            raise type(exc)(f"shipments[{index}] (order {order.id}): {exc}") from exc
    return shipments


@transaction.atomic(durable=True)
def update_shipment(
    shipment: Shipment, draft: ShipmentDraft, *, actor: Actor, source: str = "API"
) -> Shipment:
    order = shipment.order
    if draft.tracking_number != shipment.tracking_number and draft.tracking_number.lower() != "n/a":
        clash = order.shipments.filter(tracking_number=draft.tracking_number).exclude(
            id=shipment.id
        )
        if clash.exists():
            raise ShipmentNotAdded(
                "Shipment Not Updated: that tracking number is already on the order"
            )
    item_ids = set(order.items.values_list("id", flat=True))
    unknown = [i for i in draft.order_items if i not in item_ids]
    if unknown:
        raise InvalidOrder(f"order_items: item {unknown[0]} is not in order {order.id}")
    for name in SHIPMENT_FIELDS:
        setattr(shipment, name, getattr(draft, name))
    if draft.date_shipped:
        shipment.date_shipped = draft.date_shipped
    _clean(shipment)
    shipment.save()
    _write_history(
        order,
        HistoryKind.SHIPMENT_UPDATED,
        f"Shipment updated: {shipment.tracking_number}",
        actor=actor,
        source=source,
        details={"shipment_id": shipment.id},
    )
    _publish(events.ShipmentUpdated, order, source, shipment_id=shipment.id)
    return shipment


@transaction.atomic(durable=True)
def delete_shipment(shipment: Shipment, *, actor: Actor, source: str = "API") -> None:
    order = shipment.order
    shipment_id, tracking = shipment.id, shipment.tracking_number
    shipment.delete()
    _write_history(
        order,
        HistoryKind.SHIPMENT_DELETED,
        f"Shipment deleted: {tracking}",
        actor=actor,
        source=source,
        details={"shipment_id": shipment_id},
    )
    _publish(events.ShipmentDeleted, order, source, shipment_id=shipment_id)
