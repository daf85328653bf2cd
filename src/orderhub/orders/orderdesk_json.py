"""Order Desk JSON: tolerant in (into drafts), canonical out.

Out, every order has the same shape whatever was sent: ids as strings (as Order Desk
sends them), money and quantities as numbers, dates as "YYYY-MM-DD HH:MM:SS" in UTC, empty
maps as {} and empty lists as [].
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from orderhub.orders.drafts import ItemDraft, OrderDraft, ShipmentDraft
from orderhub.orders.errors import InvalidOrder
from orderhub.orders.models import (
    ADDRESS_PARTS,
    CUSTOMER_PARTS,
    RETURN_ADDRESS_PARTS,
    Order,
    OrderHistory,
    OrderItem,
    Shipment,
)

DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
# (part, column) pairs, computed once: rendering a page of 500 orders reads them 11,000 times.
SHIPPING_COLUMNS = tuple((part, f"shipping_{part}") for part in ADDRESS_PARTS)
CUSTOMER_COLUMNS = tuple((part, f"customer_{part}") for part in CUSTOMER_PARTS)


def format_datetime(value: datetime | None) -> str:
    # isoformat, not strftime: the same text, and strftime is the slowest step of rendering
    # a page of 500 orders.
    if not value:
        return ""
    return value.astimezone(UTC).replace(tzinfo=None, microsecond=0).isoformat(" ")


def number(value: Decimal | int | None) -> int | float:
    """A Decimal as a JSON number without float noise (10 -> 10, 21.17 -> 21.17)."""
    if value is None:
        return 0
    value = Decimal(value)
    if value == value.to_integral_value():
        return int(value)
    return float(value.normalize())


def render_item(item: OrderItem) -> dict[str, Any]:
    return {
        "id": str(item.id),
        "name": item.name,
        "price": number(item.price),
        "quantity": item.quantity,
        "weight": number(item.weight),
        "code": item.code,
        "delivery_type": item.delivery_type,
        "category_code": item.category_code,
        "fulfillment_method": item.fulfillment_method,
        "variation_list": dict(item.variation_list),
        "metadata": dict(item.metadata),
    }


def render_shipment(shipment: Shipment, *, store_id: int) -> dict[str, Any]:
    return {
        "id": str(shipment.id),
        "order_id": str(shipment.order_id),
        "store_id": str(store_id),
        "tracking_number": shipment.tracking_number,
        "carrier_code": shipment.carrier_code,
        "shipment_method": shipment.shipment_method,
        "weight": number(shipment.weight),
        "cost": number(shipment.cost),
        "status": shipment.status,
        "tracking_url": shipment.tracking_url,
        "label_format": shipment.label_format,
        "label_image": shipment.label_image,
        "order_items": [str(i) for i in shipment.order_items],
        "print_status": shipment.print_status,
        "cart_shipment_id": shipment.cart_shipment_id,
        "label_shipment_id": shipment.label_shipment_id,
        "date_shipped": shipment.date_shipped.isoformat() if shipment.date_shipped else "",
        "date_added": format_datetime(shipment.date_added),
    }


def render_history(entry: OrderHistory) -> dict[str, Any]:
    return {
        "source_name": entry.source_name,
        "note": entry.note,
        "date_added": format_datetime(entry.date_added),
    }


def render_order(
    order: Order,
    *,
    email_count: int | None = None,
    history: list[OrderHistory] | None = None,
) -> dict[str, Any]:
    """The canonical Order Desk JSON of an order (items and shipments must be prefetched)."""
    data: dict[str, Any] = {
        "id": str(order.id),
        "email": order.email,
        "shipping_method": order.shipping_method,
        "quantity_total": order.quantity_total,
        "weight_total": number(order.weight_total),
        "product_total": number(order.product_total),
        "shipping_total": number(order.shipping_total),
        "handling_total": number(order.handling_total),
        "tax_total": number(order.tax_total),
        "discount_total": number(order.discount_total),
        "order_total": number(order.order_total),
        "cc_number_masked": order.cc_number_masked,
        "cc_exp": order.cc_exp,
        "processor_response": order.processor_response,
        "payment_type": order.payment_type,
        "payment_status": order.payment_status,
        "processor_balance": number(order.processor_balance),
        "refund_total": number(order.refund_total),
        "customer_id": order.customer_id,
        "email_count": str(email_count if email_count is not None else 1),
        "ip_address": order.ip_address,
        "tag_color": order.tag_color,
        "source_name": order.source_name,
        "source_id": order.source_id or str(order.id),
        "fulfillment_name": order.fulfillment_name,
        "fulfillment_id": order.fulfillment_id,
        "tag_name": order.tag_name,
        "folder_id": order.folder_id,
        "date_added": format_datetime(order.date_added),
        "date_updated": format_datetime(order.date_updated),
        "shipping": {part: getattr(order, column) for part, column in SHIPPING_COLUMNS},
        "customer": {part: getattr(order, column) for part, column in CUSTOMER_COLUMNS},
        "return_address": {
            part: order.return_address.get(part, "") for part in RETURN_ADDRESS_PARTS
        },
        "checkout_data": dict(order.checkout_data),
        "order_metadata": dict(order.order_metadata),
        "discount_list": list(order.discount_list),
        "order_notes": list(order.order_notes),
        "order_items": [render_item(item) for item in order.items.all()],
        "order_shipments": [
            render_shipment(s, store_id=order.store_id) for s in order.shipments.all()
        ],
    }
    if history is not None:
        data["order_history"] = [render_history(entry) for entry in history]
    return data


def format_location(loc: Iterable[str | int]) -> str:
    """A pydantic error location as a client writes it: order_items[0].quantity."""
    text = ""
    for part in loc:
        if isinstance(part, int) or (isinstance(part, str) and part.isdigit()):
            text += f"[{part}]"
        elif part not in ("function-before", "function-after"):
            text += f".{part}" if text else str(part)
    return text


def describe_validation_error(error: ValidationError, *, prefix: str = "") -> str:
    """Turn pydantic's errors into one sentence that names each bad field."""
    parts = []
    for problem in error.errors()[:5]:
        location = format_location(problem["loc"])
        message = problem["msg"].removeprefix("Value error, ")
        parts.append(f"{prefix}{location}: {message}" if location else f"{prefix}{message}")
    return "; ".join(parts)


def _parse(model, data: Any, *, prefix: str = ""):
    if not isinstance(data, dict):
        raise InvalidOrder(f"{prefix or 'body'}: expected a JSON object")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidOrder(describe_validation_error(exc, prefix=prefix)) from None


def parse_order(data: Any) -> OrderDraft:
    return _parse(OrderDraft, data)


def parse_item(data: Any, *, prefix: str = "") -> ItemDraft:
    return _parse(ItemDraft, data, prefix=prefix)


def parse_shipment(
    data: Any, *, prefix: str = "", model: type[ShipmentDraft] = ShipmentDraft
) -> ShipmentDraft:
    return _parse(model, data, prefix=prefix)


def date_or_none(value: date | None) -> str:
    return value.isoformat() if value else ""


def check_new_order(draft: OrderDraft) -> None:
    """Order Desk's rule for creating an order: some items, and a name or company."""
    if not draft.order_items:
        raise InvalidOrder("order_items: an order needs at least one item")
    if not (draft.shipping.has_name() or draft.customer.has_name()):
        raise InvalidOrder(
            "shipping/customer: give a first_name, last_name or company in the shipping "
            "or customer address"
        )
