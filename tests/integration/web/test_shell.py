"""Sign-in, the landing page, the layout (sidebar, store switcher) and placeholders."""

from __future__ import annotations

import pytest
from django.urls import reverse

from orderhub.stores.services import add_member, create_store

pytestmark = pytest.mark.django_db


def test_sign_in_with_email_and_password_opens_the_first_folder(client, user, store):
    page = client.get(reverse("web:login"))
    assert page.status_code == 200 and b"Sign in" in page.content
    response = client.post(
        reverse("web:login"), {"username": "ann@example.com", "password": "correct horse 42"}
    )
    assert response.status_code == 302
    response = client.get(response["Location"], follow=True)
    new = store.folders.get(name="New")
    assert response.request["PATH_INFO"] == reverse("web:folder_orders", args=[store.id, new.id])


def test_wrong_password_is_refused_with_a_message(client, user):
    response = client.post(reverse("web:login"), {"username": "ann@example.com", "password": "no"})
    assert response.status_code == 200
    assert b"Please enter a correct" in response.content


def test_sign_out_is_a_post(client_in):
    response = client_in.post(reverse("web:logout"))
    assert response.status_code == 302
    assert client_in.get(reverse("web:home")).status_code == 302  # back to sign-in


def test_a_user_without_a_store_is_told_so(client, other_user):
    client.force_login(other_user)
    response = client.get(reverse("web:home"))
    assert b"not a member of any store" in response.content


def test_password_change(client_in, user):
    url = reverse("web:password_change")
    assert client_in.get(url).status_code == 200
    bad = client_in.post(url, {"old_password": "nope", "new_password1": "x", "new_password2": "y"})
    assert bad.status_code == 200 and b"is-invalid" in bad.content
    good = client_in.post(
        url,
        {
            "old_password": "correct horse 42",
            "new_password1": "a much better secret 7",
            "new_password2": "a much better secret 7",
        },
        follow=True,
    )
    assert b"Your password has been changed" in good.content
    user.refresh_from_db()
    assert user.check_password("a much better secret 7")


def test_sidebar_shows_folders_with_counts_and_the_main_entries(client_in, store):
    from integration.web.pages import make_order

    make_order(store)
    make_order(store, source_id="1002")
    html = client_in.get(reverse("web:all_orders", args=[store.id])).content.decode()
    for label in ("New", "Prepared", "Closed", "Canceled", "All Orders"):
        assert label in html
    for label in ("Manage Integrations", "Rule Builder", "Store Settings"):
        assert label in html
    new = store.folders.get(name="New")
    assert f'href="/stores/{store.id}/folders/{new.id}/orders/" data-folder="New"' in html
    assert '<span class="badge rounded-pill count">2</span>' in html


def test_store_switcher_lists_only_the_users_stores(client_in, user, store, other_store):
    second = create_store("Ann's Second Shop", actor=None, owner=user)
    html = client_in.get(reverse("web:all_orders", args=[store.id])).content.decode()
    assert "Ann&#x27;s Second Shop" in html
    assert reverse("web:store_home", args=[second.id]) in html
    assert "Bob&#x27;s Shop" not in html


def test_a_member_added_to_a_store_can_open_it(client, other_user, store):
    add_member(store, user=other_user, actor=None)
    client.force_login(other_user)
    assert client.get(reverse("web:all_orders", args=[store.id])).status_code == 200


def test_rule_builder_link_opens_the_rules_app(client_in, store):
    html = client_in.get(reverse("web:all_orders", args=[store.id])).content.decode()
    link = reverse("rules:rule_list", args=[store.id])
    assert f'href="{link}"' in html
    response = client_in.get(link)
    assert response.status_code == 200 and b"No rules yet" in response.content


def test_static_files_come_from_npm_packages(client_in):
    from django.contrib.staticfiles import finders

    for path in (
        "vendor/bootstrap/css/bootstrap.min.css",
        "vendor/bootstrap/js/bootstrap.bundle.min.js",
        "vendor/htmx/htmx.min.js",
        "vendor/bootstrap-icons/bootstrap-icons.min.css",
        "web/app.css",
        "web/app.js",
    ):
        assert finders.find(path), path
