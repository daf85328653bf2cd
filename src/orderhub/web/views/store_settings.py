"""Store Settings: the Details, Folders and API tabs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from orderhub.core.encryption import decrypt, encrypt
from orderhub.orders import services as order_services
from orderhub.orders.errors import OrderError
from orderhub.orders.queries import folder_by_id
from orderhub.stores import services
from orderhub.stores.models import Folder
from orderhub.stores.queries import folders_with_counts
from orderhub.web.access import posted, store_for_request
from orderhub.web.forms import DeleteFolderForm, FolderForm, StoreDetailsForm

NEW_KEY_SESSION = "web:new-api-key"


@login_required
def store_details(request: HttpRequest, store_id: int) -> HttpResponse:
    store = store_for_request(request, store_id)
    initial = {"name": store.name, "timezone": store.timezone}
    form = StoreDetailsForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_store_details(store, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, "Store details saved")
            return redirect("web:store_details", store_id=store.id)
        store.refresh_from_db()
    return render(
        request, "web/settings/details.html", {"store": store, "form": form, "tab": "details"}
    )


@login_required
def folders(request: HttpRequest, store_id: int) -> HttpResponse:
    store = store_for_request(request, store_id)
    form = FolderForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            folder = services.create_folder(store, form.cleaned_data["name"], actor=request.user)
        except ValueError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, f"Folder {folder.name} created")
            return redirect("web:folders", store_id=store.id)
    context = {
        "store": store,
        "form": form,
        "folders": folders_with_counts(store),
        "tab": "folders",
    }
    return render(request, "web/settings/folders.html", context)


def _folder(request: HttpRequest, store_id: int, folder_id: int) -> Folder:
    store = store_for_request(request, store_id)
    folder = folder_by_id(store, folder_id)
    if folder is None:
        raise Http404("No such folder")
    return folder


@login_required
@require_POST
def rename_folder(request: HttpRequest, store_id: int, folder_id: int) -> HttpResponse:
    folder = _folder(request, store_id, folder_id)
    old_name = folder.name
    form = FolderForm(request.POST)
    if form.is_valid():
        try:
            services.rename_folder(folder, form.cleaned_data["name"], actor=request.user)
        except ValueError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Folder {old_name} renamed to {folder.name}")
    else:
        messages.error(request, "A folder needs a name of at most 100 characters")
    return redirect("web:folders", store_id=folder.store_id)


@login_required
def delete_folder(request: HttpRequest, store_id: int, folder_id: int) -> HttpResponse:
    """Delete a custom folder; one that still holds orders asks where to move them first."""
    folder = _folder(request, store_id, folder_id)
    order_count = folder.orders.count()
    form = DeleteFolderForm(posted(request), folder=folder)
    if request.method == "POST" and form.is_valid():
        move_to = folder_by_id(folder.store, form.cleaned_data["move_to"] or 0)
        try:
            order_services.delete_folder(
                folder, actor=request.user, move_orders_to=move_to, source="Web"
            )
        except OrderError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Folder {folder.name} deleted")
            return redirect("web:folders", store_id=folder.store_id)
    context = {"store": folder.store, "folder": folder, "form": form, "order_count": order_count}
    return render(request, "web/settings/delete_folder.html", {**context, "tab": "folders"})


@login_required
def api_settings(request: HttpRequest, store_id: int) -> HttpResponse:
    """The store id and API key. A new key is shown once, on the page the POST redirects to.

    Between the two it waits encrypted in the session, so that reloading the page neither
    shows it again nor (as re-posting would) silently replaces it.
    """
    store = store_for_request(request, store_id)
    if request.method == "POST":
        key = services.regenerate_api_key(store, actor=request.user)
        request.session[NEW_KEY_SESSION] = encrypt(key)
        return redirect("web:api_settings", store_id=store.id)
    sealed = request.session.pop(NEW_KEY_SESSION, None)
    context = {
        "store": store,
        "api_key": getattr(store, "api_key", None),  # the reverse one-to-one; None when missing
        "new_key": decrypt(sealed) if sealed else None,
        "tab": "api",
    }
    return render(request, "web/settings/api.html", context)
