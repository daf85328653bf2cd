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


def describe_rules(store: Store, rules: list[Rule]) -> dict[int, dict[str, list[str]]]:
    """For the rule list: each rule's filters and actions as sentences, by rule id."""
    from orderhub.rules.actions import get_action
    from orderhub.rules.fields import FIELDS
    from orderhub.rules.filters import FOLDER, OPERATORS, split_choices

    folders = {str(f.id): f.name for f in store.folders.all()}
    described: dict[int, dict[str, list[str]]] = {}
    for rule in rules:
        filters = []
        for row in rule.filters:
            field = FIELDS.get(row.get("field", ""))
            operator = OPERATORS.get(row.get("operator", ""))
            if field is None or operator is None:
                filters.append(str(row))
                continue
            name = f"{field.label} [{row['key']}]" if row.get("key") else field.label
            value = row.get("value", "")
            if field.kind == FOLDER:
                value = ", ".join(folders.get(v, v) for v in split_choices(value))
            text = f"{name} {operator.label}"
            text += f" “{value}”" if operator.takes_value else ""
            filters.append(text + (" (any case)" if row.get("ignore_case") else ""))
        actions = []
        for row in rule.actions:
            action = get_action(store, row.get("action", ""))
            params = row.get("params") or {}
            if action is None:
                actions.append(f"{row.get('action')} (not available)")
            elif any(p.kind == "folder" for p in action.params):
                names = [
                    folders.get(str(params.get(p.name)), "?")
                    for p in action.params
                    if p.kind == "folder"
                ]
                actions.append(f"{action.label}: {', '.join(names)}")
            else:
                actions.append(action.describe(params))
        described[rule.id] = {"filters": filters, "actions": actions}
    return described
