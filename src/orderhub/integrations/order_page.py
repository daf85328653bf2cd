"""What integrations add to the order page, without the page knowing any integration.

A provider registers a function (in its AppConfig.ready()) that looks at an order and
returns an OrderPanel: HTML to show beside each shipment and under the shipments (for
example whether a shipment reached the sales channel). The order page's template asks
for it through the `integration_panels` template tags.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from orderhub.orders.models import Order

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class OrderPanel:
    # Shipment id -> HTML shown beside that shipment.
    shipments: dict[int, SafeString] = field(default_factory=dict)
    # HTML shown under the order's shipments.
    notes: SafeString = field(default_factory=lambda: SafeString(""))


OrderPanelSource = Callable[[Order], OrderPanel | None]
_sources: dict[str, OrderPanelSource] = {}


def register_order_panel(key: str, source: OrderPanelSource) -> None:
    _sources[key] = source


def unregister_order_panel(key: str) -> None:
    _sources.pop(key, None)


def order_panels(order: Order) -> list[OrderPanel]:
    """Every provider's panel for this order; a provider that fails is logged and left out,
    so a broken integration never breaks the order page."""
    panels = []
    for key, source in list(_sources.items()):
        try:
            panel = source(order)
        except Exception:
            logger.exception("Order panel %s failed for order %s", key, order.pk)
            continue
        if panel is not None:
            panels.append(panel)
    return panels
