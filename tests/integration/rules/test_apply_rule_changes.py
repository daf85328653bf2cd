"""orders.services.apply_rule_changes: one rule run = one transaction, one history row, its events."""

from __future__ import annotations

import pytest

from orderhub.orders import events, services
from orderhub.orders.drafts import OrderDraft
from orderhub.orders.errors import InvalidOrder
from orderhub.orders.models import HistoryKind, Order
from orderhub.stores.services import create_folder

from .conftest import order_data

pytestmark = pytest.mark.django_db


def test_applies_everything_with_one_history_row_and_its_events(store, capture_events):
    order = services.create_order(store, OrderDraft.model_validate(order_data()), actor=None)
    gifts = create_folder(store, "Gifts", actor=None)
    item = order.items.first()
    seen = []
    _, published = capture_events(
        services.apply_rule_changes,
        order,
        'Rule "R" ran: everything',
        actor=None,
        details={"rule": "R"},
        folder=gifts,
        order_fields={"tag_color": "red", "tag_name": "gift"},
        checkout_data=services.MapChange({"Gift": "Yes"}),
        order_metadata=services.MapChange({"n": 1}),
        order_notes=["Call the customer"],
        item_data={
            item.id: {
                "metadata": services.MapChange({"print": "yes"}),
                "variation_list": services.MapChange({"Size": "L"}),
            }
        },
        in_transaction=lambda saved: seen.append(saved.folder_id),
    )
    order = Order.objects.get(pk=order.pk)
    assert order.folder == gifts and (order.tag_color, order.tag_name) == ("red", "gift")
    assert order.checkout_data == {"Gift": "Yes"} and order.order_metadata == {"n": 1}
    assert order.order_notes[-1]["content"] == "Call the customer"
    item.refresh_from_db()
    assert item.metadata == {"print": "yes"} and item.variation_list == {"Size": "L"}
    assert seen == [gifts.id]
    rows = list(order.history.filter(kind=HistoryKind.RULE))
    assert [(r.note, r.source_name, r.details) for r in rows] == [
        ('Rule "R" ran: everything', "Auto", {"rule": "R"})
    ]
    assert [type(e) for e in published] == [
        events.OrderDataChanged,
        events.ItemsChanged,
        events.FolderChanged,
    ]
    assert published[-1].to_folder_id == gifts.id


def test_nothing_to_change_still_records_the_run_and_emits_nothing(store, capture_events):
    order = services.create_order(store, OrderDraft.model_validate(order_data()), actor=None)
    _, published = capture_events(
        services.apply_rule_changes, order, 'Rule "R" ran: no changes', actor=None
    )
    assert published == []
    assert order.history.filter(kind=HistoryKind.RULE).count() == 1


def test_unknown_order_field_changes_nothing(store, capture_events):
    order = services.create_order(store, OrderDraft.model_validate(order_data()), actor=None)
    with pytest.raises(InvalidOrder):
        capture_events(
            services.apply_rule_changes, order, "x", actor=None, order_fields={"store_id": 2}
        )
    assert order.history.filter(kind=HistoryKind.RULE).count() == 0


def test_map_changes_keep_keys_written_meanwhile(store):
    """A rule read the metadata, then an integration stored a record Id: the Id survives."""
    order = services.create_order(
        store,
        OrderDraft.model_validate(order_data(order_metadata={"a": "1", "old": "x"})),
        actor=None,
    )
    rule_saw = dict(order.order_metadata)
    rule_wants = {"a": "2", "new": "y"}  # changed a, removed old, added new
    services.set_order_data(
        order, actor=None, source="Auto", order_metadata={**rule_saw, "salesforce_x_id": "a01"}
    )
    services.apply_rule_changes(
        order, "r", actor=None, order_metadata=services.MapChange.between(rule_saw, rule_wants)
    )
    assert Order.objects.get(pk=order.pk).order_metadata == {
        "a": "2",
        "new": "y",
        "salesforce_x_id": "a01",
    }
