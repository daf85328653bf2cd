"""Order items: list, read, add, replace and delete one item of an order."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from orderhub.api import envelope
from orderhub.orders import queries, services
from orderhub.orders.drafts import ItemDraft
from orderhub.orders.orderdesk_json import render_item

router = Router(tags=["Order items"])
SOURCE = "API"


@router.get("/orders/{order_id}/order-items", summary="List an order's items")
def list_items(request: HttpRequest, order_id: str):
    order = queries.get_order(request.auth, order_id)
    items = [render_item(item) for item in order.items.all()]
    return envelope.success(request, total_records=len(items), order_items=items)


@router.get("/orders/{order_id}/order-items/{item_id}", summary="Get one item")
def get_item(request: HttpRequest, order_id: str, item_id: str):
    order = queries.get_order(request.auth, order_id, details=False)
    return envelope.success(request, order_item=render_item(queries.get_item(order, item_id)))


@router.post("/orders/{order_id}/order-items", summary="Add an item")
def add_item(request: HttpRequest, order_id: str, payload: ItemDraft):
    order = queries.get_order(request.auth, order_id, details=False)
    item = services.add_item(order, payload, actor=None, source=SOURCE)
    return envelope.success(request, "Order Item Added", order_item=render_item(item))


@router.put("/orders/{order_id}/order-items/{item_id}", summary="Replace an item")
def update_item(request: HttpRequest, order_id: str, item_id: str, payload: ItemDraft):
    order = queries.get_order(request.auth, order_id, details=False)
    item = queries.get_item(order, item_id)
    item = services.update_item(item, payload, actor=None, source=SOURCE)
    return envelope.success(request, "Order Item Updated", order_item=render_item(item))


@router.delete("/orders/{order_id}/order-items/{item_id}", summary="Delete an item")
def delete_item(request: HttpRequest, order_id: str, item_id: str):
    order = queries.get_order(request.auth, order_id, details=False)
    item = queries.get_item(order, item_id)
    number = item.id
    services.delete_item(item, actor=None, source=SOURCE)
    return envelope.success(request, f"Order Item {number} Deleted")
