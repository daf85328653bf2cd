"""Security of every page: sign-in required, other stores are 404, CSRF, escaping."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from integration.web.pages import make_order, order_urls, store_urls
from orderhub.stores.services import create_folder

pytestmark = pytest.mark.django_db


def all_urls(store, order, folder) -> list[str]:
    return [reverse("web:home"), *store_urls(store, folder), *order_urls(order)]


def test_every_page_sends_anonymous_users_to_sign_in(client, store, order):
    folder = store.folders.first()
    for url in all_urls(store, order, folder):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("web:login") + "?next="), url


def test_another_stores_pages_are_404(client, other_user, store, order):
    client.force_login(other_user)
    folder = store.folders.first()
    for url in [*store_urls(store, folder), *order_urls(order)]:
        assert client.get(url).status_code == 404, url
    posted = client.post(
        reverse("web:add_shipment", args=[store.id, order.id]), {"tracking_number": "X1"}
    )
    assert posted.status_code == 404
    assert order.shipments.count() == 0


def test_another_stores_order_and_folder_in_my_store_url_are_404(client_in, store, other_store):
    theirs = make_order(other_store)
    their_folder = create_folder(other_store, "Theirs", actor=None)
    assert client_in.get(reverse("web:order", args=[store.id, theirs.id])).status_code == 404
    url = reverse("web:folder_orders", args=[store.id, their_folder.id])
    assert client_in.get(url).status_code == 404
    url = reverse("web:delete_folder", args=[store.id, their_folder.id])
    assert client_in.post(url).status_code == 404
    assert other_store.folders.filter(id=their_folder.id).exists()


def test_moving_another_stores_order_by_id_changes_nothing(client_in, store, other_store):
    theirs = make_order(other_store)
    prepared = store.folders.get(name="Prepared")
    client_in.post(
        reverse("web:move_orders", args=[store.id]),
        {"order_ids": [theirs.id], "folder": prepared.id},
    )
    theirs.refresh_from_db()
    assert theirs.folder.store_id == other_store.id


@pytest.mark.parametrize(
    "name,extra,data",
    [
        ("web:add_shipment", True, {"tracking_number": "1Z1"}),
        ("web:add_note", True, {"note": "hello"}),
        ("web:move_orders", False, {"folder": 0}),
        ("web:folders", False, {"name": "Sneaky"}),
        ("web:api_settings", False, {}),
    ],
)
def test_forms_reject_posts_without_a_csrf_token(user, store, order, name, extra, data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    args = [store.id, order.id] if extra else [store.id]
    response = client.post(reverse(name, args=args), data)
    assert response.status_code == 403
    assert order.shipments.count() == 0
    assert not store.folders.filter(name="Sneaky").exists()


def test_csrf_token_reaches_htmx_requests_through_the_layout(client_in, store, order):
    page = client_in.get(reverse("web:order", args=[store.id, order.id])).content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in page


def test_output_is_escaped_everywhere(client_in, store):
    evil = "<script>alert(1)</script>"
    order = make_order(
        store,
        email="x@example.com",
        shipping={"first_name": evil, "last_name": "X", "company": evil},
        checkout_data={evil: evil},
        order_metadata={"note": evil},
        order_items=[{"name": evil, "variation_list": {evil: evil}, "metadata": {evil: evil}}],
    )
    create_folder(store, evil, actor=None)
    pages = [
        reverse("web:order", args=[store.id, order.id]),
        reverse("web:all_orders", args=[store.id]),
        reverse("web:all_orders", args=[store.id]) + "?q=" + evil,
        reverse("web:folders", args=[store.id]),
    ]
    for url in pages:
        html = client_in.get(url).content.decode()
        assert evil not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url


def test_javascript_tracking_url_is_not_a_link(client_in, store, order):
    from orderhub.orders import services
    from orderhub.orders.drafts import ShipmentDraft

    draft = ShipmentDraft(tracking_number="T1", tracking_url="javascript:alert(1)")
    services.add_shipment(order, draft, actor=None)
    html = client_in.get(reverse("web:order", args=[store.id, order.id])).content.decode()
    assert "javascript:alert(1)" not in html


def test_store_for_request_is_the_members_store_or_404(rf, user, other_user, store):
    from django.http import Http404

    from orderhub.web.access import store_for_request

    request = rf.get("/")
    request.user = user
    assert store_for_request(request, store.id) == store
    assert request.store == store
    request = rf.get("/")
    request.user = other_user
    with pytest.raises(Http404):
        store_for_request(request, store.id)
    assert not hasattr(request, "store")
