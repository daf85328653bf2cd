"""Reads for the Rule Builder pages: rules in list order, the action queue, custom buttons."""

from __future__ import annotations

from django.db.models import QuerySet

from orderhub.orders.models import Order
from orderhub.rules.event_types import CUSTOM_BUTTON
from orderhub.rules.models import QueuedAction, Rule
from orderhub.stores.models import Store


def rules_of(store: Store) -> QuerySet[Rule]:
    return Rule.objects.filter(store=store).order_by("position", "id")


def rule_of(store: Store, rule_id: int) -> Rule | None:
    return Rule.objects.filter(store=store, id=rule_id).select_related("store").first()


def queued_actions(store: Store, *, status: str = "") -> QuerySet[QueuedAction]:
    found = QueuedAction.objects.filter(store=store).select_related("order", "job")
    return found.filter(status=status) if status else found


def queued_action_of(store: Store, queued_id: int) -> QueuedAction | None:
    return (
        QueuedAction.objects.filter(store=store, id=queued_id)
        .select_related("store", "job")
        .first()
    )


def button_names(store: Store) -> list[str]:
    """The names of the store's enabled custom buttons, in rule order, each once."""
    names: list[str] = []
    for options in (
        rules_of(store)
        .filter(event=CUSTOM_BUTTON, enabled=True)
        .values_list("event_options", flat=True)
    ):
        name = (options or {}).get("name")
        if name and name not in names:
            names.append(name)
    return names


def recent_orders(store: Store, limit: int = 50) -> QuerySet[Order]:
    return Order.objects.filter(store=store).order_by("-date_added", "-id")[:limit]
