"""Putting jobs in the queue, claiming due ones, and recording how they ended."""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from orderhub.jobs.models import Job
from orderhub.jobs.tasks import PermanentFailure, RetryLater, get_task, retry_delay
from orderhub.stores.models import Store

logger = logging.getLogger(__name__)
LEASE = timedelta(minutes=10)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def enqueue(
    task: str,
    payload: dict,
    *,
    store: Store | None,
    title: str = "",
    max_attempts: int = 5,
    delay: timedelta = timedelta(0),
    dedupe_key: str | None = None,
) -> Job:
    """Queue a call of `task`. Call it inside the transaction that makes the work necessary,
    so the job exists exactly when that change does (an outbox)."""
    if get_task(task) is None:
        raise LookupError(f"No task registered as {task!r}")
    fields = {
        "store": store,
        "task": task,
        "title": title,
        "payload": payload,
        "max_attempts": max_attempts,
        "run_after": timezone.now() + delay,
    }
    if dedupe_key is None:
        return Job.objects.create(**fields)
    try:
        with transaction.atomic():
            return Job.objects.create(dedupe_key=dedupe_key, **fields)
    except IntegrityError:
        return Job.objects.get(dedupe_key=dedupe_key)


def due_jobs(limit: int = 50) -> list[int]:
    now = timezone.now()
    ready = Q(status=Job.Status.PENDING, run_after__lte=now) | Q(
        status=Job.Status.RUNNING, lease_expires_at__lt=now
    )
    return list(
        Job.objects.filter(ready).order_by("run_after", "id").values_list("id", flat=True)[:limit]
    )


def claim(job_id: int, owner: str) -> Job | None:
    """Take the job's lease if nobody holds it; None when someone else got there first."""
    now = timezone.now()
    with transaction.atomic():
        claimed = (
            Job.objects.filter(id=job_id)
            .filter(
                Q(status=Job.Status.PENDING, run_after__lte=now)
                | Q(status=Job.Status.RUNNING, lease_expires_at__lt=now)
            )
            .update(
                status=Job.Status.RUNNING,
                lease_owner=owner,
                lease_expires_at=now + LEASE,
            )
        )
    return Job.objects.get(id=job_id) if claimed else None


def run(job: Job) -> Job:
    """Run a claimed job once and record the outcome."""
    task = get_task(job.task)
    job.attempts += 1
    if task is None:
        return _finish(job, Job.Status.FAILED, f"Unknown task {job.task!r}")
    try:
        result = task.function(job.payload, job)
    except PermanentFailure as exc:
        return _finish(job, Job.Status.FAILED, str(exc))
    except Exception as exc:  # transient by default: retried until attempts run out
        if not isinstance(exc, RetryLater):
            logger.exception("Job %s (%s) failed", job.id, job.task)
        message = str(exc) or type(exc).__name__
        if job.attempts >= job.max_attempts:
            return _finish(
                job, Job.Status.FAILED, f"Gave up after {job.attempts} attempts: {message}"
            )
        delay = getattr(exc, "delay", None) or retry_delay(task, job.attempts)
        # Jitter spreads retries so that many jobs failing together do not retry together.
        delay *= random.uniform(0.8, 1.2)
        return _reschedule(job, message, delay)
    return _finish(job, Job.Status.SUCCEEDED, "", result=result if isinstance(result, dict) else {})


def _finish(job: Job, status: str, error: str, *, result: dict | None = None) -> Job:
    job.status = status
    job.last_error = error
    job.result = result or {}
    job.finished_at = timezone.now()
    job.lease_owner, job.lease_expires_at = "", None
    job.save(
        update_fields=[
            "status",
            "attempts",
            "last_error",
            "result",
            "finished_at",
            "lease_owner",
            "lease_expires_at",
        ]
    )
    return job


def _reschedule(job: Job, error: str, delay: timedelta) -> Job:
    job.status = Job.Status.PENDING
    job.last_error = error
    job.run_after = timezone.now() + delay
    job.lease_owner, job.lease_expires_at = "", None
    job.save(
        update_fields=[
            "status",
            "attempts",
            "last_error",
            "run_after",
            "lease_owner",
            "lease_expires_at",
        ]
    )
    return job


def retry_now(job: Job) -> Job:
    """A person asked to send a failed job again: one more attempt, starting now."""
    job.status = Job.Status.PENDING
    job.run_after = timezone.now()
    job.max_attempts = max(job.max_attempts, job.attempts + 1)
    job.finished_at = None
    job.save(update_fields=["status", "run_after", "max_attempts", "finished_at"])
    return job


def cancel(job: Job) -> Job:
    return _finish(job, Job.Status.CANCELED, job.last_error)


def run_due_jobs(limit: int = 50) -> int:
    """Claim and run the due jobs in this thread (for `run-jobs --once` and tests)."""
    owner = worker_name()
    ran = 0
    for job_id in due_jobs(limit):
        job = claim(job_id, owner)
        if job is not None:
            run(job)
            ran += 1
    return ran
