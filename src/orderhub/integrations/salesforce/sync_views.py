"""The Sync issues page: shipment write-back that failed, with Retry and Dismiss."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from orderhub.integrations.models import StoreIntegration
from orderhub.integrations.queries import integration_for
from orderhub.integrations.salesforce import tracking
from orderhub.integrations.salesforce.provider import PROVIDER
from orderhub.integrations.salesforce.push_status import push_counts, sync_issues
from orderhub.web.access import store_for_request


def _integration(request: HttpRequest, store_id: int) -> StoreIntegration:
    integration = integration_for(store_for_request(request, store_id), PROVIDER.key)
    if integration is None:
        raise Http404("Salesforce is not enabled for this store")
    return integration


def _push_ids(request: HttpRequest) -> list[int]:
    return [int(v) for v in request.POST.getlist("push") if v.isdigit()]


@login_required
@require_GET
def sync_issues_page(request: HttpRequest, store_id: int) -> HttpResponse:
    integration = _integration(request, store_id)
    context = {
        "store": integration.store,
        "section": "integrations",
        "issues": sync_issues(integration),
        "counts": push_counts(integration),
    }
    return render(request, "salesforce/sync_issues.html", context)


@login_required
@require_POST
def retry(request: HttpRequest, store_id: int) -> HttpResponse:
    integration = _integration(request, store_id)
    ids = _push_ids(request)
    count = tracking.retry_pushes(integration, ids or None, actor=request.user)
    messages.success(request, f"{count} push{'es' if count != 1 else ''} will be sent again")
    return redirect("salesforce:sync_issues", store_id=integration.store_id)


@login_required
@require_POST
def dismiss(request: HttpRequest, store_id: int) -> HttpResponse:
    integration = _integration(request, store_id)
    count = tracking.dismiss_pushes(integration, _push_ids(request), actor=request.user)
    messages.success(request, f"{count} push{'es' if count != 1 else ''} dismissed")
    return redirect("salesforce:sync_issues", store_id=integration.store_id)
