"""Fixtures for the pages: a signed-in client and an order made through the services."""

from __future__ import annotations

import pytest
from django.test import Client

from integration.web.pages import make_order


@pytest.fixture
def client_in(client: Client, user) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def order(store):
    return make_order(store)


@pytest.fixture
def htmx() -> dict:
    return {"HTTP_HX_REQUEST": "true"}
