"""A lease on a StoreIntegration: at most one run per store at a time, across processes.

Taking the lease is a single conditional UPDATE, so two workers racing for it cannot
both win; a holder that dies simply lets the lease expire.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from orderhub.integrations.models import StoreIntegration

DEFAULT_TTL = timedelta(minutes=10)


def acquire(integration: StoreIntegration, owner: str, ttl: timedelta = DEFAULT_TTL) -> bool:
    now = timezone.now()
    taken = (
        StoreIntegration.objects.filter(pk=integration.pk)
        .filter(Q(lease_owner="") | Q(lease_expires_at__lt=now) | Q(lease_owner=owner))
        .update(lease_owner=owner, lease_expires_at=now + ttl)
    )
    return taken == 1


def renew(integration: StoreIntegration, owner: str, ttl: timedelta = DEFAULT_TTL) -> bool:
    """Extend a lease we hold; False when it expired and someone else took it."""
    return (
        StoreIntegration.objects.filter(pk=integration.pk, lease_owner=owner).update(
            lease_expires_at=timezone.now() + ttl
        )
        == 1
    )


def release(integration: StoreIntegration, owner: str) -> None:
    StoreIntegration.objects.filter(pk=integration.pk, lease_owner=owner).update(
        lease_owner="", lease_expires_at=None
    )
