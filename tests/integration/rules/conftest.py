"""Helpers for rule tests: rules made through the rule services, orders through orders.services.

Rule tests use real transactions (transaction=True), because rules run on events that are
delivered only after a real commit — exactly as in production.
"""

from __future__ import annotations

import pytest

from orderhub.orders import services as orders
from orderhub.orders.drafts import ImportDraft, OrderDraft
from orderhub.orders.models import HistoryKind, Order
from orderhub.rules import services as rules
from orderhub.stores.services import create_folder


def order_data(**overrides) -> dict:
    data = {
        "email": "jimmy@example.com",
        "shipping": {"first_name": "Jimmy", "last_name": "Dean", "country": "US"},
        "shipping_total": "5",
        "order_items": [
            {"name": "Crazy Glue", "code": "GLUE", "price": "10", "quantity": 1},
            {"name": "Tape", "code": "TAPE", "price": "2.50", "quantity": 2},
        ],
    }
    data.update(overrides)
    return data


@pytest.fixture
def folders(store):
    made = {f.name: f for f in store.folders.all()}
    for name in ("Gifts", "Hold", "Big"):
        made[name] = create_folder(store, name, actor=None)
    return made


@pytest.fixture
def make_rule(store):
    def make(actions, *, event="order_created_manually", target_store=None, **data):
        return rules.create_rule(
            target_store or store,
            {"name": "Rule", "event": event, "actions": actions, **data},
            actor=None,
        )

    return make


@pytest.fixture
def create_manual(store):
    def create(target_store=None, **overrides) -> Order:
        draft = OrderDraft.model_validate(order_data(**overrides))
        order = orders.create_order(
            target_store or store, draft, actor=None, source="Web", manual=True
        )
        return Order.objects.get(pk=order.pk)

    return create


@pytest.fixture
def import_one(store):
    counter = iter(range(1, 10_000))

    def run(target_store=None, **overrides) -> Order:
        target_store = target_store or store
        draft = ImportDraft.model_validate(
            order_data(external_id=f"REC-{next(counter)}", **overrides)
        )
        folder = target_store.folders.order_by("position", "id").first()
        result = orders.import_orders(
            target_store,
            [draft],
            actor=None,
            folder=folder,
            external_source="test",
            source="Test",
            history_note="Imported from test",
        )
        return Order.objects.get(pk=result.created[0])

    return run


def rule_history(order: Order) -> list[str]:
    return list(order.history.filter(kind=HistoryKind.RULE).values_list("note", flat=True))
