"""Shipment write-back against the emulated org: every way of adding a shipment writes exactly
the right text to the Order Shipment Details field of the right item records, reliably."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from integration.api.apiclient import ApiClient
from orderhub.api.ratelimit import store_buckets
from orderhub.integrations.models import StoreIntegration
from orderhub.integrations.salesforce import importer, tracking
from orderhub.integrations.salesforce.models import ImportRun, PushLease, TrackingPush
from orderhub.integrations.salesforce.services import settings_of, update_settings
from orderhub.jobs.runner import InlineRunner, sweep_once
from orderhub.orders import services
from orderhub.orders.drafts import OrderDraft, ShipmentDraft
from orderhub.orders.models import Order
from orderhub.stores.services import regenerate_api_key

pytestmark = pytest.mark.django_db
FIELD = "Tracking_Number__c"
PATCHES = "*/composite/sobjects*"
LATER = timedelta(hours=3)  # past any backoff


@pytest.fixture(autouse=True)
def fast_retries(settings):
    settings.ORDERHUB_SALESFORCE_BACKOFF_SECONDS = 0.01
    settings.ORDERHUB_SALESFORCE_RETRIES = 6
    settings.ORDERHUB_API_BUCKET_SIZE = 10_000
    store_buckets.reset()
    yield
    store_buckets.reset()


def configure(integration, **changes):
    data = settings_of(integration).model_dump(mode="json")
    data.update(changes)
    return update_settings(integration, data, actor=None)


class SeededOrders:
    """Orders with exactly `items` OrderItems each, made by the emulator's seeder (which,
    like every real org, keeps a standard price book)."""

    def __init__(self, org) -> None:
        self.org = org
        self.made = 0
        self.sf = org.salesforce()

    def order(self, items: int) -> None:
        self.made += 1
        self.org.seed(orders=1, items_per_order=items, seed=self.made)


@pytest.fixture
def factory(org):
    return SeededOrders(org)


@pytest.fixture
def syncing(connected):
    """Sync Tracking Numbers on, into OrderItem.Tracking_Number__c."""
    configure(connected, sync_tracking_numbers=True, shipment_details_field=FIELD)
    connected.refresh_from_db()
    return connected


def import_orders(integration) -> list[Order]:
    run = ImportRun.objects.create(
        integration=integration, trigger=ImportRun.Trigger.COMMAND, since=datetime(2000, 1, 1)
    )
    run = importer.execute(run)
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    return list(Order.objects.filter(store=integration.store_id).order_by("id"))


def imported(integration, factory, *, items: int = 2, orders: int = 1) -> list[Order]:
    for _ in range(orders):
        factory.order(items=items)
    return import_orders(integration)


def sf_ids(order) -> list[str]:
    return [item.metadata["salesforce_id"] for item in order.items.order_by("position")]


def field_values(org, order) -> list[str | None]:
    return [org.record("OrderItem", record_id)[FIELD] for record_id in sf_ids(order)]


def ship(order, tracking_number, **fields):
    draft = ShipmentDraft(tracking_number=tracking_number, **fields)
    return services.add_shipment(order, draft, actor=None, source="Auto")


def drain(integration, **kwargs) -> tracking.DrainResult:
    integration.refresh_from_db()
    return tracking.drain(integration, **kwargs)


def line(tracking_number, carrier="", method="", url="", day=None) -> str:
    day = day or timezone.now().date()
    head = " ".join(p for p in (carrier, method) if p)
    return ", ".join(p for p in (head, tracking_number, url, f"shipped {day.isoformat()}") if p)


# --- each way of adding a shipment -------------------------------------------------------------


def test_api_shipment_writes_its_line_to_every_item(syncing, factory, org):
    (order,) = imported(syncing, factory, items=2)
    api = ApiClient(syncing.store_id, regenerate_api_key(syncing.store, actor=None))
    response = api.post(
        f"/orders/{order.id}/shipments",
        {
            "tracking_number": "1Z999",
            "carrier_code": "UPS",
            "shipment_method": "Ground",
            "tracking_url": "https://ups.example/1Z999",
            "date_shipped": "2024-05-02",
        },
    )
    assert response.status_code == 200, response.content
    assert field_values(org, order) == [None, None]  # only the outbox so far
    org.reset_api_calls()
    result = drain(syncing)
    expected = "UPS Ground, 1Z999, https://ups.example/1Z999, shipped 2024-05-02"
    assert field_values(org, order) == [expected, expected]
    assert (result.records, result.sent, result.failed) == (2, 2, 0)
    assert org.api_calls(PATCHES, method="PATCH") == 1
    assert org.api_calls() == 1  # the describe was cached when the settings were saved


def test_api_batch_shipments_across_orders_go_in_one_call(syncing, factory, org):
    first, second = imported(syncing, factory, items=2, orders=2)
    api = ApiClient(syncing.store_id, regenerate_api_key(syncing.store, actor=None))
    response = api.post(
        "/batch-shipments",
        [
            {"order_id": first.id, "tracking_number": "1ZA", "carrier_code": "UPS"},
            {"order_id": second.id, "tracking_number": "1ZB", "carrier_code": "FedEx"},
        ],
    )
    assert response.status_code == 200, response.content
    org.reset_api_calls()
    drain(syncing)
    assert org.api_calls() == 1
    assert field_values(org, first) == [line("1ZA", "UPS")] * 2
    assert field_values(org, second) == [line("1ZB", "FedEx")] * 2


def test_order_page_shipment_is_written_and_the_page_says_so(syncing, factory, org, user):
    (order,) = imported(syncing, factory, items=2)
    client = Client()
    client.force_login(user)
    page = reverse("web:order", args=[order.store_id, order.id])
    response = client.post(
        reverse("web:add_shipment", args=[order.store_id, order.id]),
        {"tracking_number": "9400111", "carrier_code": "USPS", "shipment_method": "Priority"},
    )
    assert response.status_code == 302
    html = client.get(page).content.decode()
    assert "Salesforce: waiting to send" in html
    # The runner's work source picks the store up on its next tick.
    assert sweep_once(InlineRunner()) >= 1
    assert field_values(org, order) == [line("9400111", "USPS", "Priority")] * 2
    html = client.get(page).content.decode()
    assert "In Salesforce" in html and "waiting to send" not in html


def test_rule_action_shipment_through_services(syncing, factory, org):
    (order,) = imported(syncing, factory, items=1)
    ship(order, "RULE-1", carrier_code="DHL")
    drain(syncing)
    assert field_values(org, order) == [line("RULE-1", "DHL")]


# --- what is written -------------------------------------------------------------------------


def test_second_shipment_adds_its_line_and_keeps_the_first(syncing, factory, org):
    (order,) = imported(syncing, factory, items=2)
    ship(order, "1Z1", carrier_code="UPS")
    drain(syncing)
    ship(order, "1Z2", carrier_code="UPS")
    drain(syncing)
    assert field_values(org, order) == [f"{line('1Z1', 'UPS')}; {line('1Z2', 'UPS')}"] * 2


def test_partial_shipments_write_only_the_items_they_name(syncing, factory, org):
    (order,) = imported(syncing, factory, items=3)
    mug, cafe, third = order.items.order_by("position")
    ship(order, "PART-1", order_items=[mug.id])
    ship(order, "PART-2", order_items=[cafe.id, third.id])
    ship(order, "ALL-3")  # names no items: the whole order
    drain(syncing)
    assert field_values(org, order) == [
        f"{line('PART-1')}; {line('ALL-3')}",
        f"{line('PART-2')}; {line('ALL-3')}",
        f"{line('PART-2')}; {line('ALL-3')}",
    ]


def test_edit_and_delete_rewrite_the_field_to_the_remaining_shipments(syncing, factory, org):
    (order,) = imported(syncing, factory, items=2)
    mug, cafe = order.items.order_by("position")
    first = ship(order, "1Z1", order_items=[mug.id])
    second = ship(order, "1Z2")
    drain(syncing)
    assert field_values(org, order) == [f"{line('1Z1')}; {line('1Z2')}", line("1Z2")]
    services.update_shipment(
        first, ShipmentDraft(tracking_number="1Z1-FIXED", order_items=[cafe.id]), actor=None
    )
    drain(syncing)
    assert field_values(org, order) == [line("1Z2"), f"{line('1Z1-FIXED')}; {line('1Z2')}"]
    services.delete_shipment(second, actor=None)
    drain(syncing)
    assert field_values(org, order) == ["", line("1Z1-FIXED")]


def test_several_pending_pushes_of_one_item_go_as_one_record(syncing, factory, org):
    (order,) = imported(syncing, factory, items=1)
    for number in ("A1", "A2", "A3"):
        ship(order, number)
    assert TrackingPush.objects.filter(order=order).count() == 3
    org.reset_api_calls()
    result = drain(syncing)
    assert (result.calls, result.records, result.sent) == (1, 1, 3)
    assert field_values(org, order) == ["; ".join(line(n) for n in ("A1", "A2", "A3"))]


def test_text_longer_than_the_field_keeps_the_newest_and_the_page_says_what_was_cut(
    syncing, factory, org, user
):
    (order,) = imported(syncing, factory, items=1)
    url = "https://tracking.example/" + "x" * 40
    numbers = [f"LONG-{n:02d}" for n in range(8)]
    for number in numbers:
        ship(order, number, carrier_code="UPS", tracking_url=url)
    drain(syncing)
    (value,) = field_values(org, order)
    assert len(value) <= 255
    kept = [n for n in numbers if n in value]
    assert kept == numbers[-len(kept) :] and 0 < len(kept) < len(numbers)
    assert value == "; ".join(line(n, "UPS", url=url) for n in kept)
    cut = numbers[: -len(kept)]
    assert TrackingPush.objects.filter(order=order, status="sent").last().cut == cut
    client = Client()
    client.force_login(user)
    html = client.get(reverse("web:order", args=[order.store_id, order.id])).content.decode()
    assert "newest are kept" in html
    for number in cut:
        assert f"<strong>{number}</strong>" in html


def test_setting_off_writes_nothing(connected, factory, org):
    configure(connected, sync_tracking_numbers=False, shipment_details_field=FIELD)
    (order,) = imported(connected, factory, items=2)
    ship(order, "1Z-OFF")
    org.reset_api_calls()
    assert drain(connected).calls == 0
    assert not TrackingPush.objects.exists()
    assert field_values(org, order) == [None, None]
    assert org.api_calls() == 0


def test_orders_from_another_source_are_never_touched(syncing, factory, org):
    imported(syncing, factory, items=1)
    draft = OrderDraft.model_validate(
        {"email": "x@example.com", "order_items": [{"name": "Mug", "price": "4", "quantity": 1}]}
    )
    manual = services.create_order(syncing.store, draft, actor=None)
    ship(manual, "1Z-MANUAL")
    assert not TrackingPush.objects.exists()
    org.reset_api_calls()
    assert drain(syncing).calls == 0
    assert org.api_calls() == 0
    assert all(row[FIELD] is None for row in org.records("OrderItem"))


# --- reliability -----------------------------------------------------------------------------


def test_503s_and_dropped_connections_lose_nothing(syncing, org, settings, monkeypatch):
    org.seed(orders=60, items_per_order=3, seed=5)
    configure(syncing, filter_field="Status", filter_value="Activated")
    orders = import_orders(syncing)
    assert len(orders) > 10
    for index, order in enumerate(orders):
        ship(order, f"T{index}-A")
        if index % 3 == 0:
            ship(order, f"T{index}-B", order_items=[order.items.first().id])
    # No gateway retries and small batches: whole calls fail too, so the outbox backoff is used.
    settings.ORDERHUB_SALESFORCE_RETRIES = 0
    monkeypatch.setattr(tracking, "MAX_RECORDS", 10)
    org.set_faults(
        {"kind": "503", "path": "/services/data/*", "rate": 0.3},
        {"kind": "drop", "path": "/services/data/*", "rate": 0.15},
        {"kind": "lock", "path": "/services/data/*", "rate": 0.1},
        seed=9,
    )
    rounds, retried = 0, 0
    when = timezone.now()
    while TrackingPush.objects.filter(status="pending").exists() and rounds < 30:
        retried += drain(syncing, now=when).retrying
        when += LATER
        rounds += 1
    org.clear_faults()
    assert retried > 0 and rounds > 1  # the faults did bite
    assert not TrackingPush.objects.exclude(status="sent").exists()
    for index, order in enumerate(orders):
        first_item = [f"{line(f'T{index}-A')}; {line(f'T{index}-B')}"] if index % 3 == 0 else []
        expected = first_item + [line(f"T{index}-A")] * (order.items.count() - len(first_item))
        assert field_values(org, order) == expected


def test_expired_session_is_refreshed_and_the_push_goes_through(syncing, factory, org):
    (order,) = imported(syncing, factory, items=1)
    ship(order, "1Z-SESSION")
    org.expire_sessions()
    assert drain(syncing).sent == 1
    assert field_values(org, order) == [line("1Z-SESSION")]
    syncing.refresh_from_db()
    assert syncing.status == StoreIntegration.Status.CONNECTED


def test_calls_that_fail_after_the_gateway_retries_back_off_and_are_sent_later(
    syncing, factory, org, settings
):
    (order,) = imported(syncing, factory, items=1)
    ship(order, "1Z-LATER")
    settings.ORDERHUB_SALESFORCE_RETRIES = 1
    org.set_faults({"kind": "503", "path": "*/composite/sobjects*", "rate": 1.0})
    result = drain(syncing)
    org.clear_faults()
    assert result.retrying == 1 and result.sent == 0
    push = TrackingPush.objects.get(order=order)
    assert push.status == "pending" and push.attempts == 1
    assert push.next_attempt_at > timezone.now()
    assert "SERVER_UNAVAILABLE" in push.error_message
    assert drain(syncing).calls == 0  # not due yet
    assert drain(syncing, now=timezone.now() + LATER).sent == 1
    assert field_values(org, order) == [line("1Z-LATER")]


class Killed(BaseException):
    """Stands for the process dying: nothing after it runs."""


def test_runner_killed_between_claim_and_completion_leaves_the_rows_claimable(
    syncing, factory, org, monkeypatch
):
    (order,) = imported(syncing, factory, items=2)
    ship(order, "1Z-KILL")

    real_finish = tracking._finish

    def die_after_salesforce_accepted(rows):
        raise Killed()

    monkeypatch.setattr(tracking, "_finish", die_after_salesforce_accepted)
    monkeypatch.setattr(tracking, "_release_lease", lambda integration, owner: None)
    with pytest.raises(Killed):
        drain(syncing, owner="dead-runner")
    monkeypatch.undo()
    assert tracking._finish is real_finish
    # Salesforce has the text, but the outbox does not know it: rows are claimed, pending.
    assert field_values(org, order) == [line("1Z-KILL")] * 2
    rows = TrackingPush.objects.filter(order=order)
    assert {(r.status, r.claimed_by) for r in rows} == {("pending", "dead-runner")}
    # While the dead runner's lease and claims are fresh, nobody else sends them...
    assert drain(syncing).skipped
    assert list(tracking.due_pushes()) == []
    # ...once they expire, the rows are taken again and sent again (the same full text).
    PushLease.objects.update(expires_at=datetime(2000, 1, 1, tzinfo=UTC))
    TrackingPush.objects.update(claim_expires_at=datetime(2000, 1, 1, tzinfo=UTC))
    assert len(list(tracking.due_pushes())) == 1
    result = drain(syncing)
    assert (result.sent, result.failed) == (2, 0)
    assert field_values(org, order) == [line("1Z-KILL")] * 2
    assert {r.status for r in TrackingPush.objects.filter(order=order)} == {"sent"}


def test_permanent_error_is_shown_and_retried_after_the_cause_is_fixed(syncing, factory, org, user):
    (order,) = imported(syncing, factory, items=1)
    # Someone made the configured field read-only in Salesforce after the settings were saved.
    config = dict(syncing.config, shipment_details_field="TotalPrice")
    StoreIntegration.objects.filter(pk=syncing.pk).update(config=config)
    ship(order, "1Z-PERM")
    result = drain(syncing)
    assert (result.sent, result.failed) == (0, 1)
    push = TrackingPush.objects.get(order=order)
    assert push.status == "failed" and push.error_code == "INVALID_FIELD_FOR_INSERT_UPDATE"
    assert "TotalPrice" in push.error_message
    client = Client()
    client.force_login(user)
    html = client.get(reverse("web:order", args=[order.store_id, order.id])).content.decode()
    assert "Salesforce sync failed" in html and "INVALID_FIELD_FOR_INSERT_UPDATE" in html
    issues_url = reverse("salesforce:sync_issues", kwargs={"store_id": syncing.store_id})
    issues = client.get(issues_url).content.decode()
    assert "INVALID_FIELD_FOR_INSERT_UPDATE" in issues and push.record_id in issues
    settings_page = client.get(reverse("salesforce:settings", kwargs={"store_id": order.store_id}))
    assert "0 pending, 1 failed" in settings_page.content.decode()
    # Failed pushes are not retried by themselves.
    assert drain(syncing, now=timezone.now() + LATER).calls == 0
    # The cause is fixed (the right field again), then Retry.
    configure(syncing, shipment_details_field=FIELD)
    response = client.post(
        reverse("salesforce:sync_retry", kwargs={"store_id": syncing.store_id}),
        {"push": push.id},
    )
    assert response.status_code == 302
    assert drain(syncing).sent == 1
    assert field_values(org, order) == [line("1Z-PERM")]
    assert "No sync issues" in client.get(issues_url).content.decode()
    html = client.get(reverse("web:order", args=[order.store_id, order.id])).content.decode()
    assert "In Salesforce" in html and "sync failed" not in html


def test_deleted_record_fails_with_salesforce_message_and_can_be_dismissed(
    syncing, factory, org, user
):
    (order,) = imported(syncing, factory, items=2)
    gone = sf_ids(order)[0]
    factory.sf.OrderItem.delete(gone)
    ship(order, "1Z-GONE")
    result = drain(syncing)
    assert (result.sent, result.failed) == (1, 1)
    failed = TrackingPush.objects.get(status="failed")
    assert failed.record_id == gone and failed.error_code == "ENTITY_IS_DELETED"
    client = Client()
    client.force_login(user)
    client.post(
        reverse("salesforce:sync_dismiss", kwargs={"store_id": syncing.store_id}),
        {"push": failed.id},
    )
    failed.refresh_from_db()
    assert failed.status == "dismissed"
    issues_url = reverse("salesforce:sync_issues", kwargs={"store_id": syncing.store_id})
    assert "No sync issues" in client.get(issues_url).content.decode()


def test_daily_api_limit_used_up_waits_and_sends_later(syncing, factory, org):
    (order,) = imported(syncing, factory, items=1)
    ship(order, "1Z-LIMIT")
    _used, limit = org.api_usage()
    org.set_api_usage(limit)
    result = drain(syncing)
    assert (result.sent, result.retrying) == (0, 1)
    push = TrackingPush.objects.get(order=order)
    assert push.status == "pending" and push.error_code == "RATE_LIMITED"
    assert "REQUEST_LIMIT_EXCEEDED" in push.error_message
    org.set_api_usage(0)
    assert drain(syncing, now=timezone.now() + LATER).sent == 1
    assert field_values(org, order) == [line("1Z-LIMIT")]


def test_another_stores_people_cannot_see_or_retry_the_issues(syncing, other_user):
    client = Client()
    client.force_login(other_user)
    store_id = syncing.store_id
    assert client.get(reverse("salesforce:sync_issues", args=[store_id])).status_code == 404
    response = client.post(reverse("salesforce:sync_retry", args=[store_id]), {"push": 1})
    assert response.status_code == 404


def test_retry_all_failed_sends_every_failed_push_again(syncing, factory, org, user):
    orders = imported(syncing, factory, items=1, orders=2)
    config = dict(syncing.config, shipment_details_field="TotalPrice")
    StoreIntegration.objects.filter(pk=syncing.pk).update(config=config)
    for index, order in enumerate(orders):
        ship(order, f"1Z-ALL-{index}")
    assert drain(syncing).failed == 2
    configure(syncing, shipment_details_field=FIELD)
    client = Client()
    client.force_login(user)
    client.post(reverse("salesforce:sync_retry", kwargs={"store_id": syncing.store_id}))
    assert drain(syncing).sent == 2
    for index, order in enumerate(orders):
        assert field_values(org, order) == [line(f"1Z-ALL-{index}")]
