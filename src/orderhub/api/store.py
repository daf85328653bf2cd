"""The connection test and the store's settings with its folders."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from orderhub.api import envelope
from orderhub.orders.orderdesk_json import format_datetime
from orderhub.stores.queries import folder_map

router = Router(tags=["Store"])


@router.get("/test", summary="Check the credentials")
def test_connection(request: HttpRequest):
    return envelope.success(
        request, "Connection Successful", current_date_time=format_datetime(timezone.now())
    )


@router.get("/store", summary="The store, its settings and its folders")
def get_store(request: HttpRequest):
    store = request.auth
    settings = {**store.settings, "timezone": store.timezone}
    # Never echo secrets, whatever the settings map holds.
    settings = {k: v for k, v in settings.items() if "key" not in k and "password" not in k}
    return envelope.success(
        request,
        store={
            "id": str(store.id),
            "name": store.name,
            "settings": settings,
            "folders": folder_map(store),
        },
    )
