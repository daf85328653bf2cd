"""StoreIntegration: one provider connected to one store, with its secrets and settings."""

from __future__ import annotations

from django.db import models

from orderhub.stores.models import Store


class StoreIntegration(models.Model):
    class Status(models.TextChoices):
        NOT_CONNECTED = "not_connected", "Not connected"
        CONNECTED = "connected", "Connected"
        RECONNECT_NEEDED = "reconnect_needed", "Reconnect needed"
        ERROR = "error", "Error"

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="integrations")
    provider = models.CharField(max_length=50)
    enabled = models.BooleanField(default=True)
    # The account on the other side (for Salesforce: the org id), once connected.
    external_id = models.CharField(max_length=100, blank=True, default="")
    # Fernet-encrypted JSON (tokens, client secrets); never stored or logged in clear.
    credentials = models.TextField(blank=True, default="")
    # Settings as JSON, validated by the provider's pydantic model on every write.
    config = models.JSONField(default=dict, blank=True)
    # Provider-owned bookkeeping (import cursor, describe cache stamp...).
    state = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_CONNECTED)
    last_error = models.TextField(blank=True, default="")
    last_error_at = models.DateTimeField(null=True, blank=True)
    api_usage = models.CharField(max_length=50, blank=True, default="")
    next_check_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # A lease taken in the database so that one store never has two runs at once; it
    # expires by itself when its holder dies.
    lease_owner = models.CharField(max_length=100, blank=True, default="")
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["store", "provider"], name="one_integration_per_provider_per_store"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} for {self.store}"
