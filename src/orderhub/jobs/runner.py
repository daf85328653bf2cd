"""Runners carry out due work. Tasks never know which runner runs them.

- InlineRunner runs items one after another in the calling thread (`run-jobs --once`, tests).
- EmbeddedRunner lives inside `orderhub serve`: APScheduler ticks the sweeper every few
  seconds and a small thread pool runs the items, one per key at a time.
A distributed runner (procrastinate workers over PostgreSQL) can implement the same
`submit` and replace EmbeddedRunner without touching any task.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

from django.db import close_old_connections

from orderhub.config import env, env_bool
from orderhub.jobs.schedule import WorkItem, due_work

logger = logging.getLogger(__name__)


class Runner(Protocol):
    def submit(self, item: WorkItem) -> bool:
        """Start the item unless one with the same key is running; True when started."""


def _run_item(item: WorkItem) -> None:
    try:
        item.run()
    except Exception:
        logger.exception("Work item %s failed", item.title)


def _run_item_in_worker_thread(item: WorkItem) -> None:
    # A pool thread keeps its own database connection between items: drop it when stale.
    # (Not in InlineRunner: the caller's connection, maybe inside a transaction, is not ours.)
    close_old_connections()
    try:
        _run_item(item)
    finally:
        close_old_connections()


class InlineRunner:
    def __init__(self) -> None:
        self.ran: list[str] = []

    def submit(self, item: WorkItem) -> bool:
        _run_item(item)
        self.ran.append(item.key)
        return True


class EmbeddedRunner:
    def __init__(self, *, workers: int = 4, tick_seconds: float = 5.0) -> None:
        self.tick_seconds = tick_seconds
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="orderhub-job")
        self._running: set[str] = set()
        self._lock = threading.Lock()
        self._scheduler = None

    def submit(self, item: WorkItem) -> bool:
        with self._lock:
            if item.key in self._running:
                return False
            self._running.add(item.key)
        self._pool.submit(self._run_and_release, item)
        return True

    def _run_and_release(self, item: WorkItem) -> None:
        try:
            _run_item_in_worker_thread(item)
        finally:
            with self._lock:
                self._running.discard(item.key)

    def sweep(self) -> int:
        close_old_connections()
        try:
            return sum(self.submit(item) for item in due_work())
        finally:
            close_old_connections()

    def start(self) -> None:
        from apscheduler.schedulers.background import BackgroundScheduler

        self._scheduler = BackgroundScheduler(daemon=True)
        self._scheduler.add_job(
            self.sweep,
            "interval",
            seconds=self.tick_seconds,
            max_instances=1,
            coalesce=True,
            id="orderhub-sweeper",
        )
        self._scheduler.start()
        logger.info("Embedded job runner started (tick every %ss)", self.tick_seconds)

    def stop(self) -> None:
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
        self._pool.shutdown(wait=True, cancel_futures=False)


def sweep_once(runner: Runner) -> int:
    """Hand everything due now to `runner`; returns how many items were started."""
    return sum(runner.submit(item) for item in due_work())


_embedded: EmbeddedRunner | None = None


def start_embedded_runner() -> EmbeddedRunner | None:
    """`orderhub serve` calls this; ORDERHUB_RUN_JOBS=false leaves jobs to another process."""
    global _embedded
    if not env_bool("ORDERHUB_RUN_JOBS", True):
        return None
    if _embedded is None:
        _embedded = EmbeddedRunner(tick_seconds=float(env("ORDERHUB_JOBS_TICK_SECONDS", "5")))
        _embedded.start()
    return _embedded
