"""What is due now: periodic work from registered sources, plus queued jobs.

A source is a function that returns the WorkItems due at this moment (for example the
Salesforce integrations whose next check has passed). Items that share a `key` never run
at the same time in one runner; sources that need the guarantee across processes take a
lease in the database as well.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from orderhub.jobs import queue

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkItem:
    key: str
    title: str
    run: Callable[[], object]


Source = Callable[[], Iterable[WorkItem]]
_sources: dict[str, Source] = {}


def register_source(name: str, find_due: Source) -> None:
    _sources[name] = find_due


def _job_item(job_id: int) -> WorkItem:
    def run_job() -> None:
        job = queue.claim(job_id, queue.worker_name())
        if job is not None:
            queue.run(job)

    return WorkItem(key=f"job:{job_id}", title=f"job {job_id}", run=run_job)


def due_work() -> list[WorkItem]:
    items: list[WorkItem] = []
    for name, find_due in list(_sources.items()):
        try:
            items.extend(find_due())
        except Exception:
            logger.exception("Work source %s failed", name)
    items.extend(_job_item(job_id) for job_id in queue.due_jobs())
    return items
