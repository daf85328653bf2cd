"""Each event runs the rules made for it, and only those; rules run top to bottom."""

from __future__ import annotations

import pytest

from orderhub.orders import services as orders
from orderhub.orders.drafts import OrderDraft, ShipmentDraft
from orderhub.orders.models import HistoryKind, Order
from orderhub.rules import engine, triggers
from orderhub.rules import services as rules

from .conftest import order_data, rule_history

pytestmark = pytest.mark.django_db(transaction=True)


def tag(name):
    return [{"action": "tag_order", "params": {"color": "red", "name": name}}]


def test_order_imported_runs_its_rules(store, make_rule, import_one, create_manual):
    make_rule(tag("imported"), event="order_imported", name="On import")
    imported = import_one()
    assert (imported.tag_color, imported.tag_name) == ("red", "imported")
    assert rule_history(imported) == ['Rule "On import" ran: tagged red imported']
    entry = imported.history.get(kind=HistoryKind.RULE)
    assert entry.source_name == "Auto" and entry.details["rule"] == "On import"
    # A manual order is not an imported one; an order posted through the API is.
    assert create_manual().tag_name == ""
    posted = orders.create_order(
        store, OrderDraft.model_validate(order_data()), actor=None, source="API"
    )
    assert Order.objects.get(pk=posted.pk).tag_name == "imported"


def test_order_created_manually_runs_only_for_manual_orders(
    store, make_rule, create_manual, import_one
):
    make_rule(tag("manual"), event="order_created_manually")
    assert create_manual().tag_name == "manual"
    assert import_one().tag_name == ""


def test_folder_changed_sees_the_destination(store, folders, make_rule, create_manual):
    make_rule(
        tag("to hold"),
        event="folder_changed",
        filters=[
            {"field": "event.to_folder", "operator": "equals", "value": str(folders["Hold"].id)}
        ],
    )
    order = create_manual()
    orders.move_to_folder(order, folders["Gifts"], actor=None, source="Web")
    assert Order.objects.get(pk=order.pk).tag_name == ""
    orders.move_to_folder(order, folders["Hold"], actor=None, source="Web")
    assert Order.objects.get(pk=order.pk).tag_name == "to hold"


def test_folder_filter_reads_the_current_folder_after_a_move(
    store, folders, make_rule, create_manual
):
    make_rule(
        tag("in gifts"),
        event="folder_changed",
        filters=[{"field": "folder", "operator": "equals", "value": str(folders["Gifts"].id)}],
    )
    order = create_manual()
    orders.move_to_folder(order, folders["Gifts"], actor=None)
    assert Order.objects.get(pk=order.pk).tag_name == "in gifts"


def test_shipment_added(store, make_rule, create_manual):
    make_rule(tag("shipped"), event="shipment_added")
    order = create_manual()
    orders.add_shipment(order, ShipmentDraft(tracking_number="1Z999"), actor=None)
    assert Order.objects.get(pk=order.pk).tag_name == "shipped"


def test_order_details_changed(store, make_rule, create_manual):
    make_rule(
        [{"action": "set_checkout_data", "params": {"lines": "Edited|yes"}}],
        event="order_details_changed",
    )
    order = create_manual()
    orders.update_order_details(order, actor=None, source="Web", shipping_method="Express")
    assert Order.objects.get(pk=order.pk).checkout_data == {"Edited": "yes"}


def test_order_address_changed(store, make_rule, create_manual):
    make_rule(
        tag("moved house"),
        event="order_address_changed",
        filters=[{"field": "shipping.country", "operator": "equals", "value": "FR"}],
    )
    order = create_manual()
    orders.set_address(order, "shipping", {"first_name": "J", "country": "FR"}, actor=None)
    assert Order.objects.get(pk=order.pk).tag_name == "moved house"


def test_custom_button_runs_on_the_selected_orders_only(store, make_rule, create_manual):
    make_rule(tag("printed"), event="custom_button", event_options={"name": "Print"})
    make_rule(tag("other"), event="custom_button", event_options={"name": "Other"})
    first, second, third = create_manual(), create_manual(), create_manual()
    assert triggers.press_button(store, "Print", [first.id, third.id]) == 2
    tags = {o.id: o.tag_name for o in Order.objects.all()}
    assert tags == {first.id: "printed", second.id: "", third.id: "printed"}


def test_any_event_can_be_rerun_by_hand_on_a_folder_or_a_selection(
    store, folders, make_rule, create_manual
):
    old = [create_manual(), create_manual()]  # made before the rule: it did not run on them
    make_rule(tag("late"), event="order_created_manually")
    assert {o.tag_name for o in Order.objects.all()} == {""}
    ran = triggers.run_by_hand(store, "order_created_manually", folder_id=old[0].folder_id)
    assert ran == 2
    assert {o.tag_name for o in Order.objects.all()} == {"late"}
    make_rule(tag("again"), event="order_imported")
    triggers.run_by_hand(store, "order_imported", order_ids=[old[1].id])
    assert Order.objects.get(pk=old[1].pk).tag_name == "again"
    assert Order.objects.get(pk=old[0].pk).tag_name == "late"


def test_disabled_rules_and_other_stores_rules_do_not_run(
    store, other_store, make_rule, create_manual
):
    rule = make_rule(tag("off"))
    rules.set_enabled(rule, False, actor=None)
    make_rule(tag("elsewhere"), target_store=other_store)
    assert create_manual().tag_name == ""


def test_rules_run_top_to_bottom_and_see_earlier_changes(store, make_rule, create_manual):
    make_rule([{"action": "set_checkout_data", "params": {"lines": "Step|one"}}], name="first")
    make_rule(
        [{"action": "set_checkout_data", "params": {"lines": "Step|two"}}],
        name="second",
        filters=[{"field": "checkout_data", "key": "Step", "operator": "equals", "value": "one"}],
    )
    order = create_manual()
    assert order.checkout_data == {"Step": "two"}
    assert rule_history(order) == [
        'Rule "first" ran: checkout data: Step=one (new)',
        'Rule "second" ran: checkout data: Step=two',
    ]


def test_reordering_changes_which_rule_wins(store, make_rule, create_manual):
    a = make_rule(tag("A"), name="A")
    b = make_rule(tag("B"), name="B")
    assert create_manual().tag_name == "B"  # B ran last
    rules.move_rule(b, -1, actor=None)
    assert [r.name for r in store.rules.order_by("position")] == ["B", "A"]
    assert create_manual().tag_name == "A"
    rules.reorder_rules(store, [a.id, b.id], actor=None)
    assert create_manual().tag_name == "B"


def test_stop_processing_skips_the_rules_below(store, make_rule, create_manual):
    make_rule(
        tag("big"),
        name="big orders",
        stop_processing=True,
        filters=[{"field": "order_total", "operator": "greater_than", "value": "100"}],
    )
    make_rule(tag("normal"), name="everything else")
    big = create_manual(order_items=[{"name": "TV", "price": "500", "quantity": 1}])
    small = create_manual()
    assert big.tag_name == "big" and rule_history(big) == ['Rule "big orders" ran: tagged red big']
    assert small.tag_name == "normal"


def test_or_filters(store, make_rule, create_manual):
    make_rule(
        tag("either"),
        filter_join="or",
        filters=[
            {"field": "shipping.country", "operator": "equals", "value": "FR"},
            {"field": "email", "operator": "ends_with", "value": "@example.com"},
        ],
    )
    assert create_manual().tag_name == "either"
    assert create_manual(email="x@other.org").tag_name == ""


def test_item_rule_acts_on_matching_items_only(store, make_rule, create_manual):
    make_rule(
        [
            {"action": "set_item_metadata", "params": {"lines": "print|yes"}},
            {"action": "set_variation", "params": {"lines": "Finish|Gloss"}},
            {"action": "tag_order", "params": {"color": "blue", "name": "has glue"}},
        ],
        rule_type="item",
        filters=[{"field": "item.code", "operator": "equals", "value": "GLUE"}],
    )
    order = create_manual()
    glue, tape = order.items.order_by("position")
    assert glue.metadata == {"print": "yes"} and glue.variation_list == {"Finish": "Gloss"}
    assert tape.metadata == {} and tape.variation_list == {}
    assert order.tag_name == "has glue"
    assert len(rule_history(order)) == 1


def test_item_rule_without_matching_item_does_nothing(store, make_rule, create_manual):
    make_rule(
        [{"action": "tag_order", "params": {"color": "blue"}}],
        rule_type="item",
        filters=[{"field": "item.price", "operator": "greater_than", "value": "99"}],
    )
    order = create_manual()
    assert order.tag_color == "" and rule_history(order) == []


def test_depth_limit_stops_a_loop_and_says_why(store, folders, make_rule, create_manual, caplog):
    # Two rules bounce an order between two folders for ever.
    make_rule(
        [{"action": "change_folder", "params": {"folder_id": folders["Hold"].id}}],
        event="folder_changed",
        name="to hold",
        filters=[
            {"field": "event.to_folder", "operator": "equals", "value": str(folders["Gifts"].id)}
        ],
    )
    make_rule(
        [{"action": "change_folder", "params": {"folder_id": folders["Gifts"].id}}],
        event="folder_changed",
        name="to gifts",
        filters=[
            {"field": "event.to_folder", "operator": "equals", "value": str(folders["Hold"].id)}
        ],
    )
    order = create_manual()
    orders.move_to_folder(order, folders["Gifts"], actor=None)
    notes = rule_history(Order.objects.get(pk=order.pk))
    assert len([n for n in notes if n.startswith("Rule ")]) == engine.MAX_DEPTH
    assert notes[-1].startswith('Rules stopped: "Folder is Changed" was raised by rules')
    assert "depth" not in caplog.text or "Rules stopped" in caplog.text
    assert any("Rules stopped" in r.getMessage() for r in caplog.records)
    assert engine.current_depth() == 0
