"""The registry of integration providers; each provider registers in its AppConfig.ready()."""

from __future__ import annotations

from orderhub.integrations.base import Category, Provider

_providers: dict[str, Provider] = {}


class DuplicateProvider(Exception):
    pass


def register(provider: Provider) -> Provider:
    existing = _providers.get(provider.key)
    if existing is not None and existing != provider:
        raise DuplicateProvider(f"Another provider is registered as {provider.key!r}")
    _providers[provider.key] = provider
    return provider


def get(key: str) -> Provider | None:
    return _providers.get(key)


def all_providers(*, category: Category | None = None, search: str = "") -> list[Provider]:
    providers = sorted(_providers.values(), key=lambda p: p.name.lower())
    return [
        p for p in providers if (category is None or p.category == category) and p.matches(search)
    ]
