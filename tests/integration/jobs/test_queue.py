"""The job queue: retries with backoff, permanent failures, leases, dedupe."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from orderhub.jobs import queue
from orderhub.jobs.models import Job
from orderhub.jobs.runner import InlineRunner, sweep_once
from orderhub.jobs.tasks import PermanentFailure, RetryLater, task

pytestmark = pytest.mark.django_db
calls: list[dict] = []


@task("test.flaky", retry_delays=(timedelta(seconds=1),))
def flaky(payload, job):
    calls.append(payload)
    if job.attempts < payload["succeed_on"]:
        raise RetryLater("not yet")
    return {"done": True}


@task("test.broken")
def broken(payload, job):
    raise PermanentFailure("the URL answered 404")


def make_due(job: Job) -> None:
    Job.objects.filter(id=job.id).update(run_after=timezone.now())


def test_transient_failure_is_retried_until_success(store):
    calls.clear()
    job = queue.enqueue("test.flaky", {"succeed_on": 2}, store=store)
    assert queue.run_due_jobs() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.PENDING and job.last_error == "not yet"
    assert job.run_after > timezone.now()
    assert queue.run_due_jobs() == 0  # not due yet: backoff
    make_due(job)
    assert queue.run_due_jobs() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.attempts == 2 and job.result == {"done": True}


def test_gives_up_after_max_attempts(store):
    job = queue.enqueue("test.flaky", {"succeed_on": 99}, store=store, max_attempts=2)
    queue.run_due_jobs()
    make_due(job)
    queue.run_due_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.last_error == "Gave up after 2 attempts: not yet"


def test_permanent_failure_is_not_retried_but_can_be_retried_by_hand(store):
    job = queue.enqueue("test.broken", {}, store=store)
    queue.run_due_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.last_error == "the URL answered 404"
    queue.retry_now(job)
    assert queue.run_due_jobs() == 1
    job.refresh_from_db()
    assert job.attempts == 2


def test_a_claimed_job_cannot_be_claimed_twice_until_its_lease_expires(store):
    job = queue.enqueue("test.flaky", {"succeed_on": 1}, store=store)
    assert queue.claim(job.id, "worker-a") is not None
    assert queue.claim(job.id, "worker-b") is None
    # The holder died: once the lease expires another worker takes the job over.
    Job.objects.filter(id=job.id).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    assert queue.claim(job.id, "worker-b").lease_owner == "worker-b"


def test_dedupe_key_makes_enqueue_idempotent(store):
    first = queue.enqueue("test.flaky", {"succeed_on": 1}, store=store, dedupe_key="k1")
    second = queue.enqueue("test.flaky", {"succeed_on": 1}, store=store, dedupe_key="k1")
    assert first.id == second.id and Job.objects.count() == 1


def test_unknown_task_is_refused(store):
    with pytest.raises(LookupError, match="No task registered"):
        queue.enqueue("test.nothing", {}, store=store)


def test_sweep_hands_due_jobs_to_the_runner(store):
    calls.clear()
    queue.enqueue("test.flaky", {"succeed_on": 1}, store=store)
    runner = InlineRunner()
    assert sweep_once(runner) == 1
    assert calls == [{"succeed_on": 1}]
