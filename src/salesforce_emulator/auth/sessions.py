"""Access tokens, refresh tokens and authorization codes, timed by the org's clock."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from .. import errors
from ..clock import Clock

CODE_TTL = timedelta(minutes=15)


@dataclass
class Session:
    token: str
    user_id: str
    username: str
    client_id: str | None
    expires_at_ms: int
    refresh_token: str | None = None


@dataclass
class RefreshGrant:
    token: str
    user_id: str
    username: str
    client_id: str
    scope: str
    access_tokens: set[str] = field(default_factory=set)


@dataclass
class AuthorizationCode:
    code: str
    client_id: str
    redirect_uri: str
    user_id: str
    username: str
    scope: str
    code_challenge: str | None
    code_challenge_method: str | None
    expires_at_ms: int


class SessionStore:
    """All live credentials of the org. Thread-safe."""

    def __init__(
        self, clock: Clock, org_id: str, ttl_seconds: int, refresh_file: Path | None = None
    ) -> None:
        self.clock = clock
        self.org_id = org_id
        self.ttl_seconds = ttl_seconds
        self._lock = threading.Lock()
        self._sessions: dict[str, Session] = {}
        self._refresh: dict[str, RefreshGrant] = {}
        self._codes: dict[str, AuthorizationCode] = {}
        # Refresh tokens survive a restart (as a real org's do); access tokens do not.
        self._refresh_file = refresh_file
        if refresh_file is not None and refresh_file.exists():
            for item in json.loads(refresh_file.read_text("utf-8")):
                self._refresh[item["token"]] = RefreshGrant(**item)

    def _save_refresh(self) -> None:
        if self._refresh_file is None:
            return
        data = [
            {"token": g.token, "user_id": g.user_id, "username": g.username, "client_id": g.client_id,
             "scope": g.scope}
            for g in self._refresh.values()
        ]  # fmt: skip
        tmp = self._refresh_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(data), "utf-8")
        tmp.chmod(0o600)
        tmp.replace(self._refresh_file)

    def issue(
        self, user_id: str, username: str, client_id: str | None, refresh_token: str | None = None
    ) -> Session:
        token = f"{self.org_id[:15]}!AQ{secrets.token_urlsafe(72)}"
        session = Session(
            token,
            user_id,
            username,
            client_id,
            self.clock.now_ms() + self.ttl_seconds * 1000,
            refresh_token,
        )
        with self._lock:
            self._sessions[token] = session
            if refresh_token and refresh_token in self._refresh:
                self._refresh[refresh_token].access_tokens.add(token)
        return session

    def authenticate(self, token: str | None) -> Session:
        """The live session for a bearer token, or INVALID_SESSION_ID."""
        with self._lock:
            session = self._sessions.get(token or "")
            if session is None:
                raise errors.InvalidSessionId()
            if session.expires_at_ms <= self.clock.now_ms():
                del self._sessions[session.token]
                raise errors.InvalidSessionId()
            return session

    def expire_all(self) -> int:
        """Expire every access token now (refresh tokens stay valid)."""
        with self._lock:
            count = len(self._sessions)
            self._sessions.clear()
            return count

    def new_refresh_token(
        self, user_id: str, username: str, client_id: str, scope: str
    ) -> RefreshGrant:
        grant = RefreshGrant(
            "5Aep" + secrets.token_urlsafe(64), user_id, username, client_id, scope
        )
        with self._lock:
            self._refresh[grant.token] = grant
            self._save_refresh()
        return grant

    def refresh_grant(self, token: str) -> RefreshGrant | None:
        with self._lock:
            return self._refresh.get(token)

    def revoke(self, token: str) -> bool:
        """Revoke an access or refresh token; a refresh token takes its access tokens with it."""
        with self._lock:
            if token in self._sessions:
                del self._sessions[token]
                return True
            grant = self._refresh.pop(token, None)
            if grant is None:
                return False
            for access in grant.access_tokens:
                self._sessions.pop(access, None)
            self._save_refresh()
            return True

    def new_code(self, **kwargs) -> AuthorizationCode:
        code = AuthorizationCode(
            code="aPrx" + secrets.token_urlsafe(48),
            expires_at_ms=self.clock.now_ms() + int(CODE_TTL.total_seconds() * 1000),
            **kwargs,
        )
        with self._lock:
            self._codes[code.code] = code
        return code

    def take_code(self, code: str) -> AuthorizationCode | None:
        """Codes are single-use: taking one removes it."""
        with self._lock:
            found = self._codes.pop(code, None)
        if found is None or found.expires_at_ms <= self.clock.now_ms():
            return None
        return found


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
