"""Where rules start: domain events after commit, a person re-running an event, a button.

`connect()` (called from RulesConfig.ready) subscribes to the order events; each handler maps
the domain event to a rule event and runs the store's rules for it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from orderhub.orders import events
from orderhub.orders.models import Order
from orderhub.rules import engine
from orderhub.rules.event_types import (
    CUSTOM_BUTTON,
    FOLDER_CHANGED,
    ORDER_ADDRESS_CHANGED,
    ORDER_CREATED_MANUALLY,
    ORDER_DETAILS_CHANGED,
    ORDER_IMPORTED,
    SHIPMENT_ADDED,
)
from orderhub.rules.models import Rule
from orderhub.stores.models import Store

logger = logging.getLogger(__name__)


def rule_event_for(event: events.OrderEvent) -> tuple[str, dict] | None:
    """The rule event (and the data filters can read as event.*) a domain event raises."""
    if isinstance(event, events.OrderImported):
        return ORDER_IMPORTED, {}
    if isinstance(event, events.OrderCreated):
        # An order posted through the API comes from outside, like an integration's import.
        return (ORDER_CREATED_MANUALLY, {}) if event.manual else (ORDER_IMPORTED, {})
    if isinstance(event, events.FolderChanged):
        return FOLDER_CHANGED, {
            "from_folder": event.from_folder_id,
            "to_folder": event.to_folder_id,
        }
    if isinstance(event, events.ShipmentAdded):
        return SHIPMENT_ADDED, {"shipment_id": event.shipment_id}
    if isinstance(event, events.OrderDetailsChanged):
        return ORDER_DETAILS_CHANGED, {}
    if isinstance(event, events.OrderAddressChanged):
        return ORDER_ADDRESS_CHANGED, {}
    return None


def on_order_events(batch: list[events.OrderEvent]) -> None:
    """Run the rules a commit's events raise, in the order the events happened."""
    # Most events meet no rule at all: an import of thousands of orders must not pay for
    # loading the store and its rules once per order. One EXISTS per store and rule event
    # of the batch answers that.
    has_rules: dict[tuple[int, str], bool] = {}
    stores: dict[int, Store | None] = {}
    for event in batch:
        found = rule_event_for(event)
        if found is None:
            continue
        rule_event, data = found
        key = (event.store_id, rule_event)
        if key not in has_rules:
            has_rules[key] = Rule.objects.filter(
                store_id=event.store_id, event=rule_event, enabled=True
            ).exists()
        if not has_rules[key]:
            continue
        if event.store_id not in stores:
            stores[event.store_id] = Store.objects.filter(id=event.store_id).first()
        store = stores[event.store_id]
        if store is not None:
            engine.run_event(store, rule_event, [event.order_id], event_data=data)


def connect() -> None:
    for event_type in (
        events.OrderImported,
        events.OrderCreated,
        events.FolderChanged,
        events.ShipmentAdded,
        events.OrderDetailsChanged,
        events.OrderAddressChanged,
    ):
        events.subscribe_many(
            event_type, on_order_events, dispatch_uid=f"rules:{event_type.__name__}"
        )


def run_by_hand(
    store: Store,
    event: str,
    *,
    order_ids: Iterable[int] = (),
    folder_id: int | None = None,
    custom_name: str | None = None,
) -> int:
    """Re-run an event's rules on chosen orders or on every order of a folder."""
    ids = [int(i) for i in order_ids]
    if folder_id is not None:
        ids += list(
            Order.objects.filter(store=store, folder_id=folder_id)
            .order_by("date_added", "id")
            .values_list("id", flat=True)
        )
    ids = list(dict.fromkeys(ids))
    ran = 0
    for order_id in ids:
        data = {}
        if event == FOLDER_CHANGED:
            folder = Order.objects.filter(store=store, id=order_id).values_list(
                "folder_id", flat=True
            )
            current = folder.first()
            data = {"from_folder": current, "to_folder": current}
        ran += engine.run_event(store, event, [order_id], event_data=data, custom_name=custom_name)
    return ran


def press_button(store: Store, name: str, order_ids: Iterable[int]) -> int:
    """A custom button was clicked on the selected orders."""
    return run_by_hand(store, CUSTOM_BUTTON, order_ids=order_ids, custom_name=name)
