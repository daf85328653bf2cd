"""Which store a page is about: the one in the URL, and only when the user is a member.

Other apps' views reuse this, so that every page of a store answers 404 to non-members,
exactly as if the store did not exist.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest

from orderhub.stores.models import Store
from orderhub.stores.queries import store_for_user


def store_for_request(request: HttpRequest, store_id: int) -> Store:
    """The store `store_id` when the signed-in user belongs to it; Http404 otherwise.

    It is also remembered on the request (`request.store`) so the layout's sidebar and
    store switcher know which store is current.
    """
    store = store_for_user(request.user, store_id)
    if store is None:
        raise Http404("No such store")
    request.store = store
    return store


def posted(request: HttpRequest):
    """The POST data to bind a form to (even when empty), or None for any other method."""
    return request.POST if request.method == "POST" else None
