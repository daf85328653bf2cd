"""Manage Integrations: the providers in the registry, by category, with a search box."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_POST

from orderhub.integrations import registry, services
from orderhub.integrations.base import Category, Provider
from orderhub.integrations.queries import integration_for, integrations_by_provider
from orderhub.stores.models import Store
from orderhub.web.access import store_for_request


def settings_url(provider: Provider, store: Store) -> str | None:
    """The provider's own settings page for this store, when it has one."""
    if not provider.settings_url_name:
        return None
    try:
        return reverse(provider.settings_url_name, kwargs={"store_id": store.id})
    except NoReverseMatch:
        return None


@login_required
@require_GET
def integration_list(request: HttpRequest, store_id: int) -> HttpResponse:
    store = store_for_request(request, store_id)
    categories = list(Category)
    category = next((c for c in categories if c.value == request.GET.get("category")), None)
    search = request.GET.get("q", "")[:100]
    installed = integrations_by_provider(store)
    entries = [
        {
            "provider": provider,
            "integration": installed.get(provider.key),
            "settings_url": settings_url(provider, store),
        }
        for provider in registry.all_providers(category=category, search=search)
    ]
    context = {
        "store": store,
        "categories": categories,
        "category": category,
        "q": search,
        "entries": entries,
    }
    return render(request, "web/integrations/list.html", context)


def _provider(key: str) -> Provider:
    provider = registry.get(key)
    if provider is None:
        raise Http404("No such integration")
    return provider


@login_required
@require_POST
def enable_integration(request: HttpRequest, store_id: int, key: str) -> HttpResponse:
    """Enable the provider for the store and open its settings page."""
    store = store_for_request(request, store_id)
    provider = _provider(key)
    services.enable(store, provider.key, actor=request.user)
    messages.success(request, f"{provider.name} is enabled")
    target = settings_url(provider, store)
    return redirect(target) if target else redirect("web:integrations", store_id=store.id)


@login_required
@require_POST
def disable_integration(request: HttpRequest, store_id: int, key: str) -> HttpResponse:
    store = store_for_request(request, store_id)
    provider = _provider(key)
    integration = integration_for(store, provider.key)
    if integration is not None and integration.enabled:
        services.disable(integration, actor=request.user)
        messages.success(request, f"{provider.name} is disabled")
    return redirect("web:integrations", store_id=store.id)
