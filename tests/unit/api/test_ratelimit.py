"""The leaky bucket on its own: refill arithmetic and exactness across threads."""

from __future__ import annotations

import threading

from orderhub.api.ratelimit import LeakyBucket


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
