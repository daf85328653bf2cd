"""API authentication: Order Desk's ORDERDESK-STORE-ID and ORDERDESK-API-KEY headers.

A request that authenticates also takes a token from its store's rate-limit bucket, so the
limit counts exactly the requests a store makes (unauthenticated noise cannot drain it).
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import APIKeyHeader

from orderhub.api.errors import NotAuthenticated, RateLimited
from orderhub.api.ratelimit import store_buckets
from orderhub.stores.models import Store
from orderhub.stores.queries import store_for_api_key

STORE_ID_HEADER = "ORDERDESK-STORE-ID"
API_KEY_HEADER = "ORDERDESK-API-KEY"
TOKENS_ATTRIBUTE = "_orderhub_tokens_remaining"


class StoreApiKey(APIKeyHeader):
    """The store whose id and key match; 401 naming the problem otherwise."""

    param_name = API_KEY_HEADER

    def authenticate(self, request: HttpRequest, key: str | None) -> Store:
        store_id = request.headers.get(STORE_ID_HEADER)
        missing = [
            name
            for name, value in ((STORE_ID_HEADER, store_id), (API_KEY_HEADER, key))
            if not value
        ]
        if missing:
            raise NotAuthenticated(f"Missing header: {', '.join(missing)}")
        store = store_for_api_key(store_id, key)
        if store is None:
            raise NotAuthenticated(f"Invalid {STORE_ID_HEADER} or {API_KEY_HEADER}")
        decision = store_buckets.take(store.id)
        setattr(request, TOKENS_ATTRIBUTE, decision.tokens_remaining)
        if not decision.allowed:
            raise RateLimited(decision.retry_after)
        return store
