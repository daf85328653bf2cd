"""The Salesforce settings page, connecting and disconnecting, and the OAuth callback."""

from __future__ import annotations

import secrets
import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from orderhub.integrations import services as integration_services
from orderhub.integrations.errors import IntegrationError
from orderhub.integrations.models import StoreIntegration
from orderhub.integrations.queries import integration_for
from orderhub.integrations.salesforce import oauth
from orderhub.integrations.salesforce.connection import (
    connect_with_client_credentials,
    connect_with_tokens,
    default_ca_bundle,
    disconnect,
    oauth_app,
)
from orderhub.integrations.salesforce.forms import (
    ClientCredentialsForm,
    ConnectForm,
    settings_from_post,
)
from orderhub.integrations.salesforce.page import page_context
from orderhub.integrations.salesforce.provider import PROVIDER
from orderhub.integrations.salesforce.services import (
    SalesforceSettings,
    org_schema,
    settings_of,
    update_settings,
)
from orderhub.integrations.services import InvalidSettings
from orderhub.stores.queries import store_for_user
from orderhub.web.access import store_for_request

FLOW_KEY = "salesforce-oauth:{state}"
FLOW_MAX_AGE = 600  # seconds a started sign-in stays valid


def _integration(request: HttpRequest, store_id: int) -> StoreIntegration:
    store = store_for_request(request, store_id)
    integration = integration_for(store, PROVIDER.key)
    if integration is None:
        integration = integration_services.enable(store, PROVIDER.key, actor=request.user)
    return integration


def _settings_url(integration: StoreIntegration) -> str:
    return reverse("salesforce:settings", kwargs={"store_id": integration.store_id})


def _render(
    request, integration, settings, *, errors=None, template="salesforce/settings.html", status=200
):
    context = page_context(integration, settings, org_schema(integration), errors=errors)
    context.update(
        store=integration.store,
        section="integrations",
        connect_form=ConnectForm(),
        credentials_form=ClientCredentialsForm(),
        oauth_configured=bool(oauth_app()[0]),
    )
    return render(request, template, context, status=status)


@login_required
@require_GET
def settings_page(request: HttpRequest, store_id: int) -> HttpResponse:
    store = store_for_request(request, store_id)
    integration = integration_for(store, PROVIDER.key)
    if integration is None or not integration.enabled:
        messages.info(request, "Enable Salesforce first: press Enable next to it.")
        return redirect(
            reverse("web:integrations", kwargs={"store_id": store.id}) + "?q=Salesforce"
        )
    return _render(request, integration, settings_of(integration))


@login_required
@require_POST
def save_settings(request: HttpRequest, store_id: int) -> HttpResponse:
    integration = _integration(request, store_id)
    data = settings_from_post(request.POST, settings_of(integration))
    try:
        update_settings(integration, data, actor=request.user)
    except InvalidSettings as exc:
        messages.error(request, "Nothing was saved: please correct the settings marked below.")
        return _render(
            request, integration, _unsaved(data, integration), errors=exc.errors, status=400
        )
    except IntegrationError as exc:
        messages.error(request, f"Nothing was saved: {exc}")
        return _render(request, integration, _unsaved(data, integration), status=400)
    messages.success(request, "Salesforce settings saved.")
    return redirect(_settings_url(integration))


def _unsaved(data: dict, integration: StoreIntegration) -> SalesforceSettings:
    """Show what the user typed even when it does not validate."""
    try:
        return SalesforceSettings.model_validate(data)
    except ValueError:
        settings = settings_of(integration).model_dump()
        settings.update({k: v for k, v in data.items() if isinstance(v, str)})
        try:
            return SalesforceSettings.model_validate(settings)
        except ValueError:
            return settings_of(integration)


@login_required
@require_POST
def settings_form(request: HttpRequest, store_id: int) -> HttpResponse:
    """Re-render the form for the values being edited (htmx), e.g. another order object."""
    integration = _integration(request, store_id)
    settings = _unsaved(settings_from_post(request.POST, settings_of(integration)), integration)
    return _render(request, integration, settings, template="salesforce/_settings_form.html")


@login_required
@require_POST
def refresh_schema(request: HttpRequest, store_id: int) -> HttpResponse:
    integration = _integration(request, store_id)
    org_schema(integration).refresh()
    messages.success(request, "Reloaded your Salesforce objects and fields.")
    return redirect(_settings_url(integration))


# --- connecting ----------------------------------------------------------------------------


@login_required
@require_POST
def connect(request: HttpRequest, store_id: int) -> HttpResponse:
    """Start the web-server flow: remember state + PKCE verifier, send the user to Salesforce."""
    integration = _integration(request, store_id)
    form = ConnectForm(request.POST)
    client_id, _ = oauth_app()
    if not client_id:
        messages.error(
            request,
            "Connect To Salesforce needs a connected app: set ORDERHUB_SALESFORCE_CLIENT_ID and "
            "ORDERHUB_SALESFORCE_CLIENT_SECRET, or connect with Client Credentials below.",
        )
        return redirect(_settings_url(integration))
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(_settings_url(integration))
    try:
        login_url = oauth.normalise_login_url(
            form.cleaned_data["login_host"], form.cleaned_data.get("my_domain", "")
        )
    except IntegrationError as exc:
        messages.error(request, str(exc))
        return redirect(_settings_url(integration))
    state = secrets.token_urlsafe(32)
    verifier = oauth.new_pkce_verifier()
    request.session[FLOW_KEY.format(state=state)] = {
        "store_id": integration.store_id,
        "user_id": request.user.pk,
        "verifier": verifier,
        "login_url": login_url,
        "started": time.time(),
    }
    url = oauth.authorization_url(
        login_url,
        client_id=client_id,
        redirect_uri=request.build_absolute_uri(reverse("salesforce:callback")),
        state=state,
        code_verifier=verifier,
    )
    return redirect(url)


@login_required
@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    """Salesforce sends the user back here. The state is checked before anything else."""
    state = request.GET.get("state", "")
    flow = request.session.pop(FLOW_KEY.format(state=state), None) if state else None
    if (
        flow is None
        or flow["user_id"] != request.user.pk
        or time.time() - flow["started"] > FLOW_MAX_AGE
    ):
        return HttpResponseBadRequest(
            "This Salesforce sign-in is not valid any more (it expired, was already used, or was "
            "started by someone else). Go back to the Salesforce settings and press Connect To "
            "Salesforce again."
        )
    store = store_for_user(request.user, flow["store_id"])
    if store is None:
        return HttpResponseBadRequest(
            "You are no longer a member of the store this sign-in was for."
        )
    settings_url = reverse("salesforce:settings", kwargs={"store_id": store.id})
    if "error" in request.GET:
        messages.warning(
            request,
            f"Salesforce did not connect: {request.GET.get('error_description') or request.GET['error']}.",
        )
        return redirect(settings_url)
    client_id, client_secret = oauth_app()
    try:
        tokens = oauth.exchange_code(
            flow["login_url"],
            client_id=client_id,
            client_secret=client_secret,
            redirect_uri=request.build_absolute_uri(reverse("salesforce:callback")),
            code=request.GET.get("code", ""),
            code_verifier=flow["verifier"],
            ca_bundle=default_ca_bundle(),
        )
    except IntegrationError as exc:
        messages.error(request, f"Salesforce did not connect: {exc}")
        return redirect(settings_url)
    connect_with_tokens(store, tokens, actor=request.user)
    messages.success(request, "Connected to Salesforce.")
    return redirect(settings_url)


@login_required
@require_POST
def connect_client_credentials(request: HttpRequest, store_id: int) -> HttpResponse:
    integration = _integration(request, store_id)
    form = ClientCredentialsForm(request.POST)
    if form.is_valid():
        try:
            connect_with_client_credentials(
                integration.store,
                endpoint_url=form.cleaned_data["endpoint_url"],
                client_id=form.cleaned_data["client_id"],
                client_secret=form.cleaned_data["client_secret"],
                ca_bundle=default_ca_bundle(),
                actor=request.user,
            )
        except IntegrationError as exc:
            messages.error(request, f"Salesforce did not connect: {exc}")
        else:
            messages.success(request, "Connected to Salesforce with client credentials.")
    else:
        messages.error(request, "Enter the Endpoint URL, Client ID and Client Secret.")
    return redirect(_settings_url(integration))


@login_required
@require_POST
def disconnect_view(request: HttpRequest, store_id: int) -> HttpResponse:
    integration = _integration(request, store_id)
    warning = disconnect(integration, actor=request.user)
    if warning:
        messages.warning(request, warning)
    messages.success(request, "Disconnected from Salesforce; the stored tokens are deleted.")
    return redirect(_settings_url(integration))
