"""Fault rules and the decision of which fault (if any) hits a request. No HTTP here."""

from __future__ import annotations

import fnmatch
import random
import threading
from dataclasses import asdict, dataclass

KINDS = (
    "SERVER_UNAVAILABLE",
    "UNKNOWN_EXCEPTION",
    "UNABLE_TO_LOCK_ROW",
    "DROP_CONNECTION",
    "LATENCY",
)
ALIASES = {"503": "SERVER_UNAVAILABLE", "500": "UNKNOWN_EXCEPTION", "lock": "UNABLE_TO_LOCK_ROW",
           "drop": "DROP_CONNECTION", "latency": "LATENCY"}  # fmt: skip


@dataclass
class Fault:
    """Inject `kind` into requests whose path matches the glob `path` with probability `rate`.

    `times` limits how many requests it hits (None: unlimited); `latency_ms` applies to LATENCY.
    """

    kind: str
    path: str = "/services/*"
    rate: float = 1.0
    methods: list[str] | None = None
    latency_ms: int = 0
    times: int | None = None
    hits: int = 0

    def __post_init__(self) -> None:
        self.kind = ALIASES.get(self.kind, self.kind)
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; use one of {', '.join(KINDS)}")
        if not 0 <= self.rate <= 1:
            raise ValueError("rate must be between 0 and 1")

    def matches(self, method: str, path: str) -> bool:
        if self.times is not None and self.hits >= self.times:
            return False
        if self.methods and method.upper() not in {m.upper() for m in self.methods}:
            return False
        return fnmatch.fnmatchcase(path, self.path)

    def to_json(self) -> dict:
        return asdict(self)


class FaultPlan:
    """The active faults; `pick` decides per request (seeded, so runs repeat)."""

    def __init__(self, seed: int = 0) -> None:
        self._faults: list[Fault] = []
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    def set(self, faults: list[Fault], seed: int | None = None) -> None:
        with self._lock:
            self._faults = list(faults)
            if seed is not None:
                self._random.seed(seed)

    def add(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def clear(self) -> None:
        self.set([])

    def list(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def pick(self, method: str, path: str) -> tuple[int, Fault | None]:
        """(added latency in ms, the error fault to inject or None)."""
        latency = 0
        chosen = None
        with self._lock:
            for fault in self._faults:
                if not fault.matches(method, path):
                    continue
                if self._random.random() >= fault.rate:
                    continue
                if fault.kind == "LATENCY":
                    latency += fault.latency_ms
                    fault.hits += 1
                elif chosen is None:
                    chosen = fault
                    fault.hits += 1
        return latency, chosen
