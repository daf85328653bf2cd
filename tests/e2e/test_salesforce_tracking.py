"""The demo's promise: a shipment added on the order page in Chromium reaches the Salesforce
item records in one tick of the embedded job runner, and the page says so.

The tick is run by hand (`EmbeddedRunner.sweep()`, what APScheduler calls every
ORDERHUB_JOBS_TICK_SECONDS): the live server's in-memory SQLite locks whole tables, so a
scheduler thread sweeping while a drain writes fails with "database table is locked", which
a file database with WAL and a busy timeout (production, the demo) simply waits out."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from orderhub.integrations.salesforce import importer
from orderhub.integrations.salesforce.connection import connect_with_client_credentials
from orderhub.integrations.salesforce.models import ImportRun
from orderhub.integrations.salesforce.services import settings_of, update_settings
from orderhub.jobs.runner import EmbeddedRunner
from orderhub.orders.models import Order

pytestmark = [pytest.mark.browser, pytest.mark.emulator, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def tracking_org(tmp_path_factory):
    from salesforce_emulator.testing import running_emulator

    with running_emulator(tmp_path_factory.mktemp("sf-e2e-tracking")) as handle:
        yield handle


@pytest.fixture
def salesforce_order(store, tracking_org):
    tracking_org.reset()
    tracking_org.seed(orders=1, items_per_order=2, seed=1)
    integration = connect_with_client_credentials(
        store,
        endpoint_url=tracking_org.instance_url,
        client_id=tracking_org.client_id,
        client_secret=tracking_org.client_secret,
        ca_bundle=tracking_org.ca_cert,
        actor=None,
    )
    data = settings_of(integration).model_dump(mode="json")
    data.update(
        sync_tracking_numbers=True,
        shipment_details_field="Tracking_Number__c",
        check_interval_minutes=0,  # no scheduled import in the tick
    )
    update_settings(integration, data, actor=None)
    run = ImportRun.objects.create(
        integration=integration, trigger=ImportRun.Trigger.COMMAND, since=date(2000, 1, 1)
    )
    assert importer.execute(run).status == ImportRun.Status.SUCCEEDED
    return Order.objects.get(store=store)


def test_shipment_added_on_the_order_page_reaches_salesforce_within_a_tick(
    signed_in, salesforce_order, tracking_org
):
    page = signed_in
    order = salesforce_order
    record_ids = [item.metadata["salesforce_id"] for item in order.items.all()]
    page.goto(f"/stores/{order.store_id}/orders/{order.id}/")
    page.get_by_label("Tracking number").fill("1ZDEMO42")
    page.get_by_label("Carrier").fill("UPS")
    page.get_by_label("Method").fill("Ground")
    page.get_by_role("button", name="Add shipment").click()
    page.get_by_test_id("salesforce-sync").first.wait_for()
    expected = f"UPS Ground, 1ZDEMO42, shipped {timezone.now().date().isoformat()}"
    runner = EmbeddedRunner(workers=1)
    try:
        assert runner.sweep() == 1  # one tick: the store's pushes are due, and started
    finally:
        runner.stop()  # waits for the started work to finish
    values = [tracking_org.record("OrderItem", rid)["Tracking_Number__c"] for rid in record_ids]
    assert values == [expected, expected]
    page.reload()
    assert page.get_by_test_id("salesforce-sync").first.inner_text().startswith("In Salesforce")
