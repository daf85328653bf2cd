"""Finding the store a command is about, by id or exact name."""

from __future__ import annotations

from django.core.management.base import CommandError

from orderhub.integrations.models import StoreIntegration
from orderhub.integrations.queries import integration_for
from orderhub.stores.models import Store


def find_store(value: str) -> Store:
    store = Store.objects.filter(id=int(value)).first() if value.isdigit() else None
    store = store or Store.objects.filter(name=value).first()
    if store is None:
        raise CommandError(f"No store with id or name {value!r} (see `orderhub createstore`)")
    return store


def find_integration(value: str) -> StoreIntegration:
    store = find_store(value)
    integration = integration_for(store, "salesforce")
    if integration is None or not integration.credentials:
        raise CommandError(
            f"{store.name} is not connected to Salesforce: run `orderhub salesforce-connect {store.id} "
            "--endpoint URL --client-id ID --client-secret SECRET` first"
        )
    return integration
