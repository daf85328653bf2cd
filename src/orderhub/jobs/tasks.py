"""The task registry. A task is a function of (payload, job) that the runner calls.

A task signals how it failed: `RetryLater` (transient: try again after a delay),
`PermanentFailure` (do not retry; show the message). Any other exception counts as
transient until the job's attempts run out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

TaskFunction = Callable[[dict, Any], Any]


class RetryLater(Exception):
    def __init__(self, message: str, *, delay: timedelta | None = None) -> None:
        super().__init__(message)
        self.delay = delay


class PermanentFailure(Exception):
    pass


@dataclass(frozen=True)
class Task:
    name: str
    function: TaskFunction
    # Delays before attempt 2, 3, ...; the last one repeats.
    retry_delays: tuple[timedelta, ...]


_tasks: dict[str, Task] = {}

DEFAULT_RETRY_DELAYS = (
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(minutes=30),
    timedelta(hours=1),
)


def task(name: str, *, retry_delays: tuple[timedelta, ...] = DEFAULT_RETRY_DELAYS):
    """Register a function as the task `name`."""

    def register(function: TaskFunction) -> TaskFunction:
        _tasks[name] = Task(name, function, retry_delays)
        return function

    return register


def get_task(name: str) -> Task | None:
    return _tasks.get(name)


def retry_delay(task_: Task, attempts: int) -> timedelta:
    index = min(max(attempts - 1, 0), len(task_.retry_delays) - 1)
    return task_.retry_delays[index]
