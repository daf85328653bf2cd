"""Rules and the queue of their remote actions.

A Rule is one row of a store's Rule Builder: a type, one event, filters (JSON rows joined by
AND or OR), actions (JSON rows {"action": key, "params": {...}}), and its place in the list.
A QueuedAction is one remote action (Post Order JSON, Create Salesforce record) a rule run
queued for an order; a job carries it out, and the queue page shows it and can re-send it.
"""

from __future__ import annotations

from django.db import models

from orderhub.jobs.models import Job
from orderhub.orders.models import Order
from orderhub.rules.event_types import EVENTS, RULE_TYPES
from orderhub.stores.models import Store


class Rule(models.Model):
    class Join(models.TextChoices):
        AND = "and", "All filters match (AND)"
        OR = "or", "Any filter matches (OR)"

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="rules")
    name = models.CharField(max_length=200)
    rule_type = models.CharField(max_length=10, choices=list(RULE_TYPES.items()), default="order")
    event = models.CharField(max_length=40, choices=list(EVENTS.items()))
    # Custom events: {"name": "Send to printer"}; scheduled ones add "folder_id" and either
    # "time_of_day" ("HH:MM", store time) or "every_minutes".
    event_options = models.JSONField(default=dict, blank=True)
    filter_join = models.CharField(max_length=3, choices=Join.choices, default=Join.AND)
    filters = models.JSONField(default=list, blank=True)
    actions = models.JSONField(default=list)
    enabled = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)
    stop_processing = models.BooleanField(
        default=False, help_text="When this rule matches, do not run the rules below it"
    )
    last_scheduled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["store", "event", "position"], name="rule_store_event")]

    def __str__(self) -> str:
        return self.name

    @property
    def event_label(self) -> str:
        label = EVENTS.get(self.event, self.event)
        custom = self.event_options.get("name")
        return f"{label}: {custom}" if custom else label


class QueuedAction(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for an earlier action"
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Sent"
        FAILED = "failed", "Failed"

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="queued_actions")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="queued_actions")
    item_id = models.BigIntegerField(null=True, blank=True)
    rule = models.ForeignKey(Rule, null=True, blank=True, on_delete=models.SET_NULL)
    rule_name = models.CharField(max_length=200)
    action_key = models.CharField(max_length=200)
    action_label = models.CharField(max_length=255)
    params = models.JSONField(default=dict)
    # The remote actions of one rule run on one order run one after another, in rule order:
    # the next one is queued when the one before it succeeds.
    run_key = models.CharField(max_length=64, db_index=True)
    sequence = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    result = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.action_label} for order {self.order_id} ({self.status})"
