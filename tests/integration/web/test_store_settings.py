"""Store Settings: details, folders (create, rename, delete), the API key."""

from __future__ import annotations

import pytest
from django.urls import reverse

from integration.web.pages import make_order
from orderhub.stores.queries import store_for_api_key
from orderhub.stores.services import create_folder

pytestmark = pytest.mark.django_db


def test_store_details_save(client_in, store):
    url = reverse("web:store_details", args=[store.id])
    assert b"Store Details" in client_in.get(url).content
    data = {"name": "Ann's Better Shop", "timezone": "Europe/Paris"}
    response = client_in.post(url, data, follow=True)
    assert b"Store details saved" in response.content
    store.refresh_from_db()
    assert (store.name, store.timezone) == ("Ann's Better Shop", "Europe/Paris")


def test_store_details_errors(client_in, store):
    url = reverse("web:store_details", args=[store.id])
    response = client_in.post(url, {"name": "", "timezone": "Mars/Olympus"})
    assert response.content.count(b"invalid-feedback") == 2
    store.refresh_from_db()
    assert store.name == "Ann's Shop"


def test_create_folder(client_in, store):
    url = reverse("web:folders", args=[store.id])
    response = client_in.post(url, {"name": "Wholesale"}, follow=True)
    assert b"Folder Wholesale created" in response.content
    assert store.folders.filter(name="Wholesale").exists()


def test_create_folder_with_a_taken_name(client_in, store):
    response = client_in.post(reverse("web:folders", args=[store.id]), {"name": "New"})
    assert b"already exists" in response.content
    assert store.folders.filter(name="New").count() == 1


def test_rename_default_folder(client_in, store):
    new = store.folders.get(name="New")
    url = reverse("web:rename_folder", args=[store.id, new.id])
    response = client_in.post(url, {"name": "Inbox"}, follow=True)
    assert b"Folder New renamed to Inbox" in response.content
    new.refresh_from_db()
    assert new.name == "Inbox" and new.is_default


def test_rename_to_a_taken_or_empty_name(client_in, store):
    new = store.folders.get(name="New")
    url = reverse("web:rename_folder", args=[store.id, new.id])
    assert b"already exists" in client_in.post(url, {"name": "Closed"}, follow=True).content
    assert b"needs a name" in client_in.post(url, {"name": ""}, follow=True).content
    new.refresh_from_db()
    assert new.name == "New"


def test_default_folders_cannot_be_deleted(client_in, store):
    new = store.folders.get(name="New")
    folders_page = client_in.get(reverse("web:folders", args=[store.id])).content.decode()
    assert reverse("web:delete_folder", args=[store.id, new.id]) not in folders_page
    response = client_in.post(reverse("web:delete_folder", args=[store.id, new.id]))
    assert b"default folder and cannot be deleted" in response.content
    assert store.folders.filter(id=new.id).exists()


def test_delete_an_empty_custom_folder(client_in, store):
    folder = create_folder(store, "Temp", actor=None)
    url = reverse("web:delete_folder", args=[store.id, folder.id])
    assert b"The folder is empty" in client_in.get(url).content
    response = client_in.post(url, follow=True)
    assert b"Folder Temp deleted" in response.content
    assert not store.folders.filter(id=folder.id).exists()


def test_a_folder_with_orders_asks_where_to_move_them(client_in, store):
    folder = create_folder(store, "Wholesale", actor=None)
    orders = [make_order(store, folder_id=folder.id) for _ in range(2)]
    url = reverse("web:delete_folder", args=[store.id, folder.id])
    page = client_in.get(url).content.decode()
    assert "still holds <strong>2 orders</strong>" in page
    refused = client_in.post(url, {"move_to": ""})
    assert b"choose a folder to move them to" in refused.content
    assert store.folders.filter(id=folder.id).exists()
    closed = store.folders.get(name="Closed")
    client_in.post(url, {"move_to": closed.id})
    assert not store.folders.filter(id=folder.id).exists()
    for order in orders:
        order.refresh_from_db()
        assert order.folder == closed


def test_create_api_key_is_shown_once(client_in, store):
    url = reverse("web:api_settings", args=[store.id])
    page = client_in.get(url).content.decode()
    assert "has no API key yet" in page and str(store.id) in page
    response = client_in.post(url, follow=True)
    key = response.context["new_key"]
    assert key in response.content.decode()
    assert store_for_api_key(str(store.id), key) == store
    assert key not in str(dict(client_in.session))  # only encrypted while it waits
    again = client_in.get(url).content.decode()
    assert key not in again and key[-4:] in again


def test_regenerate_api_key_replaces_the_old_one(client_in, store):
    url = reverse("web:api_settings", args=[store.id])
    old = client_in.post(url, follow=True).context["new_key"]
    new = client_in.post(url, follow=True).context["new_key"]
    assert old != new
    assert store_for_api_key(str(store.id), old) is None
    assert store_for_api_key(str(store.id), new) == store
