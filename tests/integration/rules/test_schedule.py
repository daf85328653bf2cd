"""Custom scheduled events run through the jobs work source over the chosen folder."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from orderhub.jobs.runner import InlineRunner, sweep_once
from orderhub.orders.models import Order
from orderhub.rules.models import Rule

pytestmark = pytest.mark.django_db(transaction=True)


def test_scheduled_rule_runs_on_its_folder_when_due(store, folders, make_rule, create_manual):
    rule = make_rule(
        [{"action": "set_checkout_data", "params": {"lines": "Reminders|++"}}],
        event="custom_schedule",
        event_options={"name": "Every hour", "folder_id": folders["New"].id, "every_minutes": 60},
    )
    in_new = create_manual()
    elsewhere = create_manual(folder_id=folders["Hold"].id)
    # Not due until an hour after the rule was made.
    runner = InlineRunner()
    sweep_once(runner)
    assert f"rule-schedule:{rule.id}" not in runner.ran
    Rule.objects.filter(id=rule.id).update(created_at=timezone.now() - timedelta(minutes=61))
    runner = InlineRunner()
    sweep_once(runner)
    assert f"rule-schedule:{rule.id}" in runner.ran
    assert Order.objects.get(pk=in_new.pk).checkout_data == {"Reminders": "1"}
    assert Order.objects.get(pk=elsewhere.pk).checkout_data == {}
    # Not due again for an hour.
    runner = InlineRunner()
    sweep_once(runner)
    assert f"rule-schedule:{rule.id}" not in runner.ran
    Rule.objects.filter(id=rule.id).update(last_scheduled_at=timezone.now() - timedelta(minutes=61))
    sweep_once(InlineRunner())
    assert Order.objects.get(pk=in_new.pk).checkout_data == {"Reminders": "2"}


def test_disabled_scheduled_rule_does_not_run(store, folders, make_rule, create_manual):
    make_rule(
        [{"action": "tag_order", "params": {"color": "red"}}],
        event="custom_schedule",
        enabled=False,
        event_options={"name": "x", "folder_id": folders["New"].id, "every_minutes": 5},
    )
    order = create_manual()
    sweep_once(InlineRunner())
    assert Order.objects.get(pk=order.pk).tag_color == ""


def test_time_of_day_rule_waits_for_its_time(store, folders, make_rule, create_manual):
    now_local = timezone.now().astimezone(store.tz)
    soon = (now_local + timedelta(hours=1)).strftime("%H:%M")
    rule = make_rule(
        [{"action": "tag_order", "params": {"color": "red", "name": "daily"}}],
        event="custom_schedule",
        event_options={"name": "Daily", "folder_id": folders["New"].id, "time_of_day": soon},
    )
    order = create_manual()
    sweep_once(InlineRunner())
    assert Order.objects.get(pk=order.pk).tag_name == ""  # its time has not come
    # A day later (made yesterday), today's time has passed.
    Rule.objects.filter(id=rule.id).update(created_at=timezone.now() - timedelta(hours=25))
    sweep_once(InlineRunner())
    assert Order.objects.get(pk=order.pk).tag_name == "daily"
