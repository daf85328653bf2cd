"""Manage Integrations: what the registry holds, by category and search; enable, disable."""

from __future__ import annotations

import pytest
from django.urls import reverse
from pydantic import BaseModel

from orderhub.integrations import registry
from orderhub.integrations.base import Category, Provider
from orderhub.integrations.queries import integration_for

pytestmark = pytest.mark.django_db


class NoSettings(BaseModel):
    pass


@pytest.fixture
def providers(monkeypatch):
    """Two throwaway providers, removed from the registry after the test."""
    cart = Provider(
        key="test-cart",
        name="Test Cart",
        description="Imports orders from a <b>test</b> cart",
        category=Category.SHOPPING_CARTS,
        settings_model=NoSettings,
        settings_url_name="web:store_details",
    )
    labels = Provider(
        key="test-labels",
        name="Test Labels",
        description="Prints shipping labels",
        category=Category.SHIPPING,
        settings_model=NoSettings,
    )
    for provider in (cart, labels):
        monkeypatch.setitem(registry._providers, provider.key, provider)
    return cart, labels


def names(response) -> list[str]:
    return [entry["provider"].name for entry in response.context["entries"]]


def test_lists_the_registry_by_category_and_search(client_in, store, providers):
    url = reverse("web:integrations", args=[store.id])
    everything = client_in.get(url)
    assert {"Test Cart", "Test Labels"} <= set(names(everything))
    html = everything.content.decode()
    for tab in ("Shopping Carts", "Shipping", "Productivity"):
        assert tab in html
    assert "&lt;b&gt;test&lt;/b&gt;" in html
    assert "Test Labels" in names(client_in.get(url, {"category": "Shipping"}))
    assert "Test Cart" not in names(client_in.get(url, {"category": "Shipping"}))
    assert names(client_in.get(url, {"category": "Productivity", "q": "test"})) == []
    assert names(client_in.get(url, {"q": "labels"})) == ["Test Labels"]
    empty = client_in.get(url, {"q": "nothing like this"})
    assert "No integration matches" in empty.content.decode()


def test_enable_opens_the_providers_settings_page(client_in, store, providers):
    response = client_in.post(reverse("web:enable_integration", args=[store.id, "test-cart"]))
    assert response["Location"] == reverse("web:store_details", args=[store.id])
    assert integration_for(store, "test-cart").enabled
    listed = client_in.get(reverse("web:integrations", args=[store.id])).content.decode()
    assert "Enabled" in listed and "Disable" in listed


def test_enable_without_a_settings_page_returns_to_the_list(client_in, store, providers):
    response = client_in.post(reverse("web:enable_integration", args=[store.id, "test-labels"]))
    assert response["Location"] == reverse("web:integrations", args=[store.id])


def test_disable(client_in, store, providers):
    client_in.post(reverse("web:enable_integration", args=[store.id, "test-labels"]))
    response = client_in.post(
        reverse("web:disable_integration", args=[store.id, "test-labels"]), follow=True
    )
    assert b"Test Labels is disabled" in response.content
    assert not integration_for(store, "test-labels").enabled


def test_unknown_provider_is_404(client_in, store):
    url = reverse("web:enable_integration", args=[store.id, "nope"])
    assert client_in.post(url).status_code == 404
    assert client_in.get(url).status_code == 405
