"""Take PNG screenshots of OrderHub's main pages for docs/user-guide.md.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

It builds its own demo database in a temporary directory (orders made through
`orders.services`, as the pages would make them), serves OrderHub with waitress on a free
port and drives Debian's Chromium with Playwright. Nothing outside --out is touched.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import sys
import tempfile
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from chromium import CHROMIUM, CHROMIUM_ARGS  # scripts/chromium.py, beside this script

ROOT = Path(__file__).resolve().parents[1]
EMAIL, PASSWORD = "demo@example.com", "orderhub-demo"

CUSTOMERS = [
    ("Maya", "Patel", "", "maya.patel@example.com", "12 Harbor Rd", "Portland", "ME", "04101"),
    (
        "Jonas",
        "Berg",
        "Berg Cycles",
        "jonas@bergcycles.example",
        "88 Pine St",
        "Boulder",
        "CO",
        "80302",
    ),
    ("Ava", "Thompson", "", "ava.t@example.net", "401 Lake Ave", "Madison", "WI", "53703"),
    ("Luis", "García", "", "luis.garcia@example.com", "9 Calle Sol", "Tucson", "AZ", "85701"),
    (
        "Grace",
        "Kim",
        "Kim & Co",
        "grace@kimco.example",
        "77 Market St",
        "San Francisco",
        "CA",
        "94105",
    ),
    ("Omar", "Haddad", "", "omar.h@example.org", "230 Elm St", "Dearborn", "MI", "48126"),
    (
        "Chloe",
        "Martin",
        "",
        "chloe.martin@example.com",
        "15 Rue Vert",
        "New Orleans",
        "LA",
        "70116",
    ),
    (
        "Ethan",
        "Brooks",
        "Trailhead Outfitters",
        "orders@trailhead.example",
        "5 Summit Way",
        "Bend",
        "OR",
        "97701",
    ),
    ("Sofia", "Rossi", "", "sofia.rossi@example.com", "61 Vine St", "Providence", "RI", "02903"),
    ("Noah", "Williams", "", "noah.w@example.com", "300 Main St", "Nashville", "TN", "37201"),
    ("Isabella", "Nguyen", "", "isa.nguyen@example.net", "48 Bay Blvd", "Houston", "TX", "77002"),
    ("Liam", "O'Connor", "", "liam.oconnor@example.com", "7 Clover Ln", "Boston", "MA", "02108"),
]
PRODUCTS = [
    (
        "Trail Runner Shoe",
        "TR-200",
        "89.00",
        {"Size": ["8", "9", "10", "11"], "Color": ["Slate", "Ember"]},
    ),
    ("Merino Wool Socks", "MW-SOCK", "18.50", {"Size": ["M", "L"]}),
    ("Insulated Bottle 750ml", "BTL-750", "32.00", {"Color": ["Moss", "Sky", "Sand"]}),
    ("Packable Rain Jacket", "RJ-PACK", "129.00", {"Size": ["S", "M", "L", "XL"]}),
    ("Headlamp 400lm", "HL-400", "45.00", {}),
    ("Camp Mug", "MUG-12", "14.00", {"Color": ["Enamel White", "Forest"]}),
]
CARRIERS = [
    ("UPS", "Ground", "1Z999AA1"),
    ("USPS", "Priority Mail", "9400111"),
    ("FedEx", "Home Delivery", "7712"),
]
SOURCES = ["Shopify", "WooCommerce", "Order Desk", "Amazon"]
GIFT_MESSAGES = ["Happy birthday, Sam!", "Congrats on the new trail!", "Enjoy the trip"]


def output_dir(description: str) -> Path:
    """The --out folder (created), after checking Chromium is there."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    if not os.path.exists(CHROMIUM):
        sys.exit("Chromium is not installed: run scripts/ensure_chromium.py")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    return out


@contextlib.contextmanager
def throwaway_orderhub(prefix: str) -> Iterator[Path]:
    """OrderHub set up on a fresh SQLite database in a temporary var directory."""
    with tempfile.TemporaryDirectory(prefix=prefix) as var:
        os.environ["ORDERHUB_VAR_DIR"] = var
        os.environ.pop("DATABASE_URL", None)
        os.environ["DJANGO_SETTINGS_MODULE"] = "orderhub.settings"
        # Playwright's sync API runs an event loop in this thread; the ORM is still safe here.
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        yield Path(var)


def main() -> None:
    out = output_dir(__doc__.splitlines()[0])
    with throwaway_orderhub("orderhub-screens-"):
        ids = build_demo()
        base_url, server = serve()
        try:
            take_screenshots(base_url, ids, out)
        finally:
            server.close()
    print(f"Screenshots written to {out}")


def build_demo() -> dict:
    """A store with realistic orders in several folders, a second store, an API key."""
    from django.contrib.auth import get_user_model

    from orderhub.orders import services
    from orderhub.orders.drafts import OrderDraft, ShipmentDraft
    from orderhub.stores.services import create_folder, create_store, regenerate_api_key

    rng = random.Random(7)
    user = get_user_model().objects.create_user(EMAIL, EMAIL, PASSWORD)
    store = create_store("Summit Supply Co.", actor=user, owner=user, timezone="America/New_York")
    create_store("Summit Wholesale", actor=user, owner=user)
    folders = {f.name: f for f in store.folders.all()}
    folders["Awaiting Stock"] = create_folder(store, "Awaiting Stock", actor=user)
    folders["Wholesale"] = create_folder(store, "Wholesale", actor=user)
    regenerate_api_key(store, actor=user)
    now = datetime.now(UTC)
    orders = []
    for number in range(48):
        first, last, company, email, street, city, state, postal = CUSTOMERS[
            number % len(CUSTOMERS)
        ]
        items = []
        for name, code, price, options in rng.sample(PRODUCTS, rng.randint(1, 3)):
            variations = {key: rng.choice(values) for key, values in options.items()}
            metadata = {"image": f"https://cdn.example.com/{code.lower()}.jpg"}
            items.append(
                {
                    "name": name,
                    "code": code,
                    "price": price,
                    "quantity": rng.choice([1, 1, 1, 2, 3]),
                    "weight": "0.8",
                    "variation_list": variations,
                    "metadata": metadata,
                }
            )
        folder = rng.choice(
            ["New"] * 5
            + ["Prepared"] * 3
            + ["Closed"] * 4
            + ["Awaiting Stock", "Wholesale" if company else "New"]
        )
        draft = OrderDraft.model_validate(
            {
                "source_id": str(10230 + number),
                "source_name": rng.choice(SOURCES),
                "email": email,
                "date_added": now - timedelta(hours=number * 7 + rng.randint(0, 5)),
                "shipping_method": rng.choice(["Ground", "2-Day", "Priority"]),
                "shipping": {
                    "first_name": first,
                    "last_name": last,
                    "company": company,
                    "address1": street,
                    "city": city,
                    "state": state,
                    "postal_code": postal,
                    "country": "US",
                    "phone": f"555-01{number:02d}",
                },
                "shipping_total": rng.choice(["0", "6.95", "12.50"]),
                "tax_total": str(Decimal(rng.randint(100, 900)) / 100),
                "payment_type": rng.choice(["Visa", "MasterCard", "PayPal"]),
                "cc_number": "4242424242424242",
                "cc_exp": "08/2029",
                "processor_response": f"Stripe: ch_{rng.randint(10**9, 10**10)}",
                "payment_status": "Captured",
                "tag_color": rng.choice(["", "", "", "red", "green", "blue"]),
                "checkout_data": {"Gift Message": rng.choice(GIFT_MESSAGES)}
                if number % 4 == 0
                else {},
                "order_metadata": {"fraud_protection_score": rng.randint(0, 30)},
                "discount_list": [{"name": "Spring sale", "code": "SPRING10", "amount": "10.00"}]
                if number % 5 == 0
                else [],
                "order_items": items,
                "folder_id": folders[folder].id,
            }
        )
        order = services.create_order(store, draft, actor=None, source=draft.source_name)
        orders.append(order)
        if folder == "Closed":
            carrier, method, prefix = rng.choice(CARRIERS)
            shipment = ShipmentDraft(
                tracking_number=f"{prefix}{rng.randint(10**9, 10**10)}",
                carrier_code=carrier,
                shipment_method=method,
            )
            services.add_shipment(order, shipment, actor=user, source="Web")
    showcase = orders[0]
    services.set_order_data(
        showcase,
        actor=user,
        source="Web",
        checkout_data={
            "Gift Message": "Happy birthday, Sam!",
            "Delivery Instructions": "Leave at the side door",
        },
    )
    services.set_address(
        showcase,
        "return_address",
        {
            "title": "Summit Supply Returns",
            "name": "Returns Desk",
            "address1": "1 Warehouse Rd",
            "city": "Albany",
            "state": "NY",
            "postal_code": "12203",
            "country": "US",
        },
        actor=user,
        source="Web",
    )
    services.update_order_details(
        showcase, actor=user, source="Web", tag_color="red", tag_name="Rush"
    )
    services.add_shipment(
        showcase,
        ShipmentDraft(
            tracking_number="1Z999AA10123456784",
            carrier_code="UPS",
            shipment_method="Ground",
            order_items=[showcase.items.first().id],
        ),
        actor=user,
        source="Web",
    )
    services.add_history_note(
        showcase, "Customer asked to ship before Friday.", actor=user, source="Web"
    )
    return {"store": store.id, "order": showcase.id, "folder": folders["New"].id}


def serve():
    from waitress.server import create_server

    from orderhub.wsgi import application

    server = create_server(application, host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    return f"http://127.0.0.1:{server.effective_port}", server


def take_screenshots(base_url: str, ids: dict, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    store, order = ids["store"], ids["order"]
    pages = [
        ("orders-list", f"/stores/{store}/folders/{ids['folder']}/orders/", False),
        ("all-orders-search", f"/stores/{store}/orders/?q=berg", False),
        ("order-page", f"/stores/{store}/orders/{order}/", True),
        ("add-order", f"/stores/{store}/orders/add/", False),
        ("store-settings-details", f"/stores/{store}/settings/", False),
        ("store-settings-folders", f"/stores/{store}/settings/folders/", False),
        ("store-settings-api", f"/stores/{store}/settings/api/", False),
        ("manage-integrations", f"/stores/{store}/integrations/", False),
        ("rule-builder", f"/stores/{store}/rules/", False),
    ]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": 1440, "height": 900}, device_scale_factor=1
        )
        page = context.new_page()
        page.goto(base_url + "/login/")
        page.screenshot(path=out / "login.png")
        page.fill("#id_username", EMAIL)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/orders/**")
        for name, path, full in pages:
            page.goto(base_url + path)
            page.screenshot(path=out / f"{name}.png", full_page=full)
        # The order page while checkout data is being edited in place.
        page.goto(base_url + f"/stores/{store}/orders/{order}/")
        page.click("#data-checkout_data >> text=Edit")
        page.wait_for_selector("#data-checkout_data form")
        page.locator("#data-checkout_data").screenshot(path=out / "order-edit-checkout-data.png")
        browser.close()


if __name__ == "__main__":
    main()
