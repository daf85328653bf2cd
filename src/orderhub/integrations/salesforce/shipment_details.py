"""The text written to Salesforce's Order Shipment Details field: one readable line per shipment.

Pure functions (no database): the field gets the full text built from every current
shipment covering the item, never an append, so sending it twice is harmless.
"""

from __future__ import annotations

from typing import Protocol


class ShipmentLike(Protocol):
    tracking_number: str
    carrier_code: str
    shipment_method: str
    tracking_url: str
    date_shipped: object
    order_items: list


def shipment_line(shipment: ShipmentLike) -> str:
    """One readable line: carrier, method, tracking number, tracking URL, ship date."""
    parts = [
        " ".join(p for p in (shipment.carrier_code, shipment.shipment_method) if p),
        shipment.tracking_number,
        shipment.tracking_url,
        f"shipped {shipment.date_shipped.isoformat()}" if shipment.date_shipped else "",
    ]
    return ", ".join(p.strip() for p in parts if p and p.strip())


def details_text(
    shipments: list[ShipmentLike], *, length: int | None, separator: str = "\n"
) -> tuple[str, list[str]]:
    """The field's text for these shipments (oldest first) and the tracking numbers cut.

    When everything does not fit in `length` characters, the newest shipments are kept.
    A single newest line longer than the field is shortened to fit.
    """
    lines = [(s.tracking_number, shipment_line(s)) for s in shipments]
    if length is None or len(separator.join(line for _, line in lines)) <= length:
        return separator.join(line for _, line in lines), []
    kept: list[str] = []
    used = 0
    index = len(lines) - 1
    while index >= 0:
        extra = len(lines[index][1]) + (len(separator) if kept else 0)
        if used + extra > length:
            break
        kept.insert(0, lines[index][1])
        used += extra
        index -= 1
    if not kept:  # the newest line alone is too long: keep its beginning
        return lines[-1][1][: max(length - 1, 0)] + "…", [t for t, _ in lines[:-1]]
    return separator.join(kept), [t for t, _ in lines[: index + 1]]


def covers(shipment: ShipmentLike, item_id: int) -> bool:
    return not shipment.order_items or item_id in shipment.order_items
