"""Getting and keeping Salesforce tokens: the web-server flow with PKCE, client credentials,
refresh and revoke (Authlib over our own HTTP session).

Salesforce's token response has no `expires_in`: a token is good until a call answers
401 INVALID_SESSION_ID, and then the gateway refreshes once.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc7636 import create_s256_code_challenge

from orderhub.integrations.errors import IntegrationError, Transient, Unauthorized
from orderhub.integrations.salesforce.client import HttpSession

LOGIN_HOSTS = {
    "production": "https://login.salesforce.com",
    "sandbox": "https://test.salesforce.com",
}
SCOPE = "api refresh_token"


@dataclass
class Tokens:
    """A connection's secrets and where they are good. Stored Fernet-encrypted."""

    mode: str  # "oauth" (web-server flow) or "client_credentials"
    login_url: str
    instance_url: str
    access_token: str
    refresh_token: str = ""
    client_id: str = ""
    client_secret: str = ""
    org_id: str = ""
    user_id: str = ""
    ca_bundle: str = ""
    issued_at: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Tokens:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})

    def __repr__(self) -> str:  # never let a token reach a log line
        return f"Tokens(mode={self.mode!r}, instance_url={self.instance_url!r}, org_id={self.org_id!r})"


def normalise_login_url(choice: str, my_domain: str = "") -> str:
    """The login URL for "production", "sandbox" or a My Domain URL typed by the user."""
    if choice in LOGIN_HOSTS:
        return LOGIN_HOSTS[choice]
    url = (my_domain or choice).strip().rstrip("/")
    if "://" not in url:
        url = "https://" + url
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname or parts.path not in ("", "/"):
        raise IntegrationError(
            f"{my_domain or choice!r} is not a Salesforce URL: use the form https://yourdomain.my.salesforce.com"
        )
    return f"https://{parts.netloc}"


def new_pkce_verifier() -> str:
    return secrets.token_urlsafe(64)


def _oauth_session(
    client_id: str, client_secret: str, *, ca_bundle: str, redirect_uri: str | None = None
) -> OAuth2Session:
    session = OAuth2Session(
        client_id,
        client_secret,
        scope=SCOPE,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_post",
        default_timeout=HttpSession.timeout,
    )
    HttpSession.configure(session, ca_bundle=ca_bundle)
    return session


def authorization_url(
    login_url: str, *, client_id: str, redirect_uri: str, state: str, code_verifier: str
) -> str:
    session = _oauth_session(client_id, "", ca_bundle="", redirect_uri=redirect_uri)
    url, _ = session.create_authorization_url(
        f"{login_url}/services/oauth2/authorize",
        state=state,
        code_verifier=code_verifier,
        prompt="consent",
    )
    return url


def pkce_challenge(code_verifier: str) -> str:
    return create_s256_code_challenge(code_verifier)


def _org_and_user(identity_url: str) -> tuple[str, str]:
    # The token's "id" is https://login.salesforce.com/id/<org id>/<user id>.
    parts = urlsplit(identity_url or "").path.rstrip("/").split("/")
    return (parts[-2], parts[-1]) if len(parts) >= 3 and parts[-3] == "id" else ("", "")


def _tokens_from(token: dict, **known) -> Tokens:
    org_id, user_id = _org_and_user(token.get("id", ""))
    return Tokens(
        access_token=token["access_token"],
        refresh_token=token.get("refresh_token", known.pop("refresh_token", "")),
        instance_url=token.get("instance_url", "").rstrip("/"),
        org_id=org_id,
        user_id=user_id,
        issued_at=time.time(),
        **known,
    )


def _token_call(call, what: str):
    try:
        return call()
    except OAuthError as exc:
        description = exc.description or exc.error
        if exc.error in (
            "invalid_grant",
            "invalid_client",
            "invalid_client_id",
            "unauthorized_client",
        ):
            raise Unauthorized(
                f"Salesforce refused the {what}: {exc.error} ({description})"
            ) from None
        raise IntegrationError(
            f"Salesforce refused the {what}: {exc.error} ({description})"
        ) from None
    except HttpSession.network_errors as exc:
        raise Transient(f"Could not reach Salesforce for the {what}: {exc}") from None


def exchange_code(
    login_url: str,
    *,
    client_id: str,
    client_secret: str,
    redirect_uri: str,
    code: str,
    code_verifier: str,
    ca_bundle: str = "",
) -> Tokens:
    session = _oauth_session(
        client_id, client_secret, ca_bundle=ca_bundle, redirect_uri=redirect_uri
    )
    token = _token_call(
        lambda: session.fetch_token(
            f"{login_url}/services/oauth2/token",
            grant_type="authorization_code",
            code=code,
            code_verifier=code_verifier,
        ),
        "authorization code",
    )
    return _tokens_from(
        token,
        mode="oauth",
        login_url=login_url,
        client_id=client_id,
        client_secret=client_secret,
        ca_bundle=ca_bundle,
    )


def client_credentials(
    endpoint_url: str, *, client_id: str, client_secret: str, ca_bundle: str = ""
) -> Tokens:
    session = _oauth_session(client_id, client_secret, ca_bundle=ca_bundle)
    token = _token_call(
        lambda: session.fetch_token(
            f"{endpoint_url}/services/oauth2/token", grant_type="client_credentials"
        ),
        "client credentials",
    )
    return _tokens_from(
        token,
        mode="client_credentials",
        login_url=endpoint_url,
        client_id=client_id,
        client_secret=client_secret,
        ca_bundle=ca_bundle,
    )


def refresh(tokens: Tokens) -> Tokens:
    """A new access token. Client-credentials connections simply ask again."""
    if tokens.mode == "client_credentials":
        return client_credentials(
            tokens.login_url,
            client_id=tokens.client_id,
            client_secret=tokens.client_secret,
            ca_bundle=tokens.ca_bundle,
        )
    if not tokens.refresh_token:
        raise Unauthorized("This connection has no refresh token: reconnect to Salesforce")
    session = _oauth_session(tokens.client_id, tokens.client_secret, ca_bundle=tokens.ca_bundle)
    token = _token_call(
        lambda: session.refresh_token(
            f"{tokens.login_url}/services/oauth2/token", refresh_token=tokens.refresh_token
        ),
        "refresh token",
    )
    fresh = _tokens_from(
        token,
        mode=tokens.mode,
        login_url=tokens.login_url,
        client_id=tokens.client_id,
        client_secret=tokens.client_secret,
        ca_bundle=tokens.ca_bundle,
        refresh_token=tokens.refresh_token,
    )
    fresh.instance_url = fresh.instance_url or tokens.instance_url
    fresh.org_id, fresh.user_id = fresh.org_id or tokens.org_id, fresh.user_id or tokens.user_id
    return fresh


def revoke(tokens: Tokens) -> None:
    """Revoke the refresh token (which revokes its access tokens) or else the access token."""
    session = HttpSession(ca_bundle=tokens.ca_bundle)
    token = tokens.refresh_token or tokens.access_token
    response = _token_call(
        lambda: session.post(f"{tokens.login_url}/services/oauth2/revoke", data={"token": token}),
        "revocation",
    )
    # 400 invalid_token means it was already revoked or expired: the goal is reached.
    if response.status_code >= 500:
        raise Transient(f"Salesforce could not revoke the token (HTTP {response.status_code})")
