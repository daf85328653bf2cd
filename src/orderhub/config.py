"""Reading OrderHub's configuration from ORDERHUB_* environment variables.

Embedded mode (the default) keeps everything under the var directory and generates
what it needs there on first run; production mode takes every secret from the
environment and refuses to start without them.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    value = env(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def var_dir() -> Path:
    path = Path(env("ORDERHUB_VAR_DIR", "var")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def generated_secret(path: Path, make=lambda: secrets.token_urlsafe(50)) -> str:
    """Read a secret kept in the var directory, creating it on first use (embedded mode).

    Several processes may start at once on a fresh directory (test workers, a server and
    its CLI): the secret is written whole to a private file first and then linked into
    place, which only one of them can do; the others read the winner's.
    """
    if not path.exists():
        fd, draft = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # mode 0600
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(make())
            with contextlib.suppress(FileExistsError):
                os.link(draft, path)
        finally:
            os.unlink(draft)
    return path.read_text().strip()
