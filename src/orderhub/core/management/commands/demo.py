"""`orderhub demo`: the whole product for a newcomer, with nothing to configure.

It seeds (once) and starts the local Salesforce emulator, creates the demo user and store,
connects the store to the emulator through the same code a person's connection uses,
sets sensible Salesforce settings, runs a first import with a progress bar, then serves
OrderHub. A second run reuses everything that is already there.
"""

from __future__ import annotations

import json
import socket
from contextlib import ExitStack
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from orderhub.stores.models import Store
from orderhub.stores.services import create_store

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "orderhub-demo"
DEMO_STORE = "Demo Store"
DEMO_SALESFORCE_SETTINGS = {
    "check_interval_minutes": 5,
    "filter_field": "Status",
    "filter_value": "Activated",
    "order_prefix": "SF-",
    "sync_tracking_numbers": True,
    "shipment_details_field": "Tracking_Number__c",
    "advanced_enabled": True,
    "rule_builder_order_objects": ["Sales_Order__c"],
    "rule_builder_item_objects": ["Sales_Order_Line__c"],
    "custom_order_fields": [
        {"field": "Gift_Message__c", "destination": "checkout_data", "key": "Gift Message"},
        {"field": "Channel__c", "destination": "metadata", "key": "channel"},
    ],
    "custom_item_fields": [
        {"field": "Gift_Wrap__c", "destination": "variation", "key": "Gift wrap"},
    ],
}


def port_is_free(host: str, port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex((host, port)) != 0


class Command(BaseCommand):
    help = "Start the demo: emulator, demo store connected to it, first import, then serve."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--emulator-port", type=int, default=8443)
        parser.add_argument("--orders", type=int, default=300, help="Orders to seed the first time")
        parser.add_argument(
            "--no-serve", action="store_true", help="Set everything up, then stop (no web server)"
        )

    def handle(self, *args, host, port, emulator_port, orders, no_serve, **options):
        from salesforce_emulator.testing import emulator_subprocess

        call_command("migrate", interactive=False, verbosity=0)
        _user, store = self._user_and_store()
        if not port_is_free("127.0.0.1", emulator_port):
            raise CommandError(
                f"Port {emulator_port} is taken: stop what uses it or pass --emulator-port"
            )
        with ExitStack() as stack:
            org = stack.enter_context(
                emulator_subprocess(settings.VAR_DIR / "salesforce-emulator", port=emulator_port)
            )
            self._seed_once(org, orders)
            self._trust(org, host, port)
            integration = self._connect(store, org)
            self._first_import(store, integration)
            self.stdout.write("")
            self.stdout.write(self.style.SUCCESS(f"OrderHub: http://{host}:{port}/"))
            self.stdout.write(f"Sign in as {DEMO_EMAIL} / {DEMO_PASSWORD}")
            self.stdout.write(f"Salesforce emulator: {org.instance_url} (user {org.username})")
            if not no_serve:
                call_command("serve", host=host, port=port, no_migrate=True)

    def _user_and_store(self):
        users = get_user_model().objects
        with transaction.atomic():
            user = users.filter(username=DEMO_EMAIL).first()
            if user is None:
                user = users.create_superuser(DEMO_EMAIL, DEMO_EMAIL, DEMO_PASSWORD)
            store = Store.objects.filter(name=DEMO_STORE, membership__user=user).first()
            if store is None:
                store = create_store(
                    DEMO_STORE, actor=None, owner=user, timezone="America/New_York"
                )
        return user, store

    def _seed_once(self, org, orders: int) -> None:
        if org.records("Account"):
            self.stdout.write("Salesforce emulator: reusing its data.")
            return
        self.stdout.write(f"Salesforce emulator: seeding {orders} orders...")
        org.seed(orders=orders, items_per_order=3, seed=1)

    def _trust(self, org, host: str, port: int) -> None:
        """Let "Connect To Salesforce" use the emulator's connected app and trust its CA."""
        callbacks = {
            f"http://{name}:{port}/integrations/salesforce/callback/"
            for name in {host, "127.0.0.1", "localhost"}
        }
        app = next(a for a in org.info()["connected_apps"] if a["client_id"] == org.client_id)
        org.register_app(
            org.client_id, org.client_secret, sorted(callbacks | set(app["callback_urls"]))
        )
        (settings.VAR_DIR / "salesforce_app.json").write_text(
            json.dumps(
                {
                    "client_id": org.client_id,
                    "client_secret": org.client_secret,
                    "ca_bundle": org.ca_cert,
                    "login_url": org.instance_url,
                },
                indent=2,
            )
        )

    def _connect(self, store, org):
        from orderhub.integrations.queries import integration_for
        from orderhub.integrations.salesforce.connection import connect_with_client_credentials
        from orderhub.integrations.salesforce.services import settings_of, update_settings

        integration = integration_for(store, "salesforce")
        if integration is None or not integration.credentials:
            integration = connect_with_client_credentials(
                store,
                endpoint_url=org.instance_url,
                client_id=org.client_id,
                client_secret=org.client_secret,
                ca_bundle=org.ca_cert,
                actor=None,
            )
            data = settings_of(integration).model_dump(mode="json") | DEMO_SALESFORCE_SETTINGS
            update_settings(integration, data, actor=None)
            self.stdout.write("Connected the demo store to the Salesforce emulator.")
        return integration

    def _first_import(self, store, integration) -> None:
        from orderhub.integrations.salesforce.models import ImportRun

        if ImportRun.objects.filter(integration=integration, status="succeeded").exists():
            return
        call_command("salesforce-import", str(store.id), since=date(2000, 1, 1).isoformat())
