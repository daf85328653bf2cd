"""Post Order JSON against a local HTTP receiver: form field, HMAC, retries, re-send."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import urllib.parse
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from orderhub.jobs import queue as jobs
from orderhub.jobs.models import Job
from orderhub.rules import queue as rule_queue
from orderhub.rules.models import QueuedAction
from orderhub.stores.services import regenerate_api_key

from .conftest import rule_history

pytestmark = pytest.mark.django_db(transaction=True)


class Receiver:
    """An HTTP server on a free port of 127.0.0.1 that records posts and answers `statuses`."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = list(statuses)
        self.posts: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.posts.append({"headers": self.headers, "body": body})  # case-insensitive
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/orderdesk"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def run_jobs_now() -> int:
    Job.objects.filter(status=Job.Status.PENDING).update(run_after=timezone.now())
    return jobs.run_due_jobs()


def test_posts_the_order_as_form_field_with_store_id_and_hmac(store, make_rule, create_manual):
    api_key = regenerate_api_key(store, actor=None)
    with Receiver([200]) as receiver:
        make_rule(
            [{"action": "post_order_json", "params": {"url": receiver.url}}], name="To website"
        )
        order = create_manual(checkout_data={"Gift Message": "Hi"})
        # Queued, not sent inside the request that created the order.
        assert receiver.posts == []
        queued = QueuedAction.objects.get(order=order)
        assert queued.status == QueuedAction.Status.PENDING
        assert run_jobs_now() == 1
    [post] = receiver.posts
    form = urllib.parse.parse_qs(post["body"].decode())
    order_json = form["order"][0]
    data = json.loads(order_json)
    assert data["id"] == str(order.id) and data["checkout_data"] == {"Gift Message": "Hi"}
    assert post["headers"]["X-ORDER-DESK-STORE-ID"] == str(store.id)
    expected = hmac.new(api_key.encode(), order_json.encode(), hashlib.sha256).hexdigest()
    assert post["headers"]["X-ORDER-DESK-HASH"] == expected
    queued.refresh_from_db()
    assert queued.status == QueuedAction.Status.SUCCEEDED
    notes = rule_history(order)
    assert notes[0] == f'Rule "To website" ran: queued Post Order JSON to {receiver.url}'
    assert notes[1] == f'Rule "To website": Posted order JSON to {receiver.url} (HTTP 200)'


def test_201_is_success_and_no_api_key_means_no_hash(store, make_rule, create_manual):
    with Receiver([201]) as receiver:
        make_rule([{"action": "post_order_json", "params": {"url": receiver.url}}])
        order = create_manual()
        run_jobs_now()
    assert "X-ORDER-DESK-HASH" not in receiver.posts[0]["headers"]
    assert QueuedAction.objects.get(order=order).status == QueuedAction.Status.SUCCEEDED


def test_failures_are_retried_with_backoff_then_succeed(store, make_rule, create_manual):
    with Receiver([500, 202, 200]) as receiver:
        make_rule([{"action": "post_order_json", "params": {"url": receiver.url}}])
        order = create_manual()
        queued = QueuedAction.objects.get(order=order)
        assert jobs.run_due_jobs() == 1
        job = Job.objects.get(id=queued.job_id)
        assert job.status == Job.Status.PENDING and "HTTP 500" in job.last_error
        # The first retry waits about 5 minutes (with jitter), not seconds.
        assert job.run_after > timezone.now() + timedelta(minutes=3)
        assert jobs.run_due_jobs() == 0
        run_jobs_now()  # 202 is not success either
        run_jobs_now()
    assert len(receiver.posts) == 3
    job.refresh_from_db()
    queued.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.attempts == 3
    assert queued.status == QueuedAction.Status.SUCCEEDED


def test_gives_up_after_five_retries_over_two_hours_and_can_be_resent(
    store, make_rule, create_manual
):
    with Receiver([500] * 6 + [200]) as receiver:
        make_rule([{"action": "post_order_json", "params": {"url": receiver.url}}], name="Hook")
        order = create_manual()
        queued = QueuedAction.objects.get(order=order)
        waits = []
        for _ in range(6):
            before = timezone.now()
            run_jobs_now()
            job = Job.objects.get(id=queued.job_id)
            if job.status == Job.Status.PENDING:
                waits.append(job.run_after - before)
        assert len(receiver.posts) == 6  # the first try and 5 retries
        total = sum(waits, timedelta())
        assert timedelta(hours=1, minutes=30) < total < timedelta(hours=2, minutes=30)
        queued.refresh_from_db()
        assert queued.status == QueuedAction.Status.FAILED
        assert "HTTP 500" in queued.last_error
        assert "failed after 6 attempts" in rule_history(order)[-1]
        # Re-send from the queue page.
        rule_queue.resend(queued)
        assert jobs.run_due_jobs() == 1
    queued.refresh_from_db()
    assert queued.status == QueuedAction.Status.SUCCEEDED and len(receiver.posts) == 7


def test_unreachable_url_is_retried(store, make_rule, create_manual):
    with Receiver([]) as receiver:
        url = receiver.url
    make_rule([{"action": "post_order_json", "params": {"url": url}}])
    order = create_manual()
    jobs.run_due_jobs()
    queued = QueuedAction.objects.get(order=order)
    assert queued.job.status == Job.Status.PENDING
    assert "Could not reach" in queued.job.last_error


def test_url_must_be_http(store, make_rule):
    from orderhub.rules.services import RuleInvalid

    with pytest.raises(RuleInvalid, match="not an http"):
        make_rule([{"action": "post_order_json", "params": {"url": "file:///etc/passwd"}}])
