"""When a custom scheduled event is due (pure time arithmetic)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from orderhub.rules.schedule import is_due

UTC = ZoneInfo("UTC")
NY = ZoneInfo("America/New_York")


def at(hour, minute=0, day=15):
    return datetime(2024, 6, day, hour, minute, tzinfo=UTC)


def test_interval():
    options = {"every_minutes": 30}
    assert is_due(options, None, UTC, at(10))
    assert not is_due(options, at(10), UTC, at(10, 29))
    assert is_due(options, at(10), UTC, at(10, 30))


def test_time_of_day_in_store_time():
    options = {"time_of_day": "09:00"}  # 09:00 in New York is 13:00 UTC in June
    last = at(13, 0, day=14)
    assert not is_due(options, last, NY, at(12, 59))
    assert is_due(options, last, NY, at(13, 0))
    # Once it ran today, it waits for tomorrow.
    assert not is_due(options, at(13, 0), NY, at(23, 0))
    assert is_due(options, at(13, 0), NY, at(13, 0) + timedelta(days=1))


def test_no_schedule_is_never_due():
    assert not is_due({}, None, UTC, at(10))
