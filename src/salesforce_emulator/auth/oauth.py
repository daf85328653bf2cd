"""Handlers for OAuth 2.0: the consent page, the token endpoint, revoke and identity URLs."""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from .. import errors
from ..rest.context import instance_url, state
from ..rest.responses import json_response
from ..state import EmulatorState
from . import jwt_bearer
from .forms import basic_credentials, form
from .sessions import Session, s256

DEFAULT_SCOPE = "api refresh_token"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"


class OAuthError(Exception):
    """A token-endpoint error: `{"error", "error_description"}` with HTTP 400."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error, self.description, self.status = error, description, status


def oauth_error_response(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, OAuthError)
    return json_response(
        {"error": exc.error, "error_description": exc.description}, status=exc.status
    )


def token_body(request: Request, st: EmulatorState, session: Session, client_secret: str, scope: str,
               refresh_token: str | None) -> dict:  # fmt: skip
    inst = instance_url(request)
    issued_at = str(st.clock.now_ms())
    id_url = f"{inst}/id/{st.config.org_id}/{session.user_id}"
    signature = base64.b64encode(
        hmac.new(client_secret.encode(), (id_url + issued_at).encode(), hashlib.sha256).digest()
    ).decode()
    body = {"access_token": session.token}
    if refresh_token:
        body["refresh_token"] = refresh_token
    body.update(
        signature=signature,
        scope=scope,
        instance_url=inst,
        id=id_url,
        token_type="Bearer",
        issued_at=issued_at,
    )
    return body


# -- authorize ---------------------------------------------------------------------------------

_CONSENT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Allow Access? | Salesforce Emulator</title>
<style>body{{font-family:sans-serif;max-width:32rem;margin:4rem auto}}button{{font-size:1rem;padding:.5rem 1.5rem;margin-right:1rem}}</style>
</head><body>
<h1>Allow Access?</h1>
<p><strong>{app}</strong> is asking to access your Salesforce data ({scope}).</p>
<form method="post" action="/services/oauth2/authorize">
{hidden}
<label for="username">Log in as</label>
<select id="username" name="username">{users}</select>
<p><button type="submit" name="decision" value="allow" id="allow">Allow</button>
<button type="submit" name="decision" value="deny" id="deny">Deny</button></p>
</form></body></html>
"""

_AUTHORIZE_FIELDS = ("response_type", "client_id", "redirect_uri", "state", "scope", "code_challenge",
                     "code_challenge_method", "prompt", "login_hint")  # fmt: skip


def _error_page(error: str, description: str) -> HTMLResponse:
    body = f"<!doctype html><html><body><h1>error={html.escape(error)}</h1><p>{html.escape(description)}</p></body></html>"
    return HTMLResponse(body, status_code=400)


def _redirect(redirect_uri: str, params: dict) -> RedirectResponse:
    sep = "&" if "?" in redirect_uri else "?"
    clean = {k: v for k, v in params.items() if v not in (None, "")}
    return RedirectResponse(redirect_uri + sep + urlencode(clean), status_code=302)


def _check_authorize(st: EmulatorState, params: dict) -> Response | None:
    app = st.config.app(params.get("client_id", ""))
    if app is None:
        return _error_page("invalid_client_id", "client identifier invalid")
    if params.get("redirect_uri") not in app.callback_urls:
        return _error_page("redirect_uri_mismatch", "redirect_uri must match configuration")
    if params.get("response_type") != "code":
        return _redirect(params["redirect_uri"], {"error": "unsupported_response_type",
                         "error_description": "response type not supported", "state": params.get("state")})  # fmt: skip
    if params.get("code_challenge") and params.get("code_challenge_method", "S256") != "S256":
        return _redirect(params["redirect_uri"], {"error": "invalid_request",
                         "error_description": "invalid code_challenge_method", "state": params.get("state")})  # fmt: skip
    return None


async def oauth_authorize(request: Request) -> Response:
    st = state(request)
    params = dict(request.query_params)
    problem = _check_authorize(st, params)
    if problem is not None:
        return problem
    app = st.config.app(params["client_id"])
    hidden = "\n".join(
        f'<input type="hidden" name="{name}" value="{html.escape(params[name])}">'
        for name in _AUTHORIZE_FIELDS
        if name in params
    )
    hint = params.get("login_hint", "").lower()
    users = "".join(
        f'<option value="{html.escape(u.username)}"{" selected" if u.username.lower() == hint else ""}>'
        f"{html.escape(u.username)}</option>"
        for u in st.config.users
    )
    page = _CONSENT.format(
        app=html.escape(app.name),
        scope=html.escape(params.get("scope") or DEFAULT_SCOPE),
        hidden=hidden,
        users=users,
    )
    return HTMLResponse(page)


async def oauth_authorize_decision(request: Request) -> Response:
    st = state(request)
    params = await form(request)
    problem = _check_authorize(st, params)
    if problem is not None:
        return problem
    redirect_uri = params["redirect_uri"]
    if params.get("decision") != "allow":
        return _redirect(redirect_uri, {"error": "access_denied",
                         "error_description": "end-user denied authorization", "state": params.get("state")})  # fmt: skip
    user = st.config.user(params.get("username") or st.config.users[0].username)
    if user is None:
        return _error_page("invalid_request", "unknown user")
    code = st.sessions.new_code(
        client_id=params["client_id"],
        redirect_uri=redirect_uri,
        user_id=st.user_ids[user.username.lower()],
        username=user.username,
        scope=params.get("scope") or DEFAULT_SCOPE,
        code_challenge=params.get("code_challenge") or None,
        code_challenge_method=params.get("code_challenge_method") or None,
    )
    return _redirect(redirect_uri, {"code": code.code, "state": params.get("state")})


# -- token -------------------------------------------------------------------------------------


def _client(st: EmulatorState, request: Request, params: dict, *, secret_required: bool):
    basic = basic_credentials(request)
    client_id = params.get("client_id") or (basic[0] if basic else "")
    secret = params.get("client_secret") or (basic[1] if basic else None)
    app = st.config.app(client_id)
    if app is None:
        raise OAuthError("invalid_client_id", "client identifier invalid")
    if secret is not None and secret != app.client_secret:
        raise OAuthError("invalid_client", "invalid client credentials")
    if secret is None and secret_required:
        raise OAuthError("invalid_client", "invalid client credentials")
    return app


def _user_by_password(st: EmulatorState, username: str, password: str):
    user = st.config.user(username or "")
    if user is None or password not in (user.password + user.security_token, user.password):
        return None
    return user


async def oauth_token(request: Request) -> Response:
    st = state(request)
    params = await form(request)
    grant = params.get("grant_type")
    if not grant:
        raise OAuthError("invalid_request", "grant type is missing")
    if grant == "authorization_code":
        return _authorization_code(request, st, params)
    if grant == "refresh_token":
        return _refresh(request, st, params)
    if grant == "password":
        app = _client(st, request, params, secret_required=True)
        user = _user_by_password(st, params.get("username", ""), params.get("password", ""))
        if user is None:
            raise OAuthError("invalid_grant", "authentication failure")
        session = st.sessions.issue(
            st.user_ids[user.username.lower()], user.username, app.client_id
        )
        return json_response(
            token_body(request, st, session, app.client_secret, DEFAULT_SCOPE, None)
        )
    if grant == "client_credentials":
        app = _client(st, request, params, secret_required=True)
        user = st.config.users[0]
        session = st.sessions.issue(
            st.user_ids[user.username.lower()], user.username, app.client_id
        )
        return json_response(
            token_body(request, st, session, app.client_secret, DEFAULT_SCOPE, None)
        )
    if grant == JWT_BEARER:
        return _jwt_bearer(request, st, params)
    raise OAuthError("unsupported_grant_type", "grant type not supported")


def _jwt_bearer(request: Request, st: EmulatorState, params: dict) -> Response:
    assertion = params.get("assertion", "")
    try:
        claims = jwt_bearer.unverified_claims(assertion)
    except jwt_bearer.AssertionInvalid as exc:
        raise OAuthError("invalid_grant", str(exc)) from None
    app = st.config.app(str(claims.get("iss", "")))
    if app is None:
        raise OAuthError("invalid_client_id", "client identifier invalid")
    if not app.jwt_public_key:
        raise OAuthError("invalid_client", "invalid client credentials")
    try:
        claims = jwt_bearer.verify(assertion, app.jwt_public_key)
    except jwt_bearer.AssertionInvalid as exc:
        raise OAuthError("invalid_grant", str(exc)) from None
    audience = str(claims.get("aud", ""))
    if not (audience.endswith(".salesforce.com") or audience.rstrip("/") == instance_url(request)):
        raise OAuthError("invalid_grant", "audience is invalid")
    user = st.config.user(str(claims.get("sub", "")))
    if user is None:
        raise OAuthError("invalid_grant", "user hasn't approved this consumer")
    session = st.sessions.issue(st.user_ids[user.username.lower()], user.username, app.client_id)
    return json_response(token_body(request, st, session, app.client_secret, DEFAULT_SCOPE, None))


def _authorization_code(request: Request, st: EmulatorState, params: dict) -> Response:
    code = st.sessions.take_code(params.get("code", ""))
    verifier = params.get("code_verifier")
    app = _client(
        st, request, params, secret_required=not (code and code.code_challenge and verifier)
    )
    if code is None or code.client_id != app.client_id:
        raise OAuthError("invalid_grant", "invalid authorization code")
    if params.get("redirect_uri") != code.redirect_uri:
        raise OAuthError("redirect_uri_mismatch", "redirect_uri must match configuration")
    if code.code_challenge:
        if not verifier:
            raise OAuthError("invalid_grant", "invalid code verifier")
        if s256(verifier) != code.code_challenge:
            raise OAuthError("invalid_request", "invalid code verifier")
    grant = None
    if (
        "refresh_token" in code.scope.split()
        or "offline_access" in code.scope.split()
        or code.scope == DEFAULT_SCOPE
    ):
        grant = st.sessions.new_refresh_token(
            code.user_id, code.username, app.client_id, code.scope
        )
    session = st.sessions.issue(
        code.user_id, code.username, app.client_id, grant.token if grant else None
    )
    return json_response(
        token_body(
            request, st, session, app.client_secret, code.scope, grant.token if grant else None
        )
    )


def _refresh(request: Request, st: EmulatorState, params: dict) -> Response:
    grant = st.sessions.refresh_grant(params.get("refresh_token", ""))
    app = _client(st, request, params, secret_required=False)
    if grant is None or grant.client_id != app.client_id:
        raise OAuthError("invalid_grant", "expired access/refresh token")
    new_refresh = None
    if app.rotate_refresh_tokens:
        st.sessions.revoke(grant.token)
        grant = st.sessions.new_refresh_token(
            grant.user_id, grant.username, app.client_id, grant.scope
        )
        new_refresh = grant.token
    session = st.sessions.issue(grant.user_id, grant.username, app.client_id, grant.token)
    return json_response(
        token_body(request, st, session, app.client_secret, grant.scope, new_refresh)
    )


async def oauth_revoke(request: Request) -> Response:
    st = state(request)
    params = await form(request)
    token = params.get("token")
    if not token:
        return json_response(
            {"error": "unsupported_token_type", "error_description": "missing token"}, 400
        )
    if not st.sessions.revoke(token):
        return json_response({"error": "invalid_token", "error_description": "invalid token"}, 400)
    return Response(status_code=200)


async def identity(request: Request) -> Response:
    st = state(request)
    token = request.headers.get("authorization", "").partition(" ")[
        2
    ].strip() or request.query_params.get("oauth_token")
    session = st.sessions.authenticate(token)
    if (
        request.path_params["user_id"] != session.user_id
        or request.path_params["org_id"] != st.config.org_id
    ):
        raise errors.InsufficientAccess("You do not have access to this identity URL")
    account = st.config.user(session.username)
    inst = instance_url(request)
    base = f"{inst}/services/data/v{{version}}"
    return json_response(
        {
            "id": f"{inst}/id/{st.config.org_id}/{session.user_id}",
            "asserted_user": True,
            "user_id": session.user_id,
            "organization_id": st.config.org_id,
            "username": session.username,
            "nick_name": session.username.split("@")[0],
            "display_name": f"{account.first_name} {account.last_name}"
            if account
            else session.username,
            "email": account.email if account else None,
            "email_verified": True,
            "first_name": account.first_name if account else None,
            "last_name": account.last_name if account else None,
            "timezone": "America/Los_Angeles",
            "active": True,
            "user_type": "STANDARD",
            "language": "en_US",
            "locale": "en_US",
            "utcOffset": -28800000,
            "urls": {
                "enterprise": f"{inst}/services/Soap/c/{{version}}/{st.config.org_id}",
                "partner": f"{inst}/services/Soap/u/{{version}}/{st.config.org_id}",
                "rest": base + "/",
                "sobjects": base + "/sobjects/",
                "query": base + "/query/",
                "limits": base + "/limits/",
                "profile": f"{inst}/{session.user_id}",
            },
        }
    )
