"""An injectable clock: real UTC time by default, or frozen at a set instant that tests move."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta

_DATETIME_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$"
)


class Clock:
    """Tells the org what time it is. `set` freezes it; `advance` moves a frozen clock; `unfreeze` returns to real time."""

    def __init__(self) -> None:
        self._frozen: datetime | None = None
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            if self._frozen is not None:
                return self._frozen
        return datetime.now(UTC)

    def now_ms(self) -> int:
        """Milliseconds since the epoch (how datetimes are stored)."""
        return to_epoch_ms(self.now())

    def set(self, instant: datetime) -> None:
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=UTC)
        with self._lock:
            self._frozen = instant.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        with self._lock:
            base = self._frozen if self._frozen is not None else datetime.now(UTC)
            self._frozen = base + delta

    def unfreeze(self) -> None:
        with self._lock:
            self._frozen = None

    @property
    def frozen(self) -> bool:
        return self._frozen is not None


def to_epoch_ms(instant: datetime) -> int:
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    delta = instant - datetime(1970, 1, 1, tzinfo=UTC)
    return delta.days * 86_400_000 + delta.seconds * 1000 + delta.microseconds // 1000


def from_epoch_ms(ms: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=ms)


def format_datetime(ms: int) -> str:
    """Salesforce's REST datetime format: 2024-01-02T03:04:05.000+0000."""
    dt = from_epoch_ms(ms)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}+0000"


def parse_datetime(text: str) -> datetime:
    """Parse an ISO-8601 datetime as Salesforce accepts it (offset optional, defaults to UTC)."""
    m = _DATETIME_RE.match(text.strip())
    if not m:
        raise ValueError(text)
    year, month, day, hour, minute = (int(m.group(i)) for i in range(1, 6))
    second = int(m.group(6) or 0)
    micro = int(float(m.group(7)) * 1_000_000) if m.group(7) else 0
    tz = m.group(8)
    dt = datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)
    if tz and tz != "Z":
        sign = 1 if tz[0] == "+" else -1
        digits = tz[1:].replace(":", "")
        offset_min = int(digits[:2]) * 60 + int(digits[2:])
        dt = dt - sign * timedelta(minutes=offset_min)
    return dt
