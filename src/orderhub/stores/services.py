"""The write path for stores, memberships, folders and API keys."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max

from orderhub.core.encryption import encrypt
from orderhub.stores.models import DEFAULT_FOLDERS, ApiKey, Folder, Membership, Store


class FolderNameTaken(ValueError):
    """Another folder of the store already has this name."""


def hash_api_key(key: str) -> str:
    # API keys are 256-bit random tokens, so a fast hash is enough: there is nothing to
    # brute-force that a slow hash would protect.
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def create_store(
    name: str,
    *,
    actor: AbstractBaseUser | None,
    timezone: str = "UTC",
    owner: AbstractBaseUser | None = None,
) -> Store:
    store = Store(name=name.strip(), timezone=timezone)
    store.full_clean()
    store.save()
    Folder.objects.bulk_create(
        Folder(store=store, name=folder_name, position=position, is_default=True)
        for position, folder_name in enumerate(DEFAULT_FOLDERS)
    )
    if owner is not None:
        Membership.objects.create(user=owner, store=store, role=Membership.Role.OWNER)
    return store


@transaction.atomic
def add_member(
    store: Store, *, user: AbstractBaseUser, actor: AbstractBaseUser | None, role: str = "staff"
) -> Membership:
    membership, _ = Membership.objects.get_or_create(
        store=store, user=user, defaults={"role": role}
    )
    return membership


def _check_folder_name(store: Store, name: str, *, exclude_id: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise ValueError("Folder name cannot be empty")
    if len(name) > 100:
        raise ValueError("Folder name must be at most 100 characters")
    taken = Folder.objects.filter(store=store, name=name).exclude(id=exclude_id).exists()
    if taken:
        raise FolderNameTaken(f"A folder named {name!r} already exists")
    return name


@transaction.atomic
def create_folder(store: Store, name: str, *, actor: AbstractBaseUser | None) -> Folder:
    name = _check_folder_name(store, name)
    last = Folder.objects.filter(store=store).aggregate(last=Max("position"))["last"]
    return Folder.objects.create(store=store, name=name, position=(last or 0) + 1)


@transaction.atomic
def rename_folder(folder: Folder, name: str, *, actor: AbstractBaseUser | None) -> Folder:
    folder.name = _check_folder_name(folder.store, name, exclude_id=folder.id)
    folder.save(update_fields=["name"])
    return folder


@transaction.atomic
def update_store_details(
    store: Store, *, actor: AbstractBaseUser | None, name: str, timezone: str
) -> Store:
    store.name = name.strip()
    store.timezone = timezone
    store.full_clean()
    store.save(update_fields=["name", "timezone"])
    return store


@transaction.atomic
def regenerate_api_key(store: Store, *, actor: AbstractBaseUser | None) -> str:
    """Create (or replace) the store's API key and return it; it is never shown again."""
    key = secrets.token_urlsafe(32)
    ApiKey.objects.update_or_create(
        store=store,
        defaults={
            "key_hash": hash_api_key(key),
            "key_encrypted": encrypt(key),
            "hint": key[-4:],
            "created_by": actor if getattr(actor, "pk", None) else None,
        },
    )
    return key
