"""Connecting a store to Salesforce: the web-server flow with PKCE and a single-use state,
client credentials, refresh on expiry, reconnect-needed, disconnect, secrets at rest."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.db import connection
from django.urls import reverse

from orderhub.integrations.errors import IntegrationError, Unauthorized
from orderhub.integrations.models import StoreIntegration
from orderhub.integrations.queries import integration_for
from orderhub.integrations.salesforce import oauth
from orderhub.integrations.salesforce.connection import (
    connect_with_client_credentials,
    disconnect,
    gateway_for,
    tokens_of,
)

pytestmark = pytest.mark.django_db
CALLBACK = "http://testserver/integrations/salesforce/callback/"


@pytest.fixture
def oauth_app(org, monkeypatch):
    """OrderHub's connected app is the emulator's; its callback is the test server's."""
    app = next(a for a in org.info()["connected_apps"] if a["client_id"] == org.client_id)
    org.register_app(org.client_id, org.client_secret, sorted({*app["callback_urls"], CALLBACK}))
    monkeypatch.setenv("ORDERHUB_SALESFORCE_CLIENT_ID", org.client_id)
    monkeypatch.setenv("ORDERHUB_SALESFORCE_CLIENT_SECRET", org.client_secret)
    monkeypatch.setenv("ORDERHUB_SALESFORCE_CA_BUNDLE", org.ca_cert)
    return org


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def start_flow(client, store, org) -> str:
    """Press Connect To Salesforce; return the authorize URL OrderHub sent the browser to."""
    response = client.post(
        reverse("salesforce:connect", kwargs={"store_id": store.id}),
        {"login_host": "my_domain", "my_domain": org.instance_url},
    )
    assert response.status_code == 302
    return response["Location"]


def consent(org, authorize_url: str, decision: str = "allow") -> str:
    """Answer the emulator's consent page like a person; return where it redirects."""
    browser = org.requests_session()
    page = browser.get(authorize_url, allow_redirects=False)
    assert page.status_code == 200, page.text
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    fields = {k: v.replace("&amp;", "&") for k, v in fields.items()}
    fields.update(decision=decision, username=org.username)
    answer = browser.post(
        f"{org.instance_url}/services/oauth2/authorize", data=fields, allow_redirects=False
    )
    assert answer.status_code in (302, 303), answer.text
    return answer.headers["Location"]


def callback_path(location: str) -> str:
    parts = urlsplit(location)
    return f"{parts.path}?{parts.query}"


def test_web_server_flow_with_pkce_connects(signed_in, store, oauth_app):
    authorize = start_flow(signed_in, store, oauth_app)
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"]
    assert query["redirect_uri"] == [CALLBACK]
    response = signed_in.get(callback_path(consent(oauth_app, authorize)))
    assert response.status_code == 302
    integration = integration_for(store, "salesforce")
    assert integration.status == StoreIntegration.Status.CONNECTED
    tokens = tokens_of(integration)
    assert tokens.mode == "oauth" and tokens.refresh_token and tokens.org_id.startswith("00D")
    assert gateway_for(integration).limits()["DailyApiRequests"]["Max"] > 0


def test_deny_leaves_the_store_unconnected(signed_in, store, oauth_app):
    location = consent(oauth_app, start_flow(signed_in, store, oauth_app), decision="deny")
    assert "error=access_denied" in location
    response = signed_in.get(callback_path(location), follow=True)
    assert "Salesforce did not connect" in response.content.decode()
    assert tokens_of(integration_for(store, "salesforce")) is None


def test_tampered_replayed_or_foreign_state_is_refused(
    signed_in, store, oauth_app, client, other_user
):
    location = consent(oauth_app, start_flow(signed_in, store, oauth_app))
    tampered = location.replace("state=", "state=x")
    assert signed_in.get(callback_path(tampered)).status_code == 400
    assert tokens_of(integration_for(store, "salesforce")) is None
    # The genuine state still works once, and never again.
    assert signed_in.get(callback_path(location)).status_code == 302
    assert signed_in.get(callback_path(location)).status_code == 400
    # A state started by Ann cannot be finished by Bob's browser.
    other = start_flow(signed_in, store, oauth_app)
    bob = type(client)()
    bob.force_login(other_user)
    assert bob.get(callback_path(consent(oauth_app, other))).status_code == 400


def test_wrong_pkce_verifier_is_refused(store, oauth_app):
    verifier = oauth.new_pkce_verifier()
    authorize = oauth.authorization_url(
        oauth_app.instance_url,
        client_id=oauth_app.client_id,
        redirect_uri=CALLBACK,
        state="s1",
        code_verifier=verifier,
    )
    code = parse_qs(urlsplit(consent(oauth_app, authorize)).query)["code"][0]
    with pytest.raises(IntegrationError, match=r"invalid_request|invalid_grant"):
        oauth.exchange_code(
            oauth_app.instance_url,
            client_id=oauth_app.client_id,
            client_secret=oauth_app.client_secret,
            redirect_uri=CALLBACK,
            code=code,
            code_verifier=oauth.new_pkce_verifier(),
            ca_bundle=oauth_app.ca_cert,
        )


def test_expired_token_is_refreshed_once_and_kept(signed_in, store, oauth_app):
    signed_in.get(callback_path(consent(oauth_app, start_flow(signed_in, store, oauth_app))))
    integration = integration_for(store, "salesforce")
    before = tokens_of(integration).access_token
    oauth_app.expire_sessions()
    gateway = gateway_for(integration)
    gateway.limits()
    integration.refresh_from_db()
    assert tokens_of(integration).access_token != before
    assert integration.status == StoreIntegration.Status.CONNECTED


def test_revoked_refresh_token_means_reconnect_needed(signed_in, store, oauth_app):
    signed_in.get(callback_path(consent(oauth_app, start_flow(signed_in, store, oauth_app))))
    integration = integration_for(store, "salesforce")
    oauth.revoke(tokens_of(integration))  # e.g. an admin revoked OrderHub's access
    with pytest.raises(Unauthorized, match="Reconnect"):
        gateway_for(integration).limits()
    integration.refresh_from_db()
    assert integration.status == StoreIntegration.Status.RECONNECT_NEEDED
    page = signed_in.get(reverse("salesforce:settings", kwargs={"store_id": store.id}))
    assert "Reconnect needed" in page.content.decode() and "Reconnect</a>" in page.content.decode()


def test_disconnect_revokes_the_token_and_deletes_secrets(connected, org):
    tokens = tokens_of(connected)
    assert disconnect(connected, actor=None) == ""
    connected.refresh_from_db()
    assert connected.credentials == "" and connected.status == StoreIntegration.Status.NOT_CONNECTED
    response = requests.get(
        f"{tokens.instance_url}/services/data/v59.0/limits/",
        headers={"Authorization": f"Bearer {tokens.access_token}"},
        verify=org.ca_cert,
        timeout=10,
    )
    assert response.status_code == 401
    assert response.json()[0]["errorCode"] == "INVALID_SESSION_ID"


def test_wrong_client_secret_stores_nothing(store, org):
    with pytest.raises(IntegrationError, match="invalid_client"):
        connect_with_client_credentials(
            store,
            endpoint_url=org.instance_url,
            client_id=org.client_id,
            client_secret="wrong",
            ca_bundle=org.ca_cert,
            actor=None,
        )
    assert not StoreIntegration.objects.filter(store=store).exclude(credentials="").exists()


def test_no_secret_is_readable_in_the_database(connected, org):
    tokens = tokens_of(connected)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM integrations_storeintegration")
        raw = repr(cursor.fetchall())
    assert tokens.access_token not in raw
    assert org.client_secret not in raw
    assert tokens.access_token.split("!")[-1] not in raw


def test_another_stores_user_cannot_see_or_change_the_integration(connected, client, other_user):
    client.force_login(other_user)
    store_id = connected.store_id
    assert (
        client.get(reverse("salesforce:settings", kwargs={"store_id": store_id})).status_code == 404
    )
    response = client.post(
        reverse("salesforce:save", kwargs={"store_id": store_id}), {"order_prefix": "HACK-"}
    )
    assert response.status_code == 404
    response = client.post(reverse("salesforce:disconnect", kwargs={"store_id": store_id}))
    assert response.status_code == 404
    connected.refresh_from_db()
    assert connected.credentials and connected.config.get("order_prefix", "") == ""
