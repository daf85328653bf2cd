"""GET /test and GET /store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from orderhub.stores.models import Folder
from orderhub.stores.services import create_folder

pytestmark = pytest.mark.django_db


def test_connection_test(api):
    response = api.get("/test")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["message"]) == ("success", "Connection Successful")
    sent = datetime.strptime(body["current_date_time"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    assert abs(sent - datetime.now(UTC)) < timedelta(seconds=5)
    assert body["execution_time"].endswith(" seconds")


def test_store_with_folder_map(api, store):
    custom = create_folder(store, "Wholesale", actor=None)
    response = api.get("/store")
    assert response.status_code == 200
    answer = response.json()["store"]
    assert answer["id"] == str(store.id)
    assert answer["name"] == "Ann's Shop"
    assert answer["settings"]["timezone"] == "UTC"
    folders = {str(f.id): f.name for f in Folder.objects.filter(store=store)}
    assert answer["folders"] == folders
    assert sorted(answer["folders"].values()) == sorted(
        ["New", "Prepared", "Closed", "Canceled", "Wholesale"]
    )
    assert answer["folders"][str(custom.id)] == "Wholesale"
    assert "api_key" not in response.content.decode()


def test_each_store_sees_its_own_store(api, other_api, store, other_store):
    assert api.get("/store").json()["store"]["id"] == str(store.id)
    assert other_api.get("/store").json()["store"]["id"] == str(other_store.id)
