"""The per-store leaky bucket: X-Tokens-Remaining always, 429 + X-Retry-After when empty."""

from __future__ import annotations

import threading
import time

import pytest

from orderhub.api.ratelimit import LeakyBucket
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


def test_bucket_is_exact_across_threads(settings):
    settings.ORDERHUB_API_BUCKET_SIZE = 50
    settings.ORDERHUB_API_REFILL_PER_SECOND = 0.001
    bucket = LeakyBucket()
    allowed = []
    lock = threading.Lock()

    def client():
        for _ in range(20):
            decision = bucket.take(7)
            with lock:
                allowed.append(decision.allowed)

    threads = [threading.Thread(target=client) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert allowed.count(True) == 50
    assert allowed.count(False) == 8 * 20 - 50


def test_leaky_bucket_refill_arithmetic(settings):
    settings.ORDERHUB_API_BUCKET_SIZE = 20
    settings.ORDERHUB_API_REFILL_PER_SECOND = 3
    now = [0.0]
    bucket = LeakyBucket(clock=lambda: now[0])
    decisions = [bucket.take(1) for _ in range(21)]
    assert [d.tokens_remaining for d in decisions[:3]] == [19, 18, 17]
    assert decisions[19].allowed and not decisions[20].allowed
    assert decisions[20].retry_after == 1
    now[0] = 1.0  # three tokens back after a second
    assert [bucket.take(1).allowed for _ in range(4)] == [True, True, True, False]
    now[0] = 100.0  # never more than the bucket holds
    assert bucket.take(1).tokens_remaining == 19
