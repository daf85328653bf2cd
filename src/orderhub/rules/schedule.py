"""Custom scheduled events: a work source that runs each due scheduled rule on its folder.

A scheduled rule's event_options hold "folder_id" and either "every_minutes" or
"time_of_day" ("HH:MM" in the store's time zone, once a day).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from orderhub.jobs.schedule import WorkItem
from orderhub.rules.event_types import CUSTOM_SCHEDULE
from orderhub.rules.models import Rule


def next_run_after(options: dict, last: datetime | None, tz: ZoneInfo) -> datetime | None:
    """When the schedule is next due after `last` (None = due now, never run before)."""
    every = options.get("every_minutes")
    if every:
        return None if last is None else last + timedelta(minutes=int(every))
    at = options.get("time_of_day")
    if not at:
        return None
    hour, minute = (int(part) for part in str(at).split(":")[:2])
    base = (last or timezone.now() - timedelta(days=1)).astimezone(tz)
    candidate = base.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if candidate <= base:
        candidate += timedelta(days=1)
    return candidate


def is_due(options: dict, last: datetime | None, tz: ZoneInfo, now: datetime) -> bool:
    if not options.get("every_minutes") and not options.get("time_of_day"):
        return False
    due = next_run_after(options, last, tz)
    return due is None or due <= now


def _last(rule: Rule) -> datetime:
    """When the schedule last ran; a rule that never ran counts from when it was made, so a
    new "09:00" rule first runs at the next 09:00, not at once for yesterday's."""
    return rule.last_scheduled_at or rule.created_at


def _claim(rule: Rule, now: datetime) -> bool:
    """Mark the rule as run now unless another runner already did (compare and set)."""
    return bool(
        Rule.objects.filter(id=rule.id, last_scheduled_at=rule.last_scheduled_at).update(
            last_scheduled_at=now
        )
    )


def run_scheduled_rule(rule_id: int) -> int:
    """Run one scheduled rule over its folder's orders if it is still due; rules that ran."""
    from orderhub.rules import engine

    rule = Rule.objects.select_related("store").filter(id=rule_id, enabled=True).first()
    now = timezone.now()
    if rule is None or not is_due(rule.event_options, _last(rule), rule.store.tz, now):
        return 0
    if not _claim(rule, now):
        return 0
    folder_id = rule.event_options.get("folder_id")
    if not folder_id:
        return 0
    ids = rule.store.orders.filter(folder_id=folder_id).values_list("id", flat=True)
    return sum(
        engine.run_event(rule.store, CUSTOM_SCHEDULE, [order_id], rules=[rule])
        for order_id in list(ids)
    )


def find_due() -> list[WorkItem]:
    now = timezone.now()
    items = []
    for rule in Rule.objects.filter(event=CUSTOM_SCHEDULE, enabled=True).select_related("store"):
        if is_due(rule.event_options, _last(rule), rule.store.tz, now):
            items.append(
                WorkItem(
                    key=f"rule-schedule:{rule.id}",
                    title=f"Scheduled rule {rule.name}",
                    run=lambda rule_id=rule.id: run_scheduled_rule(rule_id),
                )
            )
    return items
