"""Manual import from the settings page (preview, confirm, progress) and the import log."""

from __future__ import annotations

import pytest
from django.urls import reverse

from integration.salesforce.factory import OrgFactory
from orderhub.integrations.salesforce.models import ImportFailure, ImportRun
from orderhub.jobs.queue import run_due_jobs
from orderhub.orders.models import Order

pytestmark = pytest.mark.django_db


def url(name, integration, **kwargs):
    return reverse(f"salesforce:{name}", kwargs={"store_id": integration.store_id, **kwargs})


@pytest.fixture
def page(client, user):
    client.force_login(user)
    return client


def test_preview_then_confirm_then_progress(page, connected, org):
    factory = OrgFactory.build(org)
    factory.order(items=2)
    factory.order(items=1)
    preview = page.post(url("import_preview", connected), {"since": "2000-01-01"})
    html = preview.content.decode()
    assert "<strong>2</strong> orders match since 2000-01-01" in html
    assert "Confirm import" in html
    started = page.post(url("import_start", connected), {"since": "2000-01-01", "expected": "2"})
    run = ImportRun.objects.get(integration=connected)
    assert run.status == ImportRun.Status.QUEUED and run.expected == 2
    assert 'hx-trigger="load delay:1s"' in started.content.decode()  # it polls while running
    assert Order.objects.count() == 0  # nothing happens inside the request
    run_due_jobs()
    done = page.get(url("run_progress", connected, run_id=run.id)).content.decode()
    assert 'data-status="succeeded"' in done and "2 imported" in done
    assert "hx-trigger" not in done  # finished: no more polling
    assert Order.objects.count() == 2


@pytest.mark.parametrize(
    ("since", "message"),
    [("", "Choose a date"), ("01/05/2024", "YYYY-MM-DD"), ("2999-01-01", "in the future")],
)
def test_preview_rejects_bad_dates(page, connected, since, message):
    html = page.post(url("import_preview", connected), {"since": since}).content.decode()
    assert message in html
    assert not ImportRun.objects.exists()


def test_import_log_lists_runs_and_failed_records(page, connected):
    run = ImportRun.objects.create(
        integration=connected, trigger=ImportRun.Trigger.SCHEDULED, status="succeeded",
        imported=3, skipped=1, failed=1, api_calls=4,
    )  # fmt: skip
    ImportFailure.objects.create(
        integration=connected,
        run=run,
        record_id="8010000000000AAAAA",
        reason="price 'abc' is not a number",
    )
    log = page.get(url("import_log", connected)).content.decode()
    assert "Scheduled check" in log and ">3<" in log and ">4<" in log
    detail = page.get(url("run_detail", connected, run_id=run.id)).content.decode()
    assert "8010000000000AAAAA" in detail and "price &#x27;abc&#x27; is not a number" in detail
    assert "retried at the next run" in detail


def test_help_page_renders_the_guide(page):
    html = page.get(reverse("salesforce:help")).content.decode()
    assert "<h2>The settings</h2>" in html and "<table>" in html
