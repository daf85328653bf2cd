"""Queued work: a Job is one call of a registered task, retried with backoff until it succeeds."""

from __future__ import annotations

from django.db import models

from orderhub.stores.models import Store


class Job(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        CANCELED = "canceled", "Canceled"

    store = models.ForeignKey(Store, null=True, blank=True, on_delete=models.CASCADE)
    task = models.CharField(max_length=100)
    title = models.CharField(max_length=255, blank=True, default="")
    payload = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    max_attempts = models.PositiveIntegerField(default=5)
    run_after = models.DateTimeField()
    last_error = models.TextField(blank=True, default="")
    result = models.JSONField(default=dict, blank=True)
    # A job claimed by a worker that then dies is claimable again once the lease expires.
    lease_owner = models.CharField(max_length=100, blank=True, default="")
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    # Enqueueing twice with the same key gives the same job (idempotent producers).
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "run_after"], name="job_due")]
        ordering = ["run_after", "id"]

    def __str__(self) -> str:
        return f"{self.task} #{self.id} ({self.status})"
