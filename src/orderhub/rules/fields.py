"""What filters and templates can read: a flat view of an order (and of one of its items).

The view is a dict of dotted keys -> typed values ("shipping.country" -> "FR",
"order_total" -> Decimal, "date_added" -> datetime, "checkout_data.Gift Message" -> str,
"item.variation.Size" -> str). FIELDS describes each filterable field for the page (label,
type, whether it needs a key such as the checkout data name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from orderhub.rules.filters import DATE, FOLDER, NUMBER, TEXT

ORDER, ITEM = "order", "item"
ADDRESS_LABELS = {
    "first_name": "First Name",
    "last_name": "Last Name",
    "company": "Company",
    "address1": "Address 1",
    "address2": "Address 2",
    "city": "City",
    "state": "State",
    "postal_code": "Postal Code",
    "country": "Country",
    "phone": "Phone",
}


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str = TEXT
    scope: str = ORDER  # "item" fields exist only in item rules
    keyed: bool = False  # a map: the filter names the key (checkout_data[Gift Message])
    group: str = "Order"


def _fields() -> list[Field]:
    order = [
        Field("id", "Order ID", NUMBER),
        Field("source_id", "Source ID"),
        Field("source_name", "Source Name (sales channel)"),
        Field("email", "Email"),
        Field("customer_id", "Customer ID"),
        Field("shipping_method", "Shipping Method"),
        Field("payment_type", "Payment Type"),
        Field("payment_status", "Payment Status"),
        Field("folder", "Folder", FOLDER),
        Field("tag_color", "Tag Color"),
        Field("tag_name", "Tag Name"),
        Field("item_count", "Item Count", NUMBER),
        Field("quantity_total", "Total Quantity", NUMBER),
        Field("weight_total", "Total Weight", NUMBER),
        Field("product_total", "Product Total", NUMBER),
        Field("shipping_total", "Shipping Total", NUMBER),
        Field("handling_total", "Handling Total", NUMBER),
        Field("tax_total", "Tax Total", NUMBER),
        Field("discount_total", "Discount Total", NUMBER),
        Field("order_total", "Order Total", NUMBER),
        Field("date_added", "Date Added", DATE),
        Field("date_updated", "Date Updated", DATE),
        Field("fulfillment_name", "Fulfillment Name"),
        Field("checkout_data", "Checkout Data", keyed=True),
        Field("order_metadata", "Order Metadata", keyed=True),
        Field("event.from_folder", "Folder moved from (Folder is Changed)", FOLDER, group="Event"),
        Field("event.to_folder", "Folder moved to (Folder is Changed)", FOLDER, group="Event"),
    ]
    for prefix, group in (("shipping", "Shipping Address"), ("customer", "Customer Address")):
        for part, label in ADDRESS_LABELS.items():
            order.append(Field(f"{prefix}.{part}", f"{group}: {label}", group=group))
    item = [
        Field("item.name", "Item Name", scope=ITEM, group="Item"),
        Field("item.code", "Item Code (SKU)", scope=ITEM, group="Item"),
        Field("item.price", "Item Price", NUMBER, scope=ITEM, group="Item"),
        Field("item.quantity", "Item Quantity", NUMBER, scope=ITEM, group="Item"),
        Field("item.weight", "Item Weight", NUMBER, scope=ITEM, group="Item"),
        Field("item.delivery_type", "Item Delivery Type", scope=ITEM, group="Item"),
        Field("item.variation", "Item Variation", scope=ITEM, keyed=True, group="Item"),
        Field("item.metadata", "Item Metadata", scope=ITEM, keyed=True, group="Item"),
    ]
    return order + item


FIELDS: dict[str, Field] = {f.key: f for f in _fields()}


def field_kind(key: str) -> str:
    field = FIELDS.get(key)
    return field.kind if field else TEXT


def fields_for(rule_type: str) -> list[Field]:
    return [f for f in FIELDS.values() if rule_type == ITEM or f.scope == ORDER]


def order_view(order: Any, *, event: dict[str, Any] | None = None) -> dict[str, Any]:
    """The flat view of an order (its items must be loaded or loadable)."""
    items = list(order.items.all())
    view: dict[str, Any] = {
        "id": order.id,
        "source_id": order.source_id or str(order.id),
        "source_name": order.source_name,
        "email": order.email,
        "customer_id": order.customer_id,
        "shipping_method": order.shipping_method,
        "payment_type": order.payment_type,
        "payment_status": order.payment_status,
        "folder": order.folder_id,
        "folder_name": order.folder.name if order.folder_id else "",
        "tag_color": order.tag_color,
        "tag_name": order.tag_name,
        "item_count": len(items),
        "quantity_total": order.quantity_total,
        "weight_total": order.weight_total,
        "product_total": order.product_total,
        "shipping_total": order.shipping_total,
        "handling_total": order.handling_total,
        "tax_total": order.tax_total,
        "discount_total": order.discount_total,
        "order_total": order.order_total,
        "date_added": order.date_added,
        "date_updated": order.date_updated,
        "fulfillment_name": order.fulfillment_name,
    }
    for prefix in ("shipping", "customer"):
        for part in ADDRESS_LABELS:
            view[f"{prefix}.{part}"] = getattr(order, f"{prefix}_{part}", "")
    for key, value in (order.checkout_data or {}).items():
        view[f"checkout_data.{key}"] = value
    for key, value in (order.order_metadata or {}).items():
        view[f"order_metadata.{key}"] = value
    for key, value in (event or {}).items():
        view[f"event.{key}"] = value
    return view


def item_view(base: dict[str, Any], item: Any) -> dict[str, Any]:
    """The order's view plus one item's fields under "item."."""
    view = dict(base)
    view.update(
        {
            "item.id": item.id,
            "item.name": item.name,
            "item.code": item.code,
            "item.price": item.price,
            "item.quantity": item.quantity,
            "item.weight": item.weight,
            "item.delivery_type": item.delivery_type,
        }
    )
    for key, value in (item.variation_list or {}).items():
        view[f"item.variation.{key}"] = value
    for key, value in (item.metadata or {}).items():
        view[f"item.metadata.{key}"] = value
    return view


PLACEHOLDER = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")


def render_template(text: str, view: dict[str, Any]) -> str:
    """Fill {{shipping.last_name}}, {{checkout_data.Gift Message}}, {{item.code}} from a view;
    a key the view lacks renders empty."""
    from orderhub.rules.filters import as_text

    return PLACEHOLDER.sub(lambda m: as_text(view.get(m.group(1), "")), text)


def template_keys(text: str) -> list[str]:
    return [m.group(1) for m in PLACEHOLDER.finditer(text)]
