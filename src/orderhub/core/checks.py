"""System checks: misconfiguration fails `orderhub check` (and startup) with an id."""

from __future__ import annotations

from cryptography.fernet import Fernet
from django.core.checks import Error, register

from orderhub.core.encryption import configured_keys


@register()
def fernet_keys(app_configs, **kwargs):
    keys = configured_keys()
    if not keys:
        return [
            Error(
                "No encryption key for secrets at rest.",
                hint="Set ORDERHUB_FERNET_KEYS to one or more keys from "
                "`python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`.",
                id="orderhub.E001",
            )
        ]
    errors = []
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode())
        except ValueError:
            errors.append(
                Error(
                    f"Key {position} in ORDERHUB_FERNET_KEYS is not a valid Fernet key.",
                    hint="A Fernet key is 32 url-safe base64-encoded bytes.",
                    id="orderhub.E002",
                )
            )
    return errors
