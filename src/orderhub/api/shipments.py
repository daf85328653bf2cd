"""Shipments: per order (list, read, add, replace, delete) and across orders in a batch."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja import Router
from pydantic import Field

from orderhub.api import envelope
from orderhub.api.errors import BadRequest
from orderhub.orders import queries, services
from orderhub.orders.drafts import ShipmentDraft
from orderhub.orders.errors import OrderNotFound
from orderhub.orders.orderdesk_json import parse_shipment, render_shipment

router = Router(tags=["Shipments"])
SOURCE = "API"
MAX_BATCH = 500


@router.get("/orders/{order_id}/shipments", summary="List an order's shipments")
def list_shipments(request: HttpRequest, order_id: str):
    store = request.auth
    order = queries.get_order(store, order_id)
    shipments = [render_shipment(s, store_id=store.id) for s in order.shipments.all()]
    return envelope.success(request, total_records=len(shipments), shipments=shipments)


@router.get("/orders/{order_id}/shipments/{shipment_id}", summary="Get one shipment")
def get_shipment(request: HttpRequest, order_id: str, shipment_id: str):
    store = request.auth
    order = queries.get_order(store, order_id, details=False)
    shipment = queries.get_shipment(order, shipment_id)
    return envelope.success(request, shipment=render_shipment(shipment, store_id=store.id))


@router.post("/orders/{order_id}/shipments", summary="Add a shipment")
def add_shipment(request: HttpRequest, order_id: str, payload: ShipmentDraft):
    store = request.auth
    order = queries.get_order(store, order_id, details=False)
    shipment = services.add_shipment(order, payload, actor=None, source=SOURCE)
    return envelope.success(
        request, "Shipment Added", shipment=render_shipment(shipment, store_id=store.id)
    )


@router.put("/orders/{order_id}/shipments/{shipment_id}", summary="Replace a shipment")
def update_shipment(request: HttpRequest, order_id: str, shipment_id: str, payload: ShipmentDraft):
    store = request.auth
    order = queries.get_order(store, order_id, details=False)
    shipment = queries.get_shipment(order, shipment_id)
    shipment = services.update_shipment(shipment, payload, actor=None, source=SOURCE)
    return envelope.success(
        request, "Shipment Updated", shipment=render_shipment(shipment, store_id=store.id)
    )


@router.delete("/orders/{order_id}/shipments/{shipment_id}", summary="Delete a shipment")
def delete_shipment(request: HttpRequest, order_id: str, shipment_id: str):
    order = queries.get_order(request.auth, order_id, details=False)
    shipment = queries.get_shipment(order, shipment_id)
    number = shipment.id
    services.delete_shipment(shipment, actor=None, source=SOURCE)
    return envelope.success(request, f"Shipment {number} Deleted")


class BatchShipment(ShipmentDraft):
    """One entry of POST /batch-shipments: a shipment plus the order it belongs to."""

    order_id: int | str = Field(description="The order's id")


BATCH_BODY = {
    "description": (
        'Either {"shipments": [...]} or a bare list; each entry is a shipment with its order_id. '
        "All shipments are added, or none is."
    ),
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {
                    "shipments": {
                        "type": "array",
                        "items": {"type": "object", "required": ["order_id", "tracking_number"]},
                    }
                },
            },
            "example": {
                "shipments": [
                    {"order_id": 1, "tracking_number": "1Z2398479234", "carrier_code": "UPS"}
                ]
            },
        }
    },
}


@router.post(
    "/batch-shipments",
    summary="Add shipments to many orders at once",
    openapi_extra={"requestBody": BATCH_BODY},
)
def batch_shipments(request: HttpRequest):
    store = request.auth
    entries = _batch_entries(request.body)
    orders = queries.orders_by_ids(store, [queries.parse_id(e.order_id) or 0 for e in entries])
    pairs = []
    for index, entry in enumerate(entries):
        order = orders.get(queries.parse_id(entry.order_id) or 0)
        if order is None:
            raise OrderNotFound(f"shipments[{index}].order_id: Order {entry.order_id} not found")
        pairs.append((order, ShipmentDraft.model_validate(entry.model_dump())))
    shipments = services.add_shipments(pairs, actor=None, source=SOURCE)
    results = [
        {
            "order_id": shipment.order_id,
            "message": "Shipment Added",
            "shipment": render_shipment(shipment, store_id=store.id),
        }
        for shipment in shipments
    ]
    count = len(results)
    return envelope.success(
        request, f"{count} Shipment{'' if count == 1 else 's'} Added", results=results
    )


def _batch_entries(body: bytes) -> list[BatchShipment]:
    try:
        data: Any = json.loads(body or b"null")
    except ValueError:
        raise BadRequest("body: not valid JSON") from None
    if isinstance(data, dict):
        data = data.get("shipments")
    if not isinstance(data, list) or not data:
        raise BadRequest("shipments: give a non-empty list of shipments, each with an order_id")
    if len(data) > MAX_BATCH:
        raise BadRequest(f"shipments: at most {MAX_BATCH} shipments per request")
    return [
        parse_shipment(entry, prefix=f"shipments[{index}].", model=BatchShipment)
        for index, entry in enumerate(data)
    ]
