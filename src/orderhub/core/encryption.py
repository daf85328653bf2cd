"""Secrets at rest: Fernet with key rotation (MultiFernet).

Keys come from ORDERHUB_FERNET_KEYS (comma-separated, newest first). In embedded mode a
key is generated into the var directory on first use. Encrypting always uses the first
key; decrypting tries them all, so an old key can be retired after `rotate()`.
"""

from __future__ import annotations

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

from orderhub.config import env, generated_secret


class SecretUnreadable(Exception):
    """A stored secret cannot be decrypted with any configured key."""


def configured_keys() -> list[str]:
    keys = env("ORDERHUB_FERNET_KEYS")
    if keys:
        return [key.strip() for key in keys.split(",") if key.strip()]
    if settings.PRODUCTION:
        return []
    path = settings.VAR_DIR / "fernet.key"
    return [generated_secret(path, make=lambda: Fernet.generate_key().decode())]


@cache
def _fernet() -> MultiFernet:
    keys = configured_keys()
    if not keys:
        raise SecretUnreadable("No encryption key: set ORDERHUB_FERNET_KEYS")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise SecretUnreadable(
            "A stored secret cannot be decrypted: ORDERHUB_FERNET_KEYS no longer holds its key"
        ) from exc


def rotate(token: str) -> str:
    """Re-encrypt a token with the newest key."""
    return _fernet().rotate(token.encode()).decode()
