"""Reads of StoreIntegrations for pages and jobs."""

from __future__ import annotations

from orderhub.integrations.models import StoreIntegration
from orderhub.stores.models import Store


def integrations_by_provider(store: Store) -> dict[str, StoreIntegration]:
    return {i.provider: i for i in StoreIntegration.objects.filter(store=store)}


def integration_for(store: Store, provider_key: str) -> StoreIntegration | None:
    return StoreIntegration.objects.filter(store=store, provider=provider_key).first()
