"""Reads about stores: membership, folders with counts, API key checks."""

from __future__ import annotations

import hmac

from django.db.models import Count, QuerySet

from orderhub.core.encryption import decrypt
from orderhub.stores.models import ApiKey, Folder, Store
from orderhub.stores.services import hash_api_key


def stores_for_user(user) -> QuerySet[Store]:
    if not getattr(user, "is_authenticated", False):
        return Store.objects.none()
    return Store.objects.filter(membership__user=user).order_by("name", "id")


def store_for_user(user, store_id: int) -> Store | None:
    return stores_for_user(user).filter(id=store_id).first()


def folders_with_counts(store: Store) -> QuerySet[Folder]:
    return Folder.objects.filter(store=store).annotate(order_count=Count("orders"))


def folder_map(store: Store) -> dict[str, str]:
    return {str(f.id): f.name for f in Folder.objects.filter(store=store)}


def store_for_api_key(store_id: str | None, key: str | None) -> Store | None:
    """The store whose id and API key match, or None. Compares in constant time."""
    if not store_id or not key or not str(store_id).isdigit():
        return None
    api_key = ApiKey.objects.select_related("store").filter(store_id=int(store_id)).first()
    if api_key is None:
        return None
    if not hmac.compare_digest(api_key.key_hash, hash_api_key(key)):
        return None
    return api_key.store


def api_key_plaintext(store: Store) -> str | None:
    """The store's API key, for signing outgoing webhooks; None when it has none."""
    api_key = ApiKey.objects.filter(store=store).first()
    return decrypt(api_key.key_encrypted) if api_key else None
