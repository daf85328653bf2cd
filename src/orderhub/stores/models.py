"""Stores, who belongs to them, their folders and their API key."""

from __future__ import annotations

import zoneinfo

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import models

DEFAULT_FOLDERS = ("New", "Prepared", "Closed", "Canceled")


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a time zone name such as America/New_York")


class Store(models.Model):
    name = models.CharField(max_length=200)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    settings = models.JSONField(default=dict, blank=True)
    members = models.ManyToManyField(
        django_settings.AUTH_USER_MODEL, through="Membership", related_name="stores"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        STAFF = "staff", "Staff"

    user = models.ForeignKey(django_settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    store = models.ForeignKey(Store, on_delete=models.CASCADE)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.STAFF)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "store"], name="membership_user_store_unique")
        ]


class Folder(models.Model):
    """Every order lives in exactly one folder; ids are looked up only within their store."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="folders")
    name = models.CharField(max_length=100)
    position = models.PositiveIntegerField(default=0)
    is_default = models.BooleanField(default=False, help_text="Default folders cannot be deleted")

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["store", "name"], name="folder_store_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ApiKey(models.Model):
    """A store's API key: the hash authenticates requests; the encrypted copy signs webhooks.

    Order Desk signs outgoing Post Order JSON requests with HMAC keyed by the API key, so
    the key must be recoverable by the server; it is kept Fernet-encrypted, never in clear.
    """

    store = models.OneToOneField(Store, on_delete=models.CASCADE, related_name="api_key")
    key_hash = models.CharField(max_length=64)
    key_encrypted = models.TextField()
    hint = models.CharField(max_length=8, help_text="Last characters, to recognise the key")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
