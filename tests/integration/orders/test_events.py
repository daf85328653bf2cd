"""The in-transaction channel of orders.events: outbox writers run before commit, inside the
service's transaction, and a failing one rolls the change back."""

from __future__ import annotations

import pytest
from django.db import connection

from orderhub.orders import events, services
from orderhub.orders.drafts import OrderDraft, ShipmentDraft
from orderhub.orders.models import Order, OrderHistory, Shipment

pytestmark = pytest.mark.django_db


def new_order(store) -> Order:
    draft = OrderDraft.model_validate(
        {"email": "a@example.com", "order_items": [{"name": "Mug", "price": "4", "quantity": 1}]}
    )
    return services.create_order(store, draft, actor=None)


@pytest.fixture
def in_transaction():
    """Subscribe in-transaction handlers for one test."""
    subscribed = []

    def subscribe(event_type, handler):
        uid = f"test-{len(subscribed)}"
        events.subscribe_in_transaction(event_type, handler, dispatch_uid=uid)
        subscribed.append((event_type, uid))

    yield subscribe
    for event_type, uid in subscribed:
        events.unsubscribe_in_transaction(event_type, dispatch_uid=uid)


def test_handler_runs_inside_the_transaction_before_commit(store, in_transaction, capture_events):
    order = new_order(store)
    seen = []

    def outbox_writer(event):
        # The shipment is already written (same transaction) and nothing is committed yet.
        seen.append(
            (
                type(event),
                connection.in_atomic_block,
                Shipment.objects.filter(id=event.shipment_id).exists(),
            )
        )

    in_transaction(events.ShipmentAdded, outbox_writer)
    _, published = capture_events(
        services.add_shipment, order, ShipmentDraft(tracking_number="1Z1"), actor=None
    )
    assert seen == [(events.ShipmentAdded, True, True)]
    # The after-commit channel still delivers the same event once.
    assert [type(e) for e in published] == [events.ShipmentAdded]


def test_failing_handler_rolls_the_change_back_and_nothing_is_dispatched(
    store, in_transaction, capture_events
):
    order = new_order(store)
    history_before = OrderHistory.objects.filter(order=order).count()

    def broken_outbox(event):
        raise RuntimeError("outbox table is gone")

    in_transaction(events.ShipmentAdded, broken_outbox)
    with pytest.raises(RuntimeError, match="outbox table is gone"):
        capture_events(
            services.add_shipment, order, ShipmentDraft(tracking_number="1Z1"), actor=None
        )
    assert not Shipment.objects.filter(order=order).exists()
    assert OrderHistory.objects.filter(order=order).count() == history_before


def test_handlers_match_subclasses_and_can_be_unsubscribed(store, in_transaction):
    order = new_order(store)
    seen = []
    in_transaction(events.OrderEvent, lambda event: seen.append(type(event)))
    services.add_shipment(order, ShipmentDraft(tracking_number="1Z1"), actor=None)
    assert seen == [events.ShipmentAdded]
    events.unsubscribe_in_transaction(events.OrderEvent, dispatch_uid="test-0")
    services.add_shipment(order, ShipmentDraft(tracking_number="1Z2"), actor=None)
    assert seen == [events.ShipmentAdded]
