"""Under faults, expiring sessions, equal timestamps and killed runs, the orders in the desk
end up exactly the matching Salesforce records: none missing, none twice."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from integration.salesforce.factory import OrgFactory
from orderhub.integrations import leases
from orderhub.integrations.models import StoreIntegration
from orderhub.integrations.salesforce import importer
from orderhub.integrations.salesforce.models import ImportRun
from orderhub.integrations.salesforce.services import settings_of, update_settings
from orderhub.orders.models import Order

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_pages_fast_retries(settings):
    settings.ORDERHUB_SALESFORCE_BATCH_SIZE = 200
    settings.ORDERHUB_SALESFORCE_BACKOFF_SECONDS = 0.01
    # With about a third of calls failing, 10 retries make giving up a one-in-50,000 event.
    settings.ORDERHUB_SALESFORCE_RETRIES = 10


def configure(integration, **changes):
    data = settings_of(integration).model_dump(mode="json")
    data.update(changes)
    return update_settings(integration, data, actor=None)


def salesforce_ids(org, **where) -> set[str]:
    return {row["Id"] for row in org.records("Order", **where) if not row.get("IsDeleted")}


def desk_ids(integration) -> list[str]:
    return list(
        Order.objects.filter(store=integration.store_id).values_list(
            "order_metadata__salesforce_id", flat=True
        )
    )


def scheduled_run(integration, **kwargs) -> ImportRun:
    run = ImportRun.objects.create(integration=integration, trigger=ImportRun.Trigger.SCHEDULED)
    return importer.execute(run, **kwargs)


def first_connection(integration):
    """Make the scheduled window start before the seeded records were made."""
    state = dict(integration.state, import_start="2000-01-01T00:00:00.000+0000")
    StoreIntegration.objects.filter(pk=integration.pk).update(state=state)
    integration.refresh_from_db()


def test_many_records_with_one_timestamp_across_page_boundaries(connected, org):
    org.set_clock(datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC))  # the clock stands still
    org.seed(orders=450, items_per_order=1, seed=11)
    configure(connected)
    first_connection(connected)
    run = scheduled_run(connected)
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    assert run.pages >= 3
    ids = desk_ids(connected)
    assert len(ids) == len(set(ids)) and set(ids) == salesforce_ids(org)
    # Records committed later with that very same timestamp are still found.
    factory = OrgFactory.build(org)
    for _ in range(3):
        factory.order(items=1)
    scheduled_run(connected)
    ids = desk_ids(connected)
    assert len(ids) == len(set(ids)) and set(ids) == salesforce_ids(org)


def test_faults_and_dropped_connections_lose_nothing(connected, org):
    org.seed(orders=300, items_per_order=2, seed=21)
    configure(connected, filter_field="Status", filter_value="Activated")
    first_connection(connected)
    org.set_faults(
        {"kind": "503", "path": "/services/data/*", "rate": 0.2},
        {"kind": "drop", "path": "/services/data/*", "rate": 0.08},
        {"kind": "lock", "path": "/services/data/*", "rate": 0.08},
        seed=3,
    )
    run = scheduled_run(connected)
    org.clear_faults()
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    ids = desk_ids(connected)
    assert len(ids) == len(set(ids))
    assert set(ids) == salesforce_ids(org, Status="Activated")


def test_sessions_expiring_mid_run_are_refreshed(connected, org):
    org.seed(orders=450, items_per_order=1, seed=31)
    configure(connected)
    first_connection(connected)
    pages = []

    def expire_after_each_page(run):
        pages.append(run.pages)
        org.expire_sessions()

    run = scheduled_run(connected, progress=expire_after_each_page)
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    assert len(pages) >= 3
    assert set(desk_ids(connected)) == salesforce_ids(org)
    connected.refresh_from_db()
    assert connected.status == StoreIntegration.Status.CONNECTED


class Killed(BaseException):
    """Stands for the process dying: nothing after it runs."""


def test_a_run_killed_between_pages_resumes_without_duplicates(connected, org, monkeypatch):
    org.seed(orders=450, items_per_order=1, seed=41)
    configure(connected)
    first_connection(connected)

    def die_after_first_page(run):
        if run.pages == 1:
            raise Killed()

    # A dead process releases nothing: its lease stays until it expires.
    monkeypatch.setattr(leases, "release", lambda integration, owner: None)
    with pytest.raises(Killed):
        scheduled_run(connected, progress=die_after_first_page)
    after_kill = desk_ids(connected)
    assert 0 < len(after_kill) < len(salesforce_ids(org))
    monkeypatch.undo()
    # While the dead run's lease is fresh, another run does nothing...
    skipped = scheduled_run(connected)
    assert skipped.status == ImportRun.Status.SKIPPED
    # ...once it expires, the next run picks up where the dead one stopped.
    StoreIntegration.objects.filter(pk=connected.pk).update(
        lease_expires_at=datetime(2000, 1, 1, tzinfo=UTC)
    )
    resumed = scheduled_run(connected)
    assert resumed.status == ImportRun.Status.SUCCEEDED, resumed.error
    ids = desk_ids(connected)
    assert len(ids) == len(set(ids)) and set(ids) == salesforce_ids(org)
    assert resumed.imported == len(ids) - len(after_kill)


def test_revoked_connection_stops_the_run_and_asks_to_reconnect(connected, org):
    org.seed(orders=5, items_per_order=1, seed=51)
    configure(connected, check_interval_minutes=5)
    app = next(a for a in org.info()["connected_apps"] if a["client_id"] == org.client_id)
    org.register_app(org.client_id, "a-new-secret", app["callback_urls"])  # old secret revoked
    org.expire_sessions()
    try:
        run = importer.run_scheduled_import(connected.id)
    finally:
        org.register_app(org.client_id, org.client_secret, app["callback_urls"])
    assert run.status == ImportRun.Status.FAILED
    assert "Reconnect" in run.error
    connected.refresh_from_db()
    assert connected.status == StoreIntegration.Status.RECONNECT_NEEDED
    assert connected.next_check_at is None  # the scheduler backs off until reconnected
    assert desk_ids(connected) == []


def test_request_limit_exceeded_is_shown_as_salesforce_said(connected, org):
    configure(connected)
    _used, limit = org.api_usage()
    org.set_api_usage(limit)
    run = scheduled_run(connected)
    assert run.status == ImportRun.Status.FAILED
    assert "REQUEST_LIMIT_EXCEEDED" in run.error
