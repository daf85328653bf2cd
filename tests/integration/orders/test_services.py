"""orders.services: the one write path — totals, history, events, constraints."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction

from orderhub.orders import events, services
from orderhub.orders.drafts import ImportDraft, ItemDraft, OrderDraft, ShipmentDraft
from orderhub.orders.errors import FolderInUse, ShipmentNotAdded
from orderhub.orders.models import HistoryKind, Order, OrderHistory
from orderhub.stores.services import create_folder

pytestmark = pytest.mark.django_db


def draft(**overrides) -> OrderDraft:
    data = {
        "email": "jimmy@example.com",
        "shipping": {"first_name": "Jimmy", "last_name": "Dean", "country": "US"},
        "shipping_total": "11.17",
        "tax_total": 1.2,
        "handling_total": 0.5,
        "discount_list": [{"name": "Discount", "amount": "-1.70"}],
        "order_items": [
            {"name": "Crazy Glue", "price": "10", "quantity": 1, "weight": 1},
            {"name": "Tape", "price": "2.50", "quantity": 2, "weight": "0.5"},
        ],
    }
    data.update(overrides)
    return OrderDraft.model_validate(data)


def test_create_order_computes_totals_and_lands_in_first_folder(store, capture_events):
    order, published = capture_events(services.create_order, store, draft(), actor=None)
    order.refresh_from_db()
    assert order.folder.name == "New"
    assert order.quantity_total == 3
    assert order.product_total == Decimal("15.00")
    assert order.discount_total == Decimal("1.70")
    assert order.order_total == Decimal("15.00") + Decimal("11.17") + Decimal("0.5") + Decimal(
        "1.2"
    ) - Decimal("1.70")
    assert order.weight_total == Decimal("2")
    # The customer address was empty, so the shipping address was copied into it.
    assert order.customer_last_name == "Dean"
    assert [type(e) for e in published] == [events.OrderCreated]
    assert OrderHistory.objects.filter(order=order).count() == 1


def test_rolled_back_service_emits_nothing(store, capture_events):
    def create_then_fail():
        with transaction.atomic():
            services.create_order(store, draft(), actor=None)
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        capture_events(create_then_fail)
    assert not Order.objects.exists()


def test_raising_subscriber_keeps_the_change_and_other_subscribers_run(
    store, django_capture_on_commit_callbacks
):
    seen = []

    def broken(event):
        raise ValueError("subscriber bug")

    events.subscribe(events.OrderCreated, broken, dispatch_uid="broken")
    events.subscribe(events.OrderCreated, seen.append, dispatch_uid="seen")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            order = services.create_order(store, draft(), actor=None)
    finally:
        events.unsubscribe(events.OrderCreated, dispatch_uid="broken")
        events.unsubscribe(events.OrderCreated, dispatch_uid="seen")
    assert Order.objects.filter(id=order.id).exists()
    assert len(seen) == 1


def test_update_replaces_whole_order_and_upserts_items(store, capture_events):
    order = services.create_order(store, draft(), actor=None)
    glue = order.items.get(name="Crazy Glue")
    replacement = draft(
        email="",
        shipping={"company": "Acme", "city": "Paris"},
        order_items=[{"id": glue.id, "name": "Crazy Glue XL", "price": 12, "quantity": 2}],
    )
    order, published = capture_events(services.update_order, order, replacement, actor=None)
    order.refresh_from_db()
    assert order.email == ""
    assert order.shipping_first_name == "" and order.shipping_company == "Acme"
    assert list(order.items.values_list("id", "name")) == [(glue.id, "Crazy Glue XL")]
    assert order.product_total == Decimal("24")
    kinds = {type(e) for e in published}
    assert kinds == {events.OrderDetailsChanged, events.OrderAddressChanged}


def test_update_without_items_keeps_items(store):
    order = services.create_order(store, draft(), actor=None)
    services.update_order(order, OrderDraft.model_validate({"email": "x@example.com"}), actor=None)
    assert order.items.count() == 2


def test_second_shipment_with_same_tracking_is_refused(store, capture_events):
    order = services.create_order(store, draft(), actor=None)
    shipment, published = capture_events(
        services.add_shipment,
        order,
        ShipmentDraft(tracking_number="1Z999", carrier_code="UPS"),
        actor=None,
    )
    assert published == [
        events.ShipmentAdded(
            store_id=store.id, order_id=order.id, source="API", shipment_id=shipment.id
        )
    ]
    with pytest.raises(ShipmentNotAdded, match="Shipment Not Added"):
        services.add_shipment(order, ShipmentDraft(tracking_number="1Z999"), actor=None)
    # "n/a" means no tracking number; several are allowed.
    services.add_shipment(order, ShipmentDraft(tracking_number="n/a"), actor=None)
    services.add_shipment(order, ShipmentDraft(tracking_number="n/a"), actor=None)
    assert order.shipments.count() == 3


def test_move_writes_history_and_event(store, capture_events):
    order = services.create_order(store, draft(), actor=None)
    prepared = store.folders.get(name="Prepared")
    _, published = capture_events(services.move_to_folder, order, prepared, actor=None)
    new_id = store.folders.get(name="New").id
    assert published == [
        events.FolderChanged(
            store_id=store.id,
            order_id=order.id,
            source="API",
            from_folder_id=new_id,
            to_folder_id=prepared.id,
        )
    ]
    assert order.history.filter(kind=HistoryKind.MOVED).count() == 1


def test_import_orders_is_exactly_once(store, capture_events):
    folder = store.folders.get(name="New")
    drafts = [
        ImportDraft.model_validate({"external_id": "801A", "source_id": "SF-1", "order_items": []}),
        ImportDraft.model_validate({"external_id": "801B", "source_id": "SF-2"}),
        ImportDraft.model_validate({"external_id": "801A", "source_id": "SF-1 again"}),
    ]
    kwargs = dict(
        actor=None,
        folder=folder,
        external_source="salesforce:1",
        source="Salesforce",
        history_note="Imported from Salesforce",
    )
    result, published = capture_events(services.import_orders, store, drafts, **kwargs)
    assert len(result.created) == 2
    assert [type(e) for e in published] == [events.OrderImported] * 2
    again, published = capture_events(services.import_orders, store, drafts, **kwargs)
    assert again.created == [] and sorted(again.already_imported) == ["801A", "801B"]
    assert published == []
    assert Order.objects.filter(store=store).count() == 2
    assert OrderHistory.objects.filter(kind=HistoryKind.IMPORTED).count() == 2


def test_import_orders_leaves_out_records_that_do_not_fit_and_says_why(store):
    def record(external_id, **fields):
        return ImportDraft.model_validate({"external_id": external_id, **fields})

    items = [{"name": "Mug", "code": "M"}, {"name": "Cup", "code": "C" * 300}]
    result = services.import_orders(
        store,
        [
            record("801A", source_id="SF-1", order_items=[{"name": "Mug"}]),
            record("801B", email="e" * 256, order_items=[{"name": "N" * 501}]),
            record("801C", source_id="SF-3", order_items=items),
        ],
        actor=None,
        folder=store.folders.get(name="New"),
        external_source="salesforce:1",
        source="Salesforce",
        history_note="Imported from Salesforce",
    )
    assert result.rejected == {
        "801B": "email: 256 characters, at most 255",  # the order's own value comes first
        "801C": "order_items[1].code: 300 characters, at most 255",
    }
    assert list(Order.objects.filter(store=store).values_list("source_id", flat=True)) == ["SF-1"]
    assert Order.objects.get(pk=result.created[0]).items.count() == 1


def test_import_orders_keeps_what_a_concurrent_import_committed_first(store, monkeypatch):
    kwargs = dict(
        actor=None,
        folder=store.folders.get(name="New"),
        external_source="salesforce:1",
        source="Salesforce",
        history_note="Imported from Salesforce",
    )

    def record(external_id):
        return ImportDraft.model_validate(
            {"external_id": external_id, "source_id": external_id, "order_items": [{"name": "Mug"}]}
        )

    services.import_orders(store, [record("801A")], **kwargs)  # the other import, first
    real, checks = services._already_imported, []

    def not_yet_committed_at_first_look(*args):
        checks.append(args)
        return set() if len(checks) == 1 else real(*args)

    monkeypatch.setattr(services, "_already_imported", not_yet_committed_at_first_look)
    result = services.import_orders(store, [record("801A"), record("801C")], **kwargs)
    assert len(checks) == 2  # the unique key refused 801A, and the import looked again
    assert result.already_imported == ["801A"] and len(result.created) == 1
    orders = Order.objects.filter(store=store)
    assert sorted(orders.values_list("external_id", flat=True)) == ["801A", "801C"]
    created = Order.objects.get(pk=result.created[0])
    assert created.external_id == "801C" and created.items.count() == 1
    assert OrderHistory.objects.filter(kind=HistoryKind.IMPORTED).count() == 2


def test_delete_folder_moves_orders_first(store):
    custom = create_folder(store, "Gifts", actor=None)
    order = services.create_order(store, draft(folder_id=custom.id), actor=None)
    with pytest.raises(FolderInUse, match="choose a folder"):
        services.delete_folder(custom, actor=None)
    new = store.folders.get(name="New")
    services.delete_folder(custom, actor=None, move_orders_to=new)
    order.refresh_from_db()
    assert order.folder == new
    with pytest.raises(FolderInUse, match="default folder"):
        services.delete_folder(new, actor=None)


def test_item_services_recompute_totals(store, capture_events):
    order = services.create_order(store, draft(order_items=[]), actor=None)
    item, published = capture_events(
        services.add_item, order, ItemDraft(name="Cup", price=Decimal("4"), quantity=3), actor=None
    )
    order.refresh_from_db()
    assert order.product_total == Decimal("12") and [type(e) for e in published] == [
        events.ItemsChanged
    ]
    services.delete_item(item, actor=None)
    order.refresh_from_db()
    assert order.product_total == 0 and order.quantity_total == 0


def test_batch_subscribers_get_one_call_per_commit(store, django_capture_on_commit_callbacks):
    calls: list[list] = []
    events.subscribe_many(events.OrderImported, calls.append, dispatch_uid="batch-test")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.import_orders(
                store,
                [ImportDraft.model_validate({"external_id": f"r{i}"}) for i in range(3)],
                actor=None,
                folder=store.folders.get(name="New"),
                external_source="test",
                source="Test",
                history_note="Imported",
            )
    finally:
        events.unsubscribe_many(events.OrderImported, dispatch_uid="batch-test")
    assert len(calls) == 1 and len(calls[0]) == 3
    assert {type(e) for e in calls[0]} == {events.OrderImported}
