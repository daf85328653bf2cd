"""Take PNG screenshots of the Salesforce pages for docs/salesforce.md.

    .venv/bin/python scripts/screenshots_salesforce.py [--out docs/screenshots]

Like scripts/screenshots.py it builds everything in a temporary directory: a Salesforce
emulator with seeded orders, a store connected to it with the demo settings, a first
import and a shipment written back; then Chromium photographs the pages.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from screenshots import (
    CHROMIUM,
    CHROMIUM_ARGS,
    EMAIL,
    PASSWORD,
    output_dir,
    serve,
    throwaway_orderhub,
)


def build(org) -> dict:
    from django.contrib.auth import get_user_model

    from orderhub.core.management.commands.demo import DEMO_SALESFORCE_SETTINGS
    from orderhub.integrations.salesforce import importer, tracking
    from orderhub.integrations.salesforce.connection import connect_with_client_credentials
    from orderhub.integrations.salesforce.models import ImportRun
    from orderhub.integrations.salesforce.services import settings_of, update_settings
    from orderhub.orders import services
    from orderhub.orders.drafts import ShipmentDraft
    from orderhub.orders.models import Order
    from orderhub.stores.services import create_store

    user = get_user_model().objects.create_user(EMAIL, EMAIL, PASSWORD)
    store = create_store("Trailhead Outfitters", actor=None, owner=user, timezone="America/Denver")
    integration = connect_with_client_credentials(
        store,
        endpoint_url=org.instance_url,
        client_id=org.client_id,
        client_secret=org.client_secret,
        ca_bundle=org.ca_cert,
        actor=None,
    )
    update_settings(
        integration,
        settings_of(integration).model_dump(mode="json") | DEMO_SALESFORCE_SETTINGS,
        actor=None,
    )
    run = ImportRun.objects.create(
        integration=integration, trigger=ImportRun.Trigger.MANUAL, since=date(2000, 1, 1)
    )
    run = importer.execute(run)
    order = Order.objects.filter(store=store).exclude(items=None).order_by("id").first()
    services.add_shipment(
        order,
        ShipmentDraft(
            tracking_number="1Z999AA10123456784", carrier_code="UPS", shipment_method="Ground"
        ),
        actor=user,
        source="Web",
    )
    tracking.drain(integration)
    return {"store": store.id, "order": order.id, "run": run.id}


def shoot(base_url: str, ids: dict, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    store = ids["store"]
    base = f"/stores/{store}/integrations/salesforce/"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
        page.goto(base_url + "/login/")
        page.fill("#id_username", EMAIL)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/orders/**")
        page.goto(base_url + base)
        page.screenshot(path=out / "salesforce-settings.png", full_page=True)
        page.fill("#id_since", "2024-01-01")
        page.get_by_role("button", name="Import Orders").click()
        page.wait_for_selector("[data-testid=import-preview]")
        page.locator("#manual-import").screenshot(path=out / "salesforce-manual-import.png")
        page.goto(base_url + base + "log/")
        page.screenshot(path=out / "salesforce-import-log.png")
        page.goto(base_url + f"/stores/{store}/orders/{ids['order']}/")
        page.screenshot(path=out / "salesforce-order-page.png", full_page=True)
        browser.close()


def main() -> None:
    out = output_dir(__doc__.splitlines()[0])
    with throwaway_orderhub("orderhub-sf-screens-") as var:
        from salesforce_emulator.testing import running_emulator

        with running_emulator(var / "org") as org:
            org.seed(orders=120, items_per_order=3, seed=1)
            ids = build(org)
            base_url, server = serve()
            try:
                shoot(base_url, ids, out)
            finally:
                server.close()
    print(f"Screenshots written to {out}")


if __name__ == "__main__":
    main()
