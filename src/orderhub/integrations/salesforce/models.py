"""What the Salesforce integration keeps besides its StoreIntegration row."""

from __future__ import annotations

from django.db import models

from orderhub.integrations.models import StoreIntegration


class DescribeCache(models.Model):
    """A cached describeGlobal (object_name "") or sObject describe, per connection."""

    integration = models.ForeignKey(StoreIntegration, on_delete=models.CASCADE, related_name="+")
    object_name = models.CharField(max_length=255)
    data = models.JSONField()
    fetched_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "object_name"], name="describe_once_per_object"
            )
        ]


class ImportRun(models.Model):
    """One import: what started it, how far it got, and how it ended."""

    class Trigger(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled check"
        MANUAL = "manual", "Manual import"
        COMMAND = "command", "Command line"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped (another import was running)"

    integration = models.ForeignKey(StoreIntegration, on_delete=models.CASCADE, related_name="+")
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    since = models.DateField(null=True, blank=True, help_text="Manual imports: created on or after")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    expected = models.IntegerField(null=True, blank=True, help_text="From the preview count")
    pages = models.IntegerField(default=0)
    imported = models.IntegerField(default=0)
    skipped = models.IntegerField(default=0, help_text="Already imported before")
    failed = models.IntegerField(default=0)
    api_calls = models.IntegerField(default=0)
    error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def seen(self) -> int:
        return self.imported + self.skipped + self.failed

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED, self.Status.SKIPPED)


class ImportFailure(models.Model):
    """A record that could not become an order; retried by Id on later runs until it does."""

    integration = models.ForeignKey(StoreIntegration, on_delete=models.CASCADE, related_name="+")
    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="failures")
    record_id = models.CharField(max_length=18)
    reason = models.TextField()
    resolved = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["integration", "resolved"], name="sf_failure_open")]


class TrackingPush(models.Model):
    """The outbox of shipment write-back: one Salesforce item record to (re)write.

    Written in the same transaction as the shipment change that makes it necessary. The
    text is built from the order's shipments when the push is sent, so several pending
    pushes of one item go out as one record with the latest text, and sending twice is safe.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENT = "sent", "In Salesforce"
        FAILED = "failed", "Failed"
        DISMISSED = "dismissed", "Dismissed"

    integration = models.ForeignKey(StoreIntegration, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey("orders.OrderItem", on_delete=models.CASCADE, related_name="+")
    # The shipment whose change asked for this push (no foreign key: it may be deleted).
    shipment_id = models.BigIntegerField(null=True, blank=True)
    change = models.CharField(max_length=10, default="added")  # added / updated / deleted
    object_name = models.CharField(max_length=255)
    record_id = models.CharField(max_length=18)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.IntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    # A claim by one drain; a drain that dies leaves it to expire, and the row is taken again.
    claimed_by = models.CharField(max_length=100, blank=True, default="")
    claim_expires_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_text = models.TextField(blank=True, default="")
    # Tracking numbers of older shipments left out because the field is too short.
    cut = models.JSONField(default=list, blank=True)
    error_code = models.CharField(max_length=100, blank=True, default="")
    error_message = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="sf_push_due"),
            models.Index(fields=["integration", "status"], name="sf_push_status"),
        ]


class PushLease(models.Model):
    """At most one drain of a store's pushes at a time, across processes (expires by itself)."""

    integration = models.OneToOneField(StoreIntegration, on_delete=models.CASCADE, related_name="+")
    owner = models.CharField(max_length=100, blank=True, default="")
    expires_at = models.DateTimeField(null=True, blank=True)
