"""Reads of orders for pages and the API. Nothing here writes.

Every list query fetches items, shipments and folders in a fixed number of queries,
whatever the page size (no N+1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet

from orderhub.orders.errors import ItemNotFound, OrderNotFound, ShipmentNotFound
from orderhub.orders.models import Order, OrderHistory, OrderItem, Shipment
from orderhub.stores.models import Folder, Store

# Order Desk sorts by "any order field": every column a client can see, except the maps.
SORTABLE_FIELDS = frozenset(
    {
        f.attname
        for f in Order._meta.concrete_fields
        if f.get_internal_type() != "JSONField" and f.attname not in ("store_id", "external_id")
    }
    - {"external_source"}
)
# Ids are 64-bit signed integers in every database we run on; a larger number is no id.
MAX_ID = 2**63 - 1
ADDRESS_SEARCH_PARTS = ("first_name", "last_name", "company", "address1", "phone")


@dataclass
class OrderSearch:
    """The filters of GET /orders (Order Desk's names) plus the pages' free-text search."""

    folder_ids: list[int] = field(default_factory=list)
    folder_name: str | None = None
    source_id: str | None = None
    source_name: str | None = None
    added_from: datetime | None = None
    added_to: datetime | None = None
    modified_from: datetime | None = None
    modified_to: datetime | None = None
    email: str | None = None
    customer_id: str | None = None
    address: dict[str, str] = field(default_factory=dict)  # e.g. {"shipping_last_name": "Dean"}
    text: str | None = None
    order_by: str = "date_added"
    descending: bool = True


def with_details(orders: QuerySet[Order], *, folder: bool = True) -> QuerySet[Order]:
    """Orders with their items and shipments (and folder, unless the caller needs only its id)."""
    if folder:
        orders = orders.select_related("folder")
    return orders.prefetch_related(
        Prefetch("items", queryset=OrderItem.objects.order_by("position", "id")),
        Prefetch("shipments", queryset=Shipment.objects.order_by("date_added", "id")),
    )


def parse_id(value: int | str | None) -> int | None:
    """An id as a client may send it ("12", 12); None when it cannot be one."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


def get_order(store: Store, order_id: int | str, *, details: bool = True) -> Order:
    """The store's order with this id; another store's order is as missing as no order."""
    number = parse_id(order_id)
    if number is None:
        raise OrderNotFound(f"Order {order_id} not found")
    orders = Order.objects.filter(store=store, id=number)
    order = (with_details(orders) if details else orders.select_related("folder")).first()
    if order is None:
        raise OrderNotFound(f"Order {order_id} not found")
    return order


def orders_by_ids(store: Store, order_ids: list[int]) -> dict[int, Order]:
    order_ids = [i for i in order_ids if parse_id(i) is not None]
    return {o.id: o for o in Order.objects.filter(store=store, id__in=order_ids)}


def get_item(order: Order, item_id: int | str) -> OrderItem:
    """One item of the order; an item of another order is as missing as no item."""
    item = _child_of(order, OrderItem, item_id)
    if item is None:
        raise ItemNotFound(f"Order item {item_id} not found in order {order.id}")
    return item


def get_shipment(order: Order, shipment_id: int | str) -> Shipment:
    """One shipment of the order; a shipment of another order is as missing as none."""
    shipment = _child_of(order, Shipment, shipment_id)
    if shipment is None:
        raise ShipmentNotFound(f"Shipment {shipment_id} not found in order {order.id}")
    return shipment


def _child_of(order: Order, model: type[OrderItem] | type[Shipment], child_id: int | str):
    number = parse_id(child_id)
    child = model.objects.filter(order=order, id=number).first() if number else None
    if child is not None:
        child.order = order  # the services read it; spare them a query
    return child


@dataclass
class OrderPage:
    """One page of a search, with what rendering it needs, in a fixed number of queries."""

    total: int
    orders: list[Order]
    email_counts: dict[str, int]
    histories: dict[int, list[OrderHistory]] | None


def order_page(
    store: Store, search: OrderSearch, *, offset: int, limit: int, history: bool = False
) -> OrderPage:
    found = search_orders(store, search)
    total = found.count()
    page = with_details(found, folder=False)[offset : offset + limit]
    orders = list(page) if total > offset else []
    return OrderPage(
        total=total,
        orders=orders,
        email_counts=email_counts(store, {o.email for o in orders}),
        histories=histories_for(orders) if history else None,
    )


def search_orders(store: Store, search: OrderSearch) -> QuerySet[Order]:
    orders = Order.objects.filter(store=store)
    if search.folder_ids:
        orders = orders.filter(folder_id__in=search.folder_ids)
    if search.folder_name is not None:
        orders = orders.filter(folder__name=search.folder_name)
    if search.source_id is not None:
        orders = orders.filter(source_id=search.source_id)
    if search.source_name is not None:
        orders = orders.filter(source_name=search.source_name)
    if search.added_from:
        orders = orders.filter(date_added__gte=search.added_from)
    if search.added_to:
        orders = orders.filter(date_added__lte=search.added_to)
    if search.modified_from:
        orders = orders.filter(date_updated__gte=search.modified_from)
    if search.modified_to:
        orders = orders.filter(date_updated__lte=search.modified_to)
    if search.email is not None:
        orders = orders.filter(email__iexact=search.email)
    if search.customer_id is not None:
        orders = orders.filter(customer_id=search.customer_id)
    for column, value in search.address.items():
        orders = orders.filter(**{f"{column}__icontains": value})
    if search.text:
        orders = orders.filter(_text_match(search.text.strip()))
    direction = "-" if search.descending else ""
    order_by = search.order_by if search.order_by in SORTABLE_FIELDS else "date_added"
    return orders.order_by(f"{direction}{order_by}", f"{direction}id")


def _text_match(text: str) -> Q:
    match = (
        Q(source_id__icontains=text)
        | Q(email__icontains=text)
        | Q(shipping_first_name__icontains=text)
        | Q(shipping_last_name__icontains=text)
        | Q(shipping_company__icontains=text)
        | Q(customer_first_name__icontains=text)
        | Q(customer_last_name__icontains=text)
        | Q(customer_company__icontains=text)
    )
    if text.isdigit():
        match |= Q(id=int(text))
    if " " in text:
        first, _, last = text.partition(" ")
        match |= Q(shipping_first_name__iexact=first, shipping_last_name__icontains=last)
        match |= Q(customer_first_name__iexact=first, customer_last_name__icontains=last)
    return match


def email_counts(store: Store, emails: set[str]) -> dict[str, int]:
    """How many orders each email has in the store (Order Desk's read-only email_count)."""
    emails = {e for e in emails if e}
    if not emails:
        return {}
    rows = (
        Order.objects.filter(store=store, email__in=emails)
        .values("email")
        .annotate(n=Count("id"))
        .values_list("email", "n")
    )
    return dict(rows)


def history_for(order: Order) -> QuerySet[OrderHistory]:
    return (
        OrderHistory.objects.filter(order=order)
        .select_related("actor")
        .order_by("date_added", "id")
    )


def histories_for(orders: list[Order]) -> dict[int, list[OrderHistory]]:
    grouped: dict[int, list[OrderHistory]] = {o.id: [] for o in orders}
    for entry in OrderHistory.objects.filter(order__in=orders).order_by("date_added", "id"):
        grouped[entry.order_id].append(entry)
    return grouped


def folder_by_name(store: Store, name: str) -> Folder | None:
    return Folder.objects.filter(store=store, name=name).first()


def folder_by_id(store: Store, folder_id: int | str) -> Folder | None:
    try:
        return Folder.objects.filter(store=store, id=int(folder_id)).first()
    except (TypeError, ValueError):
        return None
