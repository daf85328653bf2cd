"""The demo's promise: a shipment added on the order page in Chromium reaches the Salesforce
item records within one tick of the embedded job runner, and the page says so."""

from __future__ import annotations

import time
from datetime import date

import pytest
from django.utils import timezone

from integration.salesforce.factory import OrgFactory
from orderhub.integrations.salesforce import importer
from orderhub.integrations.salesforce.connection import connect_with_client_credentials
from orderhub.integrations.salesforce.models import ImportRun
from orderhub.integrations.salesforce.services import settings_of, update_settings
from orderhub.jobs.runner import EmbeddedRunner
from orderhub.orders.models import Order

pytestmark = [pytest.mark.browser, pytest.mark.emulator, pytest.mark.django_db(transaction=True)]
TICK_SECONDS = 1.0


@pytest.fixture(scope="module")
def tracking_org(tmp_path_factory):
    from salesforce_emulator.testing import running_emulator

    with running_emulator(tmp_path_factory.mktemp("sf-e2e-tracking")) as handle:
        yield handle


@pytest.fixture
def salesforce_order(store, tracking_org):
    tracking_org.reset()
    OrgFactory.build(tracking_org).order(items=2)
    integration = connect_with_client_credentials(
        store,
        endpoint_url=tracking_org.instance_url,
        client_id=tracking_org.client_id,
        client_secret=tracking_org.client_secret,
        ca_bundle=tracking_org.ca_cert,
        actor=None,
    )
    data = settings_of(integration).model_dump(mode="json")
    data.update(sync_tracking_numbers=True, shipment_details_field="Tracking_Number__c")
    update_settings(integration, data, actor=None)
    run = ImportRun.objects.create(
        integration=integration, trigger=ImportRun.Trigger.COMMAND, since=date(2000, 1, 1)
    )
    assert importer.execute(run).status == ImportRun.Status.SUCCEEDED
    return Order.objects.get(store=store)


@pytest.fixture
def runner():
    embedded = EmbeddedRunner(workers=2, tick_seconds=TICK_SECONDS)
    embedded.start()
    yield embedded
    embedded.stop()


def test_shipment_added_on_the_order_page_reaches_salesforce_within_a_tick(
    signed_in, salesforce_order, tracking_org, runner
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
    added = time.monotonic()
    expected = f"UPS Ground, 1ZDEMO42, shipped {timezone.now().date().isoformat()}"
    values: list = []
    while time.monotonic() - added < 10 * TICK_SECONDS:
        values = [tracking_org.record("OrderItem", rid)["Tracking_Number__c"] for rid in record_ids]
        if values == [expected, expected]:
            break
        time.sleep(0.2)
    # Waiting is bounded by ticks, not asserted as a timing: the runner must do it unprompted.
    assert values == [expected, expected]
    page.reload()
    assert page.get_by_test_id("salesforce-sync").first.inner_text().startswith("In Salesforce")
