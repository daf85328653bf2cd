"""SOQL date literals (TODAY, LAST_N_DAYS:n, THIS_QUARTER, ...) as half-open date ranges.

Evaluated in UTC against the org's clock; weeks start on Sunday (the en_US locale).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta


def _month_start(d: date, shift: int = 0) -> date:
    index = d.year * 12 + d.month - 1 + shift
    return date(index // 12, index % 12 + 1, 1)


def _quarter_start(d: date, shift: int = 0) -> date:
    first_month = (d.month - 1) // 3 * 3
    return _month_start(date(d.year, first_month + 1, 1), shift * 3)


def _week_start(d: date) -> date:
    return d - timedelta(days=(d.weekday() + 1) % 7)


def date_range(name: str, n: int | None, now: datetime) -> tuple[date, date]:
    """[start, end) of a date literal evaluated at `now`."""
    today = now.date()
    one = timedelta(days=1)
    week = _week_start(today)
    month = _month_start(today)
    quarter = _quarter_start(today)
    year = date(today.year, 1, 1)
    fixed = {
        "YESTERDAY": (today - one, today),
        "TODAY": (today, today + one),
        "TOMORROW": (today + one, today + 2 * one),
        "LAST_WEEK": (week - 7 * one, week),
        "THIS_WEEK": (week, week + 7 * one),
        "NEXT_WEEK": (week + 7 * one, week + 14 * one),
        "LAST_MONTH": (_month_start(today, -1), month),
        "THIS_MONTH": (month, _month_start(today, 1)),
        "NEXT_MONTH": (_month_start(today, 1), _month_start(today, 2)),
        "LAST_90_DAYS": (today - 90 * one, today + one),
        "NEXT_90_DAYS": (today + one, today + 91 * one),
        "LAST_QUARTER": (_quarter_start(today, -1), quarter),
        "THIS_QUARTER": (quarter, _quarter_start(today, 1)),
        "NEXT_QUARTER": (_quarter_start(today, 1), _quarter_start(today, 2)),
        "LAST_YEAR": (date(today.year - 1, 1, 1), year),
        "THIS_YEAR": (year, date(today.year + 1, 1, 1)),
        "NEXT_YEAR": (date(today.year + 1, 1, 1), date(today.year + 2, 1, 1)),
    }
    if name in fixed:
        return fixed[name]
    assert n is not None
    by_n = {
        "LAST_N_DAYS": lambda: (today - n * one, today + one),
        "NEXT_N_DAYS": lambda: (today + one, today + (n + 1) * one),
        "N_DAYS_AGO": lambda: (today - n * one, today - (n - 1) * one),
        "N_DAYS_FROM_NOW": lambda: (today + n * one, today + (n + 1) * one),
        "LAST_N_WEEKS": lambda: (week - 7 * n * one, week),
        "NEXT_N_WEEKS": lambda: (week + 7 * one, week + 7 * (n + 1) * one),
        "N_WEEKS_AGO": lambda: (week - 7 * n * one, week - 7 * (n - 1) * one),
        "LAST_N_MONTHS": lambda: (_month_start(today, -n), month),
        "NEXT_N_MONTHS": lambda: (_month_start(today, 1), _month_start(today, n + 1)),
        "N_MONTHS_AGO": lambda: (_month_start(today, -n), _month_start(today, -n + 1)),
        "LAST_N_QUARTERS": lambda: (_quarter_start(today, -n), quarter),
        "NEXT_N_QUARTERS": lambda: (_quarter_start(today, 1), _quarter_start(today, n + 1)),
        "LAST_N_YEARS": lambda: (date(today.year - n, 1, 1), year),
        "NEXT_N_YEARS": lambda: (date(today.year + 1, 1, 1), date(today.year + n + 1, 1, 1)),
        "N_YEARS_AGO": lambda: (date(today.year - n, 1, 1), date(today.year - n + 1, 1, 1)),
    }
    return by_n[name]()
