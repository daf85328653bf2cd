"""Connecting a store to Salesforce, keeping the connection alive, and disconnecting.

Tokens are kept Fernet-encrypted in StoreIntegration.credentials. A refresh that
Salesforce refuses marks the integration "reconnect needed" with a message saying so.
"""

from __future__ import annotations

import json
import time

from django.conf import settings
from django.db import transaction

from orderhub.config import env
from orderhub.integrations import services as integration_services
from orderhub.integrations.errors import IntegrationError, Unauthorized
from orderhub.integrations.models import StoreIntegration
from orderhub.integrations.salesforce import oauth
from orderhub.integrations.salesforce.client import Endpoint, SalesforceGateway
from orderhub.integrations.salesforce.models import DescribeCache
from orderhub.integrations.salesforce.provider import PROVIDER
from orderhub.stores.models import Store

RECONNECT_MESSAGE = (
    "Salesforce no longer accepts this connection ({reason}). Press Reconnect to sign in again."
)


def default_ca_bundle() -> str:
    """A CA bundle to trust instead of the system's (the emulator's CA in the demo and tests):
    ORDERHUB_SALESFORCE_CA_BUNDLE, or in embedded mode what `orderhub demo` recorded."""
    return env("ORDERHUB_SALESFORCE_CA_BUNDLE", "") or _demo_app().get("ca_bundle", "")


def _demo_app() -> dict:
    """What `orderhub demo` recorded about the emulator's connected app (embedded mode only)."""
    path = settings.VAR_DIR / "salesforce_app.json"
    if settings.PRODUCTION or not path.exists():
        return {}
    return json.loads(path.read_text())


def tokens_of(integration: StoreIntegration) -> oauth.Tokens | None:
    data = integration_services.read_credentials(integration)
    return oauth.Tokens.from_dict(data) if data else None


def _record_usage(integration: StoreIntegration, limit_info: str) -> None:
    usage = limit_info.split(";")[0].removeprefix("api-usage=").strip()
    if usage and usage != integration.api_usage:
        integration.api_usage = usage
        StoreIntegration.objects.filter(pk=integration.pk).update(api_usage=usage)


def gateway_for(integration: StoreIntegration, *, sleep=time.sleep) -> SalesforceGateway:
    """A gateway that refreshes (and stores) the token when Salesforce says it expired."""
    tokens = tokens_of(integration)
    if tokens is None:
        raise Unauthorized("This store is not connected to Salesforce: press Connect To Salesforce")

    def refresh() -> Endpoint:
        nonlocal tokens
        try:
            tokens = oauth.refresh(tokens)
        except Unauthorized as exc:
            integration_services.mark_status(
                integration,
                StoreIntegration.Status.RECONNECT_NEEDED,
                actor=None,
                error=RECONNECT_MESSAGE.format(reason=exc),
            )
            raise Unauthorized(RECONNECT_MESSAGE.format(reason=exc)) from None
        integration_services.store_credentials(
            integration, tokens.to_dict(), actor=None, external_id=tokens.org_id
        )
        return Endpoint(tokens.instance_url, tokens.access_token, tokens.ca_bundle)

    return SalesforceGateway(
        Endpoint(tokens.instance_url, tokens.access_token, tokens.ca_bundle),
        refresh=refresh,
        on_usage=lambda info: _record_usage(integration, info),
        retries=settings.ORDERHUB_SALESFORCE_RETRIES,
        backoff_seconds=settings.ORDERHUB_SALESFORCE_BACKOFF_SECONDS,
        batch_size=settings.ORDERHUB_SALESFORCE_BATCH_SIZE,
        sleep=sleep,
    )


@transaction.atomic
def _save_connection(store: Store, tokens: oauth.Tokens, *, actor) -> StoreIntegration:
    integration = integration_services.enable(store, PROVIDER.key, actor=actor)
    if integration.external_id and tokens.org_id and integration.external_id != tokens.org_id:
        # Another org: the cached describe data and import cursor belong to the old one.
        DescribeCache.objects.filter(integration=integration).delete()
        integration.state = {}
        integration.save(update_fields=["state"])
    return integration_services.store_credentials(
        integration, tokens.to_dict(), actor=actor, external_id=tokens.org_id
    )


def connect_with_client_credentials(
    store: Store,
    *,
    endpoint_url: str,
    client_id: str,
    client_secret: str,
    ca_bundle: str = "",
    actor,
) -> StoreIntegration:
    """Connect with a connected app's client credentials, then prove it with one call."""
    if not client_id.strip() or not client_secret.strip():
        raise IntegrationError(
            "Enter both the Client ID and the Client Secret of your connected app"
        )
    login_url = oauth.normalise_login_url(endpoint_url)
    tokens = oauth.client_credentials(
        login_url,
        client_id=client_id.strip(),
        client_secret=client_secret.strip(),
        ca_bundle=ca_bundle or default_ca_bundle(),
    )
    gateway = SalesforceGateway(
        Endpoint(tokens.instance_url, tokens.access_token, tokens.ca_bundle), retries=1
    )
    gateway.limits()
    return _save_connection(store, tokens, actor=actor)


def connect_with_tokens(store: Store, tokens: oauth.Tokens, *, actor) -> StoreIntegration:
    """Finish the web-server flow: keep the tokens the callback exchanged."""
    return _save_connection(store, tokens, actor=actor)


def disconnect(integration: StoreIntegration, *, actor) -> str:
    """Revoke the token at Salesforce and delete the stored secrets.

    Returns a warning when Salesforce could not be told (the secrets are deleted anyway).
    """
    tokens = tokens_of(integration)
    warning = ""
    if tokens is not None:
        try:
            oauth.revoke(tokens)
        except IntegrationError as exc:
            warning = f"Salesforce could not be told to revoke the token ({exc}); revoke it in Salesforce Setup."
    integration_services.store_credentials(integration, {}, actor=actor)
    return warning


def oauth_app() -> tuple[str, str]:
    """The connected app used by "Connect To Salesforce": ORDERHUB_SALESFORCE_CLIENT_ID /
    _SECRET, or in embedded mode the file `orderhub demo` writes into the var directory."""
    client_id = env("ORDERHUB_SALESFORCE_CLIENT_ID", "") or ""
    client_secret = env("ORDERHUB_SALESFORCE_CLIENT_SECRET", "") or ""
    if client_id:
        return client_id, client_secret
    app = _demo_app()
    return app.get("client_id", ""), app.get("client_secret", "")
