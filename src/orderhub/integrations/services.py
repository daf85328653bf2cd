"""The write path for StoreIntegrations: enable, disable, settings, credentials, status."""

from __future__ import annotations

import json

from django.db import transaction
from django.utils import timezone
from pydantic import BaseModel, ValidationError

from orderhub.core.encryption import decrypt, encrypt
from orderhub.integrations import registry
from orderhub.integrations.models import StoreIntegration
from orderhub.stores.models import Store


class UnknownProvider(Exception):
    pass


class InvalidSettings(Exception):
    """Settings that do not validate; `errors` maps each setting to what is wrong with it."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = errors


def validation_errors(error: ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for problem in error.errors():
        key = ".".join(str(part) for part in problem["loc"]) or "__all__"
        errors.setdefault(key, problem["msg"].removeprefix("Value error, "))
    return errors


@transaction.atomic
def enable(store: Store, provider_key: str, *, actor) -> StoreIntegration:
    provider = registry.get(provider_key)
    if provider is None:
        raise UnknownProvider(f"No integration called {provider_key!r}")
    integration, created = StoreIntegration.objects.get_or_create(
        store=store,
        provider=provider_key,
        defaults={"config": provider.settings_model().model_dump(mode="json")},
    )
    if not created and not integration.enabled:
        integration.enabled = True
        integration.save(update_fields=["enabled", "updated_at"])
    return integration


@transaction.atomic
def disable(integration: StoreIntegration, *, actor) -> StoreIntegration:
    integration.enabled = False
    integration.next_check_at = None
    integration.save(update_fields=["enabled", "next_check_at", "updated_at"])
    return integration


def validate_settings(integration: StoreIntegration, data: dict) -> BaseModel:
    provider = registry.get(integration.provider)
    try:
        return provider.settings_model.model_validate(data)
    except ValidationError as exc:
        raise InvalidSettings(validation_errors(exc)) from None


@transaction.atomic
def save_settings(integration: StoreIntegration, settings: BaseModel, *, actor) -> StoreIntegration:
    """Store already-validated settings (see the provider's own update_settings)."""
    integration.config = settings.model_dump(mode="json")
    integration.save(update_fields=["config", "updated_at"])
    return integration


def read_credentials(integration: StoreIntegration) -> dict:
    return json.loads(decrypt(integration.credentials)) if integration.credentials else {}


@transaction.atomic
def store_credentials(
    integration: StoreIntegration, credentials: dict, *, actor, external_id: str = ""
) -> StoreIntegration:
    integration.credentials = encrypt(json.dumps(credentials)) if credentials else ""
    integration.external_id = external_id or integration.external_id
    integration.status = (
        StoreIntegration.Status.CONNECTED if credentials else StoreIntegration.Status.NOT_CONNECTED
    )
    integration.last_error = ""
    integration.save(
        update_fields=["credentials", "external_id", "status", "last_error", "updated_at"]
    )
    return integration


@transaction.atomic
def mark_status(
    integration: StoreIntegration, status: str, *, actor, error: str = ""
) -> StoreIntegration:
    integration.status = status
    integration.last_error = error
    integration.last_error_at = timezone.now() if error else integration.last_error_at
    integration.save(update_fields=["status", "last_error", "last_error_at", "updated_at"])
    return integration
