"""Order Desk's rate limit: a leaky bucket per store (20 requests, refilling 3 per second).

State lives in process memory, guarded by one lock. `orderhub serve` is one process with
a pool of threads, so a dict behind a lock is exact for it and costs nothing per request;
keeping the bucket in the database would add a write to every request, and on SQLite every
write takes the single writer lock that order writes need. A deployment that runs several
API processes gets one bucket per process (a store can then go up to N times faster);
that deployment should move this state to a shared store.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Decision:
    allowed: bool
    tokens_remaining: int
    retry_after: int  # whole seconds until a token is back; 0 when allowed


class LeakyBucket:
    """Tokens per key; each request takes one, and tokens drip back at a steady rate."""

    def __init__(self, clock=time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[int, tuple[float, float]] = {}  # key -> (tokens, last update)

    def take(self, key: int) -> Decision:
        # Read on every call so that a settings change (or a test override) applies at once.
        size = float(settings.ORDERHUB_API_BUCKET_SIZE)
        refill = float(settings.ORDERHUB_API_REFILL_PER_SECOND)
        with self._lock:
            now = self._clock()
            tokens, last = self._buckets.get(key, (size, now))
            tokens = min(size, tokens + (now - last) * refill)
            if tokens >= 1:
                tokens -= 1
                self._buckets[key] = (tokens, now)
                return Decision(True, math.floor(tokens), 0)
            self._buckets[key] = (tokens, now)
        wait = (1 - tokens) / refill if refill > 0 else 3600
        return Decision(False, 0, max(1, math.ceil(wait)))

    def reset(self) -> None:
        with self._lock:
            self._buckets.clear()


store_buckets = LeakyBucket()
