"""Changing a store's Salesforce settings: parse, check against the org, then save."""

from __future__ import annotations

from django.utils import timezone

from orderhub.integrations import services as integration_services
from orderhub.integrations.models import StoreIntegration
from orderhub.integrations.salesforce.config import SalesforceSettings
from orderhub.integrations.salesforce.connection import gateway_for
from orderhub.integrations.salesforce.schema import OrgSchema
from orderhub.integrations.salesforce.validation import validate_against_org
from orderhub.integrations.services import InvalidSettings
from orderhub.stores.models import Folder


def settings_of(integration: StoreIntegration) -> SalesforceSettings:
    return SalesforceSettings.model_validate(integration.config or {})


def org_schema(integration: StoreIntegration) -> OrgSchema:
    return OrgSchema(integration, lambda: gateway_for(integration))


def check_settings(
    integration: StoreIntegration, data: dict, *, schema: OrgSchema | None = None
) -> SalesforceSettings:
    """Validated settings completed from describe, or InvalidSettings naming each problem."""
    settings = integration_services.validate_settings(integration, data)
    errors: dict[str, str] = {}
    if (
        settings.folder_id is not None
        and not Folder.objects.filter(store=integration.store_id, id=settings.folder_id).exists()
    ):
        errors["folder_id"] = f"Folder {settings.folder_id} is not one of this store's folders"
    settings, org_errors = validate_against_org(settings, schema or org_schema(integration))
    errors.update(org_errors)
    if errors:
        raise InvalidSettings(errors)
    return settings


def update_settings(
    integration: StoreIntegration, data: dict, *, actor, schema: OrgSchema | None = None
) -> SalesforceSettings:
    """Replace the settings with `data` when every value checks out; otherwise change nothing."""
    settings = check_settings(integration, data, schema=schema)
    previous = settings_of(integration)
    integration_services.save_settings(integration, settings, actor=actor)
    if settings.check_interval_minutes != previous.check_interval_minutes or (
        integration.next_check_at is None and settings.check_interval_minutes
    ):
        # A newly switched-on schedule checks at once; a changed one from now on.
        schedule_next_check(integration, settings, now=integration.next_check_at is None)
    return settings


def schedule_next_check(
    integration: StoreIntegration, settings: SalesforceSettings, *, now: bool = False
) -> None:
    minutes = settings.check_interval_minutes
    next_check = None
    if minutes:
        next_check = timezone.now() + (
            timezone.timedelta(0) if now else timezone.timedelta(minutes=minutes)
        )
    StoreIntegration.objects.filter(pk=integration.pk).update(next_check_at=next_check)
    integration.next_check_at = next_check
