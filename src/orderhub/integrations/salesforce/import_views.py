"""Manual imports from the settings page (preview, start, live progress), the import log,
and the help page."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST
from markdown_it import MarkdownIt

from orderhub.integrations.errors import IntegrationError
from orderhub.integrations.queries import integration_for
from orderhub.integrations.salesforce import importer
from orderhub.integrations.salesforce.forms import ManualImportForm
from orderhub.integrations.salesforce.models import ImportRun
from orderhub.integrations.salesforce.provider import PROVIDER
from orderhub.web.access import store_for_request

HELP_FILE = Path(__file__).resolve().parents[4] / "docs" / "salesforce.md"


def _integration(request: HttpRequest, store_id: int):
    store = store_for_request(request, store_id)
    integration = integration_for(store, PROVIDER.key)
    if integration is None:
        raise Http404("Salesforce is not enabled for this store")
    return integration


@login_required
@require_POST
def preview(request: HttpRequest, store_id: int) -> HttpResponse:
    """Step one of a manual import: count what would be imported, ask to confirm."""
    integration = _integration(request, store_id)
    form = ManualImportForm(request.POST)
    context = {"store": integration.store, "form": form}
    if form.is_valid():
        try:
            context["count"] = importer.preview_count(integration, form.cleaned_data["since"])
        except IntegrationError as exc:
            context["problem"] = str(exc)
    return render(request, "salesforce/_import_preview.html", context)


@login_required
@require_POST
def start(request: HttpRequest, store_id: int) -> HttpResponse:
    """Step two: queue the import and show its progress bar."""
    integration = _integration(request, store_id)
    form = ManualImportForm(request.POST)
    if not form.is_valid():
        return render(
            request, "salesforce/_import_preview.html", {"store": integration.store, "form": form}
        )
    expected = request.POST.get("expected", "")
    run = importer.start_manual_import(
        integration,
        form.cleaned_data["since"],
        actor=request.user,
        expected=int(expected) if expected.isdigit() else None,
    )
    return render(
        request, "salesforce/_run_progress.html", {"store": integration.store, "run": run}
    )


@login_required
@require_GET
def run_progress(request: HttpRequest, store_id: int, run_id: int) -> HttpResponse:
    integration = _integration(request, store_id)
    run = get_object_or_404(ImportRun, id=run_id, integration=integration)
    return render(
        request, "salesforce/_run_progress.html", {"store": integration.store, "run": run}
    )


@login_required
@require_GET
def import_log(request: HttpRequest, store_id: int) -> HttpResponse:
    integration = _integration(request, store_id)
    runs = ImportRun.objects.filter(integration=integration)[:100]
    context = {"store": integration.store, "section": "integrations", "runs": runs}
    return render(request, "salesforce/import_log.html", context)


@login_required
@require_GET
def run_detail(request: HttpRequest, store_id: int, run_id: int) -> HttpResponse:
    integration = _integration(request, store_id)
    run = get_object_or_404(ImportRun, id=run_id, integration=integration)
    context = {
        "store": integration.store,
        "section": "integrations",
        "run": run,
        "failures": run.failures.all()[:500],
    }
    return render(request, "salesforce/run_detail.html", context)


@login_required
@require_GET
def help_page(request: HttpRequest) -> HttpResponse:
    if not HELP_FILE.exists():
        raise Http404("The Salesforce guide is not installed with this copy of OrderHub")
    # Our own document; raw HTML stays disabled all the same.
    html = MarkdownIt("commonmark", {"html": False}).enable("table").render(HELP_FILE.read_text())
    return render(request, "salesforce/help.html", {"body": mark_safe(html)})  # noqa: S308
