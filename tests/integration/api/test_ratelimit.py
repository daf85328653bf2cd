"""The per-store leaky bucket: X-Tokens-Remaining always, 429 + X-Retry-After when empty."""

from __future__ import annotations

import time

import pytest

from orderhub.orders.models import Order

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_bucket(settings):
    settings.ORDERHUB_API_BUCKET_SIZE = 3
    settings.ORDERHUB_API_REFILL_PER_SECOND = 0.001  # effectively no refill during a test


def test_tokens_count_down_then_429(api, small_bucket):
    remaining = [api.get("/test")["X-Tokens-Remaining"] for _ in range(3)]
    assert remaining == ["2", "1", "0"]
    limited = api.get("/test")
    assert limited.status_code == 429
    assert limited["X-Tokens-Remaining"] == "0"
    assert int(limited["X-Retry-After"]) >= 1
    assert limited.json()["status"] == "error"
    assert "Rate limit" in limited.json()["message"]


def test_a_limited_write_changes_nothing(api, small_bucket):
    for _ in range(3):
        api.get("/test")
    body = {"shipping": {"company": "X"}, "order_items": [{"name": "y"}]}
    assert api.post("/orders", body).status_code == 429
    assert Order.objects.count() == 0


def test_errors_also_cost_a_token_and_carry_the_header(api, small_bucket):
    response = api.get("/orders/424242")
    assert response.status_code == 404
    assert response["X-Tokens-Remaining"] == "2"


def test_each_store_has_its_own_bucket(api, other_api, small_bucket):
    for _ in range(3):
        api.get("/test")
    assert api.get("/test").status_code == 429
    assert other_api.get("/test").status_code == 200


def test_unauthenticated_requests_do_not_drain_a_store(api, store, small_bucket):
    from integration.api.apiclient import ApiClient

    intruder = ApiClient(store.id, "guess")
    for _ in range(5):
        assert intruder.get("/test").status_code == 401
    assert api.get("/test")["X-Tokens-Remaining"] == "2"


def test_tokens_drip_back(api, settings):
    settings.ORDERHUB_API_BUCKET_SIZE = 2
    settings.ORDERHUB_API_REFILL_PER_SECOND = 10  # one token every 100 ms
    # Empty the bucket however slow the machine is (tokens keep dripping meanwhile).
    for _ in range(100):
        if api.get("/test").status_code == 429:
            break
    else:
        pytest.fail("the bucket never ran empty")
    time.sleep(0.15)
    assert api.get("/test").status_code == 200
