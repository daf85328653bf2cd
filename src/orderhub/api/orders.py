"""Orders: list and search, create, read, replace, delete, history notes, move."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router

from orderhub.api import envelope
from orderhub.api.errors import BadRequest
from orderhub.api.order_search import OrderListParams, is_yes
from orderhub.api.schemas import ApiSchema
from orderhub.orders import queries, services
from orderhub.orders.drafts import OrderDraft
from orderhub.orders.errors import FolderNotFound, OrderNotFound
from orderhub.orders.models import Order
from orderhub.orders.orderdesk_json import check_new_order, render_order

router = Router(tags=["Orders"])
SOURCE = "API"


def rendered(store, order_id: int, *, history: bool = False) -> dict[str, Any]:
    """The order as Order Desk JSON, read fresh with its items, shipments and email count."""
    order = queries.get_order(store, order_id)
    counts = queries.email_counts(store, {order.email})
    entries = list(queries.history_for(order)) if history else None
    return render_order(order, email_count=counts.get(order.email), history=entries)


@router.get("/orders", summary="Search orders")
def list_orders(request: HttpRequest, params: Query[OrderListParams]):
    store = request.auth
    page = queries.order_page(
        store,
        params.to_search(store),
        offset=params.offset,
        limit=params.limit,
        history=params.wants_history(),
    )
    records = [
        render_order(
            order,
            email_count=page.email_counts.get(order.email),
            history=page.histories[order.id] if page.histories is not None else None,
        )
        for order in page.orders
    ]
    return envelope.listing(
        request, "orders", records, total=page.total, offset=params.offset, limit=params.limit
    )


@router.post("/orders", summary="Create an order")
def create_order(request: HttpRequest, payload: OrderDraft):
    check_new_order(payload)
    order = services.create_order(request.auth, payload, actor=None, source=SOURCE)
    return envelope.success(request, "Order Created", order=rendered(request.auth, order.id))


@router.get("/orders/{order_id}", summary="Get one order")
def get_order(request: HttpRequest, order_id: str, get_order_history: str | None = None):
    history = is_yes(get_order_history)
    return envelope.success(request, order=rendered(request.auth, order_id, history=history))


@router.put("/orders/{order_id}", summary="Replace an order (parts left out become blank)")
def update_order(request: HttpRequest, order_id: str, payload: OrderDraft):
    order = queries.get_order(request.auth, order_id, details=False)
    services.update_order(order, payload, actor=None, source=SOURCE)
    return envelope.success(request, "Order Updated", order=rendered(request.auth, order.id))


@router.delete("/orders/{order_id}", summary="Delete an order")
def delete_order(request: HttpRequest, order_id: str):
    order = queries.get_order(request.auth, order_id, details=False)
    number = order.id
    services.delete_order(order, actor=None, source=SOURCE)
    return envelope.success(request, f"Order {number} Deleted")


class HistoryNote(ApiSchema):
    note: str = Field(..., min_length=1, max_length=2000)
    source_name: str | None = Field(None, max_length=100, description="Defaults to API")


@router.post("/orders/{order_id}/order-history", summary="Add a history note")
def add_history_note(request: HttpRequest, order_id: str, payload: HistoryNote):
    order = queries.get_order(request.auth, order_id, details=False)
    source = (payload.source_name or "").strip() or SOURCE
    services.add_history_note(order, payload.note, actor=None, source=source)
    data = rendered(request.auth, order.id, history=True)
    return envelope.success(
        request, "Order History Added", total_records=len(data["order_history"]), order=data
    )


MoveId = int | str


class MoveOrders(ApiSchema):
    order_id_list: list[MoveId] = Field(..., min_length=1, max_length=500)
    destination_folder_id: MoveId | None = None
    destination_folder_name: str | None = None


@router.post("/move-orders", summary="Move orders to a folder (by id or exact name)")
def move_orders(request: HttpRequest, payload: MoveOrders):
    store = request.auth
    folder = _destination(store, payload)
    orders = _orders_in_list(store, payload.order_id_list)
    moves = services.move_orders(orders, folder, actor=None, source=SOURCE)
    results = [
        {
            "order_id": move.order_id,
            "message": (
                f"Order Moved to {folder.name} Folder"
                if move.original_folder_id != folder.id
                else f"Order Already in {folder.name} Folder"
            ),
            "original_folder_id": move.original_folder_id,
        }
        for move in moves
    ]
    moved = sum(1 for move in moves if move.original_folder_id != folder.id)
    message = f"{moved} Order{'' if moved == 1 else 's'} Moved"
    return envelope.success(request, message, results=results)


def _destination(store, payload: MoveOrders):
    by_id = payload.destination_folder_id not in (None, "")
    by_name = bool(payload.destination_folder_name)
    if by_id and by_name:
        raise BadRequest(
            "destination_folder_id, destination_folder_name: give one of them, not both"
        )
    if not (by_id or by_name):
        raise BadRequest(
            "destination_folder_id: give destination_folder_id or destination_folder_name"
        )
    if by_id:
        wanted = payload.destination_folder_id
        folder = queries.folder_by_id(store, wanted)
        problem = f"destination_folder_id: folder {wanted} not found"
    else:
        wanted = payload.destination_folder_name
        folder = queries.folder_by_name(store, wanted)
        problem = f"destination_folder_name: no folder named {wanted!r}"
    if folder is None:
        raise FolderNotFound(problem)
    return folder


def _orders_in_list(store, order_ids: list[MoveId]) -> list[Order]:
    wanted = [queries.parse_id(value) for value in order_ids]
    found = queries.orders_by_ids(store, [i for i in wanted if i is not None])
    for index, (value, order_id) in enumerate(zip(order_ids, wanted, strict=True)):
        if order_id not in found:
            raise OrderNotFound(f"order_id_list[{index}]: Order {value} not found")
    # An id listed twice is moved once.
    return list({order_id: found[order_id] for order_id in wanted}.values())
