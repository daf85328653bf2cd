"""An operator enables Salesforce, connects it to the emulated org through the real OAuth
redirects in Chromium, and saves a configuration whose options come from the org."""

from __future__ import annotations

import pytest

from orderhub.integrations.models import StoreIntegration
from orderhub.integrations.salesforce.services import settings_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def emulated_org(tmp_path_factory):
    from salesforce_emulator.testing import running_emulator

    with running_emulator(tmp_path_factory.mktemp("sf-e2e")) as handle:
        yield handle


@pytest.fixture
def sf_page(browser, live_server, user, emulated_org, monkeypatch):
    """A signed-in browser that accepts the emulator's certificate, with OrderHub's connected
    app pointing at the emulator and its callback at the live server."""
    from django.conf import settings
    from django.test import Client

    callback = f"{live_server.url}/integrations/salesforce/callback/"
    emulated_org.register_app(emulated_org.client_id, emulated_org.client_secret, [callback])
    monkeypatch.setenv("ORDERHUB_SALESFORCE_CLIENT_ID", emulated_org.client_id)
    monkeypatch.setenv("ORDERHUB_SALESFORCE_CLIENT_SECRET", emulated_org.client_secret)
    monkeypatch.setenv("ORDERHUB_SALESFORCE_CA_BUNDLE", emulated_org.ca_cert)
    context = browser.new_context(
        base_url=live_server.url, ignore_https_errors=True, viewport={"width": 1400, "height": 1000}
    )
    context.set_default_timeout(15_000)
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )
    yield context.new_page()
    context.close()


def connect_through_consent(page, store, org, *, decision: str) -> None:
    page.goto(f"/stores/{store.id}/integrations/?q=Salesforce")
    page.get_by_role("button", name="Enable and set up").click()
    page.get_by_label("Log in to").select_option("my_domain")
    page.get_by_label("My Domain URL").fill(org.instance_url)
    page.get_by_role("button", name="Connect To Salesforce").click()
    page.wait_for_url(f"{org.instance_url}/services/oauth2/authorize*")
    page.locator(f"#{decision}").click()
    page.wait_for_url(f"**/stores/{store.id}/integrations/salesforce/")


def test_connect_through_the_consent_page_and_save_settings(sf_page, store, emulated_org):
    page = sf_page
    connect_through_consent(page, store, emulated_org, decision="allow")
    assert page.get_by_text("Connected to Salesforce.").is_visible()
    assert page.get_by_test_id("connection-status").inner_text() == "Connected"
    # Options come from the org: the filter value list follows the chosen field (htmx).
    page.get_by_label("Order Filter Field").select_option("Status")
    page.get_by_test_id("filter-value-picklist").select_option("Activated")
    page.get_by_label("Order Prefix").fill("SF-")
    page.get_by_label("Check for New Orders").select_option("30")
    page.get_by_label("Order Shipment Details").select_option("Tracking_Number__c")
    page.get_by_label("Sync Tracking Numbers").check()
    page.get_by_role("button", name="Save settings").first.click()
    assert page.get_by_text("Salesforce settings saved.").is_visible()
    integration = StoreIntegration.objects.get(store=store, provider="salesforce")
    saved = settings_of(integration)
    assert (saved.filter_field, saved.filter_value, saved.order_prefix) == (
        "Status",
        "Activated",
        "SF-",
    )
    assert saved.sync_tracking_numbers and saved.check_interval_minutes == 30
    assert integration.next_check_at is not None


def test_deny_shows_that_nothing_was_connected(sf_page, store, emulated_org):
    connect_through_consent(sf_page, store, emulated_org, decision="deny")
    assert sf_page.get_by_text("Salesforce did not connect").is_visible()
    integration = StoreIntegration.objects.get(store=store, provider="salesforce")
    assert integration.credentials == ""
