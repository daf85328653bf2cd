"""Reads of orders for pages and the API. Nothing here writes.

Every list query fetches items, shipments and folders in a fixed number of queries,
whatever the page size (no N+1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet

from orderhub.orders.errors import OrderNotFound
from orderhub.orders.models import Order, OrderHistory, OrderItem, Shipment
from orderhub.stores.models import Folder, Store

SORTABLE_FIELDS = frozenset(
    {
        "id",
        "date_added",
        "date_updated",
        "email",
        "source_id",
        "source_name",
        "order_total",
        "product_total",
        "quantity_total",
        "shipping_last_name",
        "customer_last_name",
        "shipping_company",
        "folder_id",
        "tag_name",
    }
)
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


def with_details(orders: QuerySet[Order]) -> QuerySet[Order]:
    return orders.select_related("folder").prefetch_related(
        Prefetch("items", queryset=OrderItem.objects.order_by("position", "id")),
        Prefetch("shipments", queryset=Shipment.objects.order_by("date_added", "id")),
    )


def get_order(store: Store, order_id: int | str, *, details: bool = True) -> Order:
    """The store's order with this id; another store's order is as missing as no order."""
    try:
        order_id = int(order_id)
    except (TypeError, ValueError):
        raise OrderNotFound(f"Order {order_id} not found") from None
    orders = Order.objects.filter(store=store, id=order_id)
    order = (with_details(orders) if details else orders.select_related("folder")).first()
    if order is None:
        raise OrderNotFound(f"Order {order_id} not found")
    return order


def orders_by_ids(store: Store, order_ids: list[int]) -> dict[int, Order]:
    return {o.id: o for o in Order.objects.filter(store=store, id__in=order_ids)}


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
