"""`orderhub salesforce-settings STORE --show` / `--set key=value ...` (JSON values allowed)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from orderhub.integrations.errors import IntegrationError
from orderhub.integrations.salesforce.config import SalesforceSettings
from orderhub.integrations.salesforce.management.commands._store import find_integration
from orderhub.integrations.salesforce.services import settings_of, update_settings
from orderhub.integrations.services import InvalidSettings


def parse_assignment(text: str) -> tuple[str, object]:
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise CommandError(f"{text!r}: write settings as key=value")
    if key not in SalesforceSettings.model_fields:
        known = ", ".join(SalesforceSettings.model_fields)
        raise CommandError(f"{key!r} is not a Salesforce setting; the settings are: {known}")
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        value = raw  # a bare word is text: order_prefix=SF-
    return key, value


class Command(BaseCommand):
    help = "Show or change a store's Salesforce settings, with the settings page's validation."

    def add_arguments(self, parser):
        parser.add_argument("store", help="Store id or exact name")
        parser.add_argument("--show", action="store_true", help="Print the settings as JSON")
        parser.add_argument("--set", nargs="+", metavar="KEY=VALUE", default=[], dest="assignments")

    def handle(self, *args, store, show, assignments, **options):
        if not show and not assignments:
            raise CommandError("Say --show or --set key=value ...")
        integration = find_integration(store)
        if assignments:
            data = settings_of(integration).model_dump(mode="json")
            data.update(parse_assignment(text) for text in assignments)
            try:
                update_settings(integration, data, actor=None)
            except InvalidSettings as exc:
                lines = "\n".join(f"  {key}: {message}" for key, message in exc.errors.items())
                raise CommandError(f"Nothing was changed:\n{lines}") from exc
            except IntegrationError as exc:
                raise CommandError(f"Nothing was changed: {exc}") from exc
            integration.refresh_from_db()
        if show or assignments:
            self.stdout.write(
                json.dumps(settings_of(integration).model_dump(mode="json"), indent=2)
            )
