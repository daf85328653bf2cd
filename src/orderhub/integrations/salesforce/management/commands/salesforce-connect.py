"""`orderhub salesforce-connect STORE --endpoint URL --client-id ID --client-secret SECRET`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from orderhub.integrations.errors import IntegrationError
from orderhub.integrations.salesforce.connection import (
    connect_with_client_credentials,
    default_ca_bundle,
)
from orderhub.integrations.salesforce.management.commands._store import find_store


class Command(BaseCommand):
    help = "Connect a store to Salesforce with a connected app's client credentials."

    def add_arguments(self, parser):
        parser.add_argument("store", help="Store id or exact name")
        parser.add_argument(
            "--endpoint", required=True, help="e.g. https://yoursite.my.salesforce.com"
        )
        parser.add_argument("--client-id", required=True)
        parser.add_argument("--client-secret", required=True)
        parser.add_argument(
            "--ca-bundle", default="", help="PEM file of a CA to trust (the emulator's)"
        )

    def handle(self, *args, store, endpoint, client_id, client_secret, ca_bundle, **options):
        target = find_store(store)
        try:
            integration = connect_with_client_credentials(
                target,
                endpoint_url=endpoint,
                client_id=client_id,
                client_secret=client_secret,
                ca_bundle=ca_bundle or default_ca_bundle(),
                actor=None,
            )
        except IntegrationError as exc:
            raise CommandError(f"Salesforce did not connect: {exc}") from exc
        self.stdout.write(
            f"Connected store {target.id} ({target.name}) to Salesforce org {integration.external_id}."
        )
