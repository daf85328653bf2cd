"""Remote actions as queued jobs: one QueuedAction (and job) per action, run in rule order.

The remote actions of one rule run on one order form a chain: the first is queued with the
rule's changes, and each next one when the one before it succeeds (so a Salesforce item
record is created after the order record it points to). A failed action can be re-sent from
the queue page; when it succeeds, the chain continues.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from orderhub.jobs import queue as jobs
from orderhub.jobs.models import Job
from orderhub.jobs.tasks import PermanentFailure, RetryLater, task
from orderhub.orders import services
from orderhub.orders.models import HistoryKind, Order, OrderItem
from orderhub.orders.queries import with_details
from orderhub.rules import actions as registry
from orderhub.rules.models import QueuedAction, Rule

logger = logging.getLogger(__name__)
TASK = "rules.remote_action"


def queue_remote_actions(
    order: Order, rule: Rule, requests: list[registry.RemoteRequest], *, run_key: str
) -> list[QueuedAction]:
    """Record the run's remote actions and queue the first (call inside the rule's transaction)."""
    queued = [
        QueuedAction.objects.create(
            store_id=order.store_id,
            order=order,
            item_id=request.item_id,
            rule=rule,
            rule_name=rule.name,
            action_key=request.action_key,
            action_label=request.label,
            params=request.params,
            run_key=run_key,
            sequence=index,
            status=QueuedAction.Status.PENDING if index == 0 else QueuedAction.Status.WAITING,
        )
        for index, request in enumerate(requests)
    ]
    if queued:
        _enqueue(queued[0])
    return queued


def _enqueue(queued: QueuedAction) -> Job:
    action = registry.get_action(queued.store, queued.action_key)
    max_attempts = action.max_attempts if action else 1
    job = jobs.enqueue(
        TASK,
        {"queued_action_id": queued.id},
        store=queued.store,
        title=f"{queued.action_label} for order {queued.order_id}",
        max_attempts=max_attempts,
    )
    queued.job = job
    queued.status = QueuedAction.Status.PENDING
    queued.save(update_fields=["job", "status", "updated_at"])
    return job


def _earlier(queued: QueuedAction) -> list[dict]:
    return [
        {"action_key": q.action_key, "item_id": q.item_id, "result": q.result}
        for q in QueuedAction.objects.filter(
            run_key=queued.run_key, sequence__lt=queued.sequence
        ).order_by("sequence")
    ]


def _write_history(order: Order, note: str, queued: QueuedAction) -> None:
    services.record_activity(
        order,
        note,
        actor=None,
        source="Auto",
        kind=HistoryKind.RULE,
        details={"queued_action_id": queued.id, "rule": queued.rule_name},
    )


@task(TASK)
def run_remote_action(payload: dict, job: Job) -> dict:
    queued = (
        QueuedAction.objects.select_related("store", "order")
        .filter(id=payload["queued_action_id"])
        .first()
    )
    if queued is None:
        raise PermanentFailure("The queued action no longer exists")
    order = with_details(Order.objects.filter(id=queued.order_id)).select_related("store").first()
    action = registry.get_action(queued.store, queued.action_key)
    queued.attempts += 1
    if order is None or action is None:
        reason = "the order was deleted" if order is None else "the action is no longer available"
        _fail(queued, f"{queued.action_label}: {reason}", order)
        raise PermanentFailure(reason)
    item = (
        OrderItem.objects.filter(order=order, id=queued.item_id).first() if queued.item_id else None
    )
    step = registry.RemoteStep(queued.id, queued.attempts, _earlier(queued))
    try:
        result = action.perform(order, item, queued.params, step)
    except PermanentFailure as exc:
        _fail(queued, f"{queued.action_label} failed: {exc}", order)
        raise
    except Exception as exc:
        message = str(exc) or type(exc).__name__
        if queued.attempts >= job.max_attempts:
            _fail(
                queued,
                f"{queued.action_label} failed after {queued.attempts} attempts: {message}",
                order,
            )
            raise PermanentFailure(message) from exc
        queued.last_error = message
        queued.save(update_fields=["attempts", "last_error", "updated_at"])
        delays = action.retry_delays
        delay = (
            delays[min(queued.attempts - 1, len(delays) - 1)] if delays else timedelta(minutes=1)
        )
        raise RetryLater(message, delay=delay) from exc
    queued.status = QueuedAction.Status.SUCCEEDED
    queued.result = result or ""
    queued.last_error = ""
    queued.save(update_fields=["status", "result", "last_error", "attempts", "updated_at"])
    _write_history(order, f'Rule "{queued.rule_name}": {result}', queued)
    following = (
        QueuedAction.objects.filter(run_key=queued.run_key, sequence__gt=queued.sequence)
        .order_by("sequence")
        .first()
    )
    if following is not None and following.status == QueuedAction.Status.WAITING:
        with transaction.atomic():
            _enqueue(following)
    return {"result": result}


def _fail(queued: QueuedAction, message: str, order: Order | None) -> None:
    queued.status = QueuedAction.Status.FAILED
    queued.last_error = message
    queued.save(update_fields=["status", "last_error", "attempts", "updated_at"])
    if order is not None:
        _write_history(order, f'Rule "{queued.rule_name}": {message}', queued)


def resend(queued: QueuedAction) -> QueuedAction:
    """A person asked to send it again: a fresh try now (its idempotency key still holds)."""
    with transaction.atomic():
        queued.attempts = 0
        queued.last_error = ""
        queued.save(update_fields=["attempts", "last_error", "updated_at"])
        job = queued.job
        if job is None or queued.status == QueuedAction.Status.WAITING:
            _enqueue(queued)
            return queued
        if job.status in (Job.Status.FAILED, Job.Status.CANCELED, Job.Status.SUCCEEDED):
            job.attempts = 0
            job.save(update_fields=["attempts"])
            jobs.retry_now(job)
        elif job.status == Job.Status.PENDING:
            Job.objects.filter(id=job.id).update(run_after=timezone.now())
        queued.status = QueuedAction.Status.PENDING
        queued.save(update_fields=["status", "updated_at"])
    return queued


def due_now(queued: QueuedAction) -> None:
    """Tests and the queue page: make the action's job due at once."""
    if queued.job_id:
        Job.objects.filter(id=queued.job_id, status=Job.Status.PENDING).update(
            run_after=timezone.now()
        )
