"""The rules engine: run a store's enabled rules for one event, top to bottom.

For each order, each rule of the event (in position order) is evaluated on the order's flat
view (for item rules, on each item's view); when it matches, its actions are collected on a
ChangeSet and saved by one service call, which writes one "Auto" history entry naming the
rule and what it changed and, in the same transaction, queues its remote actions. Actions
raise further events (a Change Folder raises Folder is Changed), which run further rules;
the chain is cut at MAX_DEPTH, and the cut is logged and written to the order's history.
"""

from __future__ import annotations

import contextvars
import logging
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from orderhub.orders import services
from orderhub.orders.models import HistoryKind, Order
from orderhub.orders.queries import with_details
from orderhub.rules import actions as registry
from orderhub.rules.event_types import CUSTOM_EVENTS, EVENTS, ITEM_RULE
from orderhub.rules.fields import field_kind, item_view, order_view
from orderhub.rules.filters import Context, Filter, FilterProblem, matches
from orderhub.rules.models import Rule
from orderhub.stores.models import Store

logger = logging.getLogger(__name__)
MAX_DEPTH = 5
_depth: contextvars.ContextVar[int] = contextvars.ContextVar("rule_depth", default=0)


@dataclass
class Evaluation:
    """What a rule would do to an order: whether it matched, and the collected changes."""

    rule: Rule
    matched: bool
    changes: registry.ChangeSet | None = None
    matched_items: list[Any] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def done(self) -> list[str]:
        return self.changes.done if self.changes else []


def rules_for(store: Store, event: str, *, custom_name: str | None = None) -> list[Rule]:
    rules = Rule.objects.filter(store=store, event=event, enabled=True).order_by("position", "id")
    if event in CUSTOM_EVENTS and custom_name is not None:
        return [r for r in rules if r.event_options.get("name") == custom_name]
    return list(rules)


def _context(store: Store) -> Context:
    return Context(tz=store.tz, now=timezone.now())


def _filters(rule: Rule) -> list[Filter]:
    return [Filter.from_row(row) for row in rule.filters]


def evaluate(rule: Rule, order: Order, *, event_data: dict | None = None) -> Evaluation:
    """Match the rule against the order and collect what its actions would change.

    Nothing is saved: "Test on an order" shows this, and `run_rule` saves it.
    """
    store = order.store
    ctx = _context(store)
    try:
        filters = _filters(rule)
    except FilterProblem as exc:
        return Evaluation(rule, False, problems=[str(exc)])
    base = order_view(order, event=event_data)
    if rule.rule_type == ITEM_RULE:
        items = [
            item
            for item in order.items.all()
            if matches(item_view(base, item), field_kind, filters, rule.filter_join, ctx)
        ]
        if not items:
            return Evaluation(rule, False)
    else:
        if not matches(base, field_kind, filters, rule.filter_join, ctx):
            return Evaluation(rule, False)
        items = []
    changes = registry.ChangeSet(order=order, now_local=ctx.now.astimezone(store.tz))
    evaluation = Evaluation(rule, True, changes=changes, matched_items=items)
    for row in rule.actions:
        action = registry.get_action(store, row.get("action", ""))
        if action is None:
            evaluation.problems.append(f"unknown action {row.get('action')!r} (skipped)")
            continue
        params = row.get("params") or {}
        if rule.rule_type == ITEM_RULE and action.per_item:
            targets = [registry.Target(order, item_view(base, item), item) for item in items]
        else:
            targets = [registry.Target(order, base)]
        for target in targets:
            try:
                changes.done.append(action.apply(changes, params, target))
            except Exception as exc:  # one bad action must not hide what the others did
                logger.exception(
                    "Rule %s action %s failed on order %s", rule.id, action.key, order.id
                )
                evaluation.problems.append(f"{action.label} failed: {exc}")
    return evaluation


@dataclass(frozen=True)
class Check:
    """One filter's result on an order (or item), for "Test on an order"."""

    subject: str
    label: str
    actual: Any
    passed: bool


def explain(rule: Rule, order: Order, *, event_data: dict | None = None) -> list[Check]:
    """Each filter's outcome on the order (item rules: on each item), without changing it."""
    from orderhub.rules.fields import FIELDS
    from orderhub.rules.filters import OPERATORS, compare

    ctx = _context(order.store)
    try:
        filters = _filters(rule)
    except FilterProblem:
        return []
    base = order_view(order, event=event_data)
    views = [("Order", base)]
    if rule.rule_type == ITEM_RULE:
        views = [(f"Item {item.name}", item_view(base, item)) for item in order.items.all()]
    checks = []
    for subject, view in views:
        for flt in filters:
            field = FIELDS.get(flt.field)
            name = field.label if field else flt.field
            name = f"{name} [{flt.key}]" if flt.key else name
            operator = OPERATORS[flt.operator]
            label = f"{name} {operator.label}" + (f" {flt.value!r}" if operator.takes_value else "")
            actual = view.get(flt.view_key)
            passed = compare(field_kind(flt.field), actual, flt, ctx)
            checks.append(Check(subject, label, actual, passed))
    return checks


def _history_note(rule: Rule, evaluation: Evaluation) -> str:
    done = [d for d in evaluation.done if d] + evaluation.problems
    return f'Rule "{rule.name}" ran: ' + ("; ".join(done) if done else "no changes")


def _save(rule: Rule, order: Order, evaluation: Evaluation, event: str) -> None:
    changes = evaluation.changes
    assert changes is not None

    def queue_remote(saved: Order) -> None:
        if changes.remote:
            from orderhub.rules.queue import queue_remote_actions

            queue_remote_actions(saved, rule, changes.remote, run_key=uuid.uuid4().hex)

    services.apply_rule_changes(
        order,
        _history_note(rule, evaluation),
        actor=None,
        source="Auto",
        details={
            "rule_id": rule.id,
            "rule": rule.name,
            "event": event,
            "changes": evaluation.done,
            "problems": evaluation.problems,
        },
        folder=changes.folder,
        order_fields=changes.order_fields or None,
        checkout_data=_map_change(order.checkout_data, changes.checkout_data),
        order_metadata=_map_change(order.order_metadata, changes.order_metadata),
        order_notes=changes.notes,
        item_data={
            item_id: {
                name: services.MapChange.between(changes.item_before[item_id][name], after)
                for name, after in maps.items()
            }
            for item_id, maps in changes.items.items()
        }
        or None,
        in_transaction=queue_remote,
    )


def _map_change(before: dict | None, after: dict | None) -> services.MapChange | None:
    """What a rule changed in a map, to apply to the row as it is at save time."""
    return None if after is None else services.MapChange.between(before or {}, after)


@contextmanager
def _deeper() -> Iterator[int]:
    depth = _depth.get() + 1
    token = _depth.set(depth)
    try:
        yield depth
    finally:
        _depth.reset(token)


def _load(store: Store, order_id: int) -> Order | None:
    return (
        with_details(Order.objects.filter(store=store, id=order_id)).select_related("store").first()
    )


def run_event(
    store: Store,
    event: str,
    order_ids: Iterable[int],
    *,
    event_data: dict | None = None,
    custom_name: str | None = None,
    rules: list[Rule] | None = None,
) -> int:
    """Run the store's enabled rules of `event` on the orders; returns how many rules ran.

    Each order sees the rules top to bottom, reloaded after each rule that changed it, and
    stops at the first matching rule marked "stop processing more rules".
    """
    if event not in EVENTS:
        raise ValueError(f"Unknown event {event!r}")
    with _deeper() as depth:
        order_ids = list(order_ids)
        if depth > MAX_DEPTH:
            _stop_chain(store, event, order_ids)
            return 0
        rules = rules if rules is not None else rules_for(store, event, custom_name=custom_name)
        if not rules:
            return 0
        ran = 0
        for order_id in order_ids:
            for rule in rules:
                order = _load(store, order_id)
                if order is None:
                    break
                evaluation = evaluate(rule, order, event_data=event_data)
                if not evaluation.matched:
                    continue
                _save(rule, order, evaluation, event)
                ran += 1
                if rule.stop_processing:
                    break
        return ran


def _stop_chain(store: Store, event: str, order_ids: list[int]) -> None:
    message = (
        f'Rules stopped: "{EVENTS[event]}" was raised by rules {MAX_DEPTH} times in a row '
        "(a loop between rules?), so its rules did not run"
    )
    logger.warning("Store %s orders %s: %s", store.id, order_ids, message)
    for order in Order.objects.filter(store=store, id__in=order_ids):
        services.record_activity(
            order,
            message,
            actor=None,
            source="Auto",
            kind=HistoryKind.RULE,
            details={"event": event, "depth_limit": MAX_DEPTH},
        )


def current_depth() -> int:
    return _depth.get()
