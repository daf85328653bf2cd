"""Import runs: Salesforce records become orders, page by page, exactly once.

One SOQL query per run (see query.py), streamed page by page. Each page's orders are
written by `orders.services.import_orders` in one transaction; only after it commits do
the cursor and the run's counts advance, so a run killed midway resumes where it
stopped. The lookback window re-reads a few minutes before the cursor, and the unique
(store, integration, record Id) key turns any re-read record into a skip, never a
duplicate. A lease on the integration keeps two runs of one store apart.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from pydantic import ValidationError

from orderhub.core.collector import objects_before_frozen
from orderhub.integrations import leases
from orderhub.integrations import services as integration_services
from orderhub.integrations.errors import (
    ConfigurationError,
    IntegrationError,
    Permanent,
    Unauthorized,
)
from orderhub.integrations.models import StoreIntegration
from orderhub.integrations.salesforce.client import SalesforceGateway
from orderhub.integrations.salesforce.config import SalesforceSettings
from orderhub.integrations.salesforce.connection import gateway_for
from orderhub.integrations.salesforce.mapping import MappingError, RecordMapper, parse_datetime
from orderhub.integrations.salesforce.models import ImportFailure, ImportRun
from orderhub.integrations.salesforce.plan import ImportPlan, build_plan
from orderhub.integrations.salesforce.query import build_count_query, build_import_query
from orderhub.integrations.salesforce.schema import OrgSchema, UnknownObject
from orderhub.integrations.salesforce.services import schedule_next_check, settings_of
from orderhub.jobs.queue import enqueue, worker_name
from orderhub.jobs.tasks import task
from orderhub.orders import services as order_services
from orderhub.orders.models import Order
from orderhub.stores.models import Folder

logger = logging.getLogger(__name__)
MAX_RETRY_IDS = 200
# Salesforce's answers when a name in the query no longer exists in the org.
SCHEMA_ERRORS = frozenset({"INVALID_FIELD", "INVALID_TYPE"})
HISTORY_NOTE = "Imported from Salesforce"
Progress = Callable[[ImportRun], None]


def external_source(integration: StoreIntegration) -> str:
    return f"salesforce:{integration.id}"


def local_midnight(day: date, integration: StoreIntegration) -> datetime:
    return datetime.combine(day, time.min, tzinfo=integration.store.tz)


def _folder(integration: StoreIntegration, settings: SalesforceSettings) -> Folder:
    folders = Folder.objects.filter(store=integration.store_id)
    folder = (
        folders.filter(id=settings.folder_id).first()
        if settings.folder_id is not None
        else folders.order_by("position", "id").first()
    )
    if folder is None:
        raise ConfigurationError(
            "The Folder for New Orders no longer exists — choose another in the Salesforce settings"
        )
    return folder


def _plan(
    integration: StoreIntegration, gateway: SalesforceGateway, *, fresh: bool = False
) -> tuple[SalesforceSettings, ImportPlan]:
    """The run's plan from cached describe data (no API call), or, with `fresh`, from
    describe calls made now — after Salesforce said a field or object does not exist, so
    the run can stop with a message naming the setting to fix."""
    settings = settings_of(integration)
    schema = OrgSchema(integration, lambda: gateway)
    if fresh:
        schema.refresh()
    try:
        return settings, build_plan(settings, schema)
    except UnknownObject as exc:
        raise ConfigurationError(
            f"{exc} — update Default Order Object / Order Item Object"
        ) from None


def _first_page(run_query, integration, gateway):
    """The first page, or the reason a deleted field or object broke the query."""
    try:
        return run_query()
    except Permanent as exc:
        if exc.error_code not in SCHEMA_ERRORS:
            raise
        _plan(integration, gateway, fresh=True)  # raises ConfigurationError naming the setting
        raise


def preview_count(integration: StoreIntegration, since: date) -> int:
    """How many records a manual import from `since` would read (one COUNT() call)."""
    gateway = gateway_for(integration)
    settings, plan = _plan(integration, gateway)
    soql = build_count_query(
        plan, filter_value=settings.filter_value, created_since=local_midnight(since, integration)
    )
    return gateway.count(soql)


def start_manual_import(
    integration: StoreIntegration, since: date, *, actor, expected: int | None = None
) -> ImportRun:
    """Queue a background import of records created since `since` (the store's date)."""
    with transaction.atomic():
        run = ImportRun.objects.create(
            integration=integration,
            trigger=ImportRun.Trigger.MANUAL,
            since=since,
            expected=expected,
        )
        enqueue(
            "salesforce.import",
            {"run_id": run.id},
            store=integration.store,
            title=f"Salesforce import since {since.isoformat()}",
            max_attempts=1,
        )
    return run


@task("salesforce.import", retry_delays=(timedelta(minutes=1),))
def import_task(payload: dict, job) -> dict:
    run = execute(ImportRun.objects.select_related("integration__store").get(id=payload["run_id"]))
    return {"status": run.status, "imported": run.imported}


def run_scheduled_import(integration_id: int) -> ImportRun:
    integration = StoreIntegration.objects.select_related("store").get(id=integration_id)
    run = ImportRun.objects.create(integration=integration, trigger=ImportRun.Trigger.SCHEDULED)
    return execute(run)


def execute(
    run: ImportRun,
    *,
    gateway: SalesforceGateway | None = None,
    progress: Progress | None = None,
) -> ImportRun:
    """Carry out one run under the integration's lease and record how it ended."""
    integration = StoreIntegration.objects.select_related("store").get(id=run.integration_id)
    owner = f"import-run-{run.id}@{worker_name()}"
    if not leases.acquire(integration, owner):
        run.status = ImportRun.Status.SKIPPED
        run.error = "Another import of this store was running; nothing was done."
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        return run
    run.status, run.started_at = ImportRun.Status.RUNNING, timezone.now()
    run.save(update_fields=["status", "started_at"])
    try:
        gateway = gateway or gateway_for(integration)
        with objects_before_frozen():
            _run_pages(run, integration, gateway, owner, progress)
        run.status = ImportRun.Status.SUCCEEDED
        if integration.status != StoreIntegration.Status.CONNECTED or integration.last_error:
            integration_services.mark_status(
                integration, StoreIntegration.Status.CONNECTED, actor=None
            )
    except Unauthorized as exc:
        _fail(run, integration, str(exc), StoreIntegration.Status.RECONNECT_NEEDED)
    except ConfigurationError as exc:
        _fail(run, integration, str(exc), StoreIntegration.Status.ERROR)
    except IntegrationError as exc:
        # Transient trouble the gateway could not ride out, or Salesforce's own refusal:
        # recorded as it came, and tried again at the next check.
        _fail(run, integration, str(exc), StoreIntegration.Status.CONNECTED)
    finally:
        run.api_calls = gateway.calls if gateway is not None else 0
        run.finished_at = timezone.now()
        run.save()
        if run.trigger == ImportRun.Trigger.SCHEDULED:
            integration.refresh_from_db()
            if integration.status == StoreIntegration.Status.RECONNECT_NEEDED:
                # Back off until someone reconnects: polling a revoked org wastes nothing
                # but would fill the log with the same failure.
                StoreIntegration.objects.filter(pk=integration.pk).update(next_check_at=None)
            else:
                schedule_next_check(integration, settings_of(integration))
        leases.release(integration, owner)
        if progress:
            progress(run)
    return run


def _fail(run: ImportRun, integration: StoreIntegration, message: str, status: str) -> None:
    logger.warning(
        "Salesforce import %s for store %s failed: %s", run.id, integration.store_id, message
    )
    run.status = ImportRun.Status.FAILED
    run.error = message
    integration_services.mark_status(integration, status, actor=None, error=message)


def _window(run: ImportRun, integration: StoreIntegration) -> dict:
    if run.since is not None:
        return {"created_since": local_midnight(run.since, integration)}
    cursor = integration.state.get("cursor") or {}
    start = cursor.get("modstamp") or integration.state.get("import_start")
    since = parse_datetime(start) if start else integration.created_at
    return {"since_modstamp": since}


def _all_items(record: dict, plan: ImportPlan, gateway: SalesforceGateway) -> list[dict]:
    children = record.get(plan.item_relationship)
    if not children:
        return []
    items = children.get("records", [])
    # An order with more items than Salesforce returns inline has its own locator.
    if not children.get("done", True):
        items = list(items)
    while not children.get("done", True) and children.get("nextRecordsUrl"):
        children = gateway.query_more(children["nextRecordsUrl"])
        items.extend(children.get("records", []))
    return items


def _run_pages(
    run: ImportRun,
    integration: StoreIntegration,
    gateway: SalesforceGateway,
    owner: str,
    progress: Progress | None,
) -> None:
    settings, plan = _plan(integration, gateway)
    folder = _folder(integration, settings)
    # Records that failed before and are not resolved yet: retried by Id, and marked
    # resolved when a page imports them (the lease keeps other runs from adding any).
    unresolved = set(
        ImportFailure.objects.filter(integration=integration, resolved=False).values_list(
            "record_id", flat=True
        )
    )
    retry_ids = sorted(unresolved)[:MAX_RETRY_IDS]
    soql = build_import_query(
        plan,
        filter_value=settings.filter_value,
        lookback=timedelta(minutes=settings.lookback_minutes),
        retry_ids=retry_ids,
        **_window(run, integration),
    )
    store = integration.store
    mapper = RecordMapper(plan, settings, store.tz)
    pages = gateway.query_pages(soql, read_ahead=True)
    first = _first_page(lambda: next(pages, None), integration, gateway)
    for page in itertools.chain([first] if first is not None else [], pages):
        drafts, failures = [], {}
        for record in page.get("records", []):
            try:
                items = _all_items(record, plan, gateway)
                drafts.append(mapper.draft(record, items))
            except (MappingError, ValidationError, KeyError) as exc:
                failures[record.get("Id", "?")] = _reason(exc)
        result = order_services.import_orders(
            store,
            drafts,
            actor=None,
            folder=folder,
            external_source=external_source(integration),
            source="Salesforce",
            history_note=HISTORY_NOTE,
        )
        failures.update(result.rejected)
        drafts = [d for d in drafts if d.external_id not in result.rejected]
        _record_page(run, integration, page, drafts, result, failures, unresolved)
        if not leases.renew(integration, owner):
            raise IntegrationError("The import lost its lease to another run and stopped")
        if progress:
            progress(run)


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:3])
    return str(exc)


@transaction.atomic
def _record_page(run, integration, page, drafts, result, failures, unresolved: set) -> None:
    """After the page's orders committed: counts, failures, and the cursor, together."""
    run.pages += 1
    run.imported += len(result.created)
    run.skipped += len(result.already_imported)
    run.failed += len(failures)
    run.save(update_fields=["pages", "imported", "skipped", "failed"])
    now_imported = [d.external_id for d in drafts if d.external_id in unresolved]
    if now_imported:
        ImportFailure.objects.filter(
            integration=integration, record_id__in=now_imported, resolved=False
        ).update(resolved=True)
    ImportFailure.objects.bulk_create(
        ImportFailure(integration=integration, run=run, record_id=record_id, reason=reason)
        for record_id, reason in failures.items()
    )
    unresolved.difference_update(now_imported)
    unresolved.update(failures)
    records = page.get("records", [])
    if run.since is None and records:
        last = records[-1]
        state = dict(StoreIntegration.objects.get(pk=integration.pk).state)
        previous = state.get("cursor") or {}
        if (last["SystemModstamp"], last["Id"]) > (
            previous.get("modstamp", ""),
            previous.get("id", ""),
        ):
            state["cursor"] = {"modstamp": last["SystemModstamp"], "id": last["Id"]}
            StoreIntegration.objects.filter(pk=integration.pk).update(state=state)
            integration.state = state


def imported_order_count(integration: StoreIntegration) -> int:
    return Order.objects.filter(
        store=integration.store_id, external_source=external_source(integration)
    ).count()


def due_imports():
    """Work source for the sweeper: connected integrations whose next check has passed."""
    from orderhub.jobs.schedule import WorkItem

    due = StoreIntegration.objects.filter(
        provider="salesforce",
        enabled=True,
        status__in=[StoreIntegration.Status.CONNECTED, StoreIntegration.Status.ERROR],
        next_check_at__lte=timezone.now(),
    ).values_list("id", "store_id")
    for integration_id, store_id in due:
        yield WorkItem(
            key=f"salesforce-import:{store_id}",
            title=f"Salesforce check for store {store_id}",
            run=lambda integration_id=integration_id: run_scheduled_import(integration_id),
        )
