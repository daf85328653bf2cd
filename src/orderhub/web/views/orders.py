"""Orders lists (a folder, All Orders), moving selected orders, and Add Order."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from pydantic import ValidationError as DraftError

from orderhub.orders import services
from orderhub.orders.errors import OrderError
from orderhub.orders.queries import (
    OrderSearch,
    folder_by_id,
    orders_by_ids,
    search_orders,
    with_details,
)
from orderhub.web.access import posted, store_for_request
from orderhub.web.forms import AddOrderForm, MoveOrdersForm, OrderListForm, draft_errors

PAGE_SIZE = 50
COLUMNS = (
    # (label, sort field or "")
    ("Order", "id"),
    ("Date", "date_added"),
    ("Customer", "shipping_last_name"),
    ("Email", "email"),
    ("Source", "source_name"),
    ("Items", "quantity_total"),
    ("Total", "order_total"),
)


@login_required
def order_list(request: HttpRequest, store_id: int, folder_id: int | None = None) -> HttpResponse:
    store = store_for_request(request, store_id)
    folder = None
    if folder_id is not None:
        folder = folder_by_id(store, folder_id)
        if folder is None:
            raise Http404("No such folder")
    query = OrderListForm(request.GET)
    sort = query.value("sort", "date_added")
    descending = query.value("dir", "desc") == "desc"
    search = OrderSearch(
        folder_ids=[folder.id] if folder else [],
        text=query.value("q", None),
        order_by=sort,
        descending=descending,
    )
    orders = with_details(search_orders(store, search))  # folder, items, shipments: 3 queries
    page = Paginator(orders, PAGE_SIZE).get_page(query.value("page", 1))
    context = {
        "store": store,
        "folder": folder,
        "page": page,
        "q": query.value("q", ""),
        "sort": sort,
        "descending": descending,
        "columns": COLUMNS,
        "move_form": MoveOrdersForm(store=store),
    }
    return render(request, "web/orders/list.html", context)


@login_required
@require_POST
def move_orders(request: HttpRequest, store_id: int) -> HttpResponse:
    store = store_for_request(request, store_id)
    ids = [int(i) for i in request.POST.getlist("order_ids") if i.isdigit()]
    form = MoveOrdersForm(request.POST, store=store, order_ids=ids)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return _back(request, store)
    orders = list(orders_by_ids(store, form.cleaned_data["order_ids"]).values())
    folder = folder_by_id(store, form.cleaned_data["folder"])
    try:
        moved = services.move_orders(orders, folder, actor=request.user, source="Web")
    except OrderError as error:
        messages.error(request, str(error))
    else:
        changed = sum(1 for m in moved if m.original_folder_id != folder.id)
        noun = "order" if changed == 1 else "orders"
        messages.success(request, f"{changed} {noun} moved to {folder.name}")
    return _back(request, store)


def _back(request: HttpRequest, store) -> HttpResponse:
    """Return to the list the form was posted from (kept in `next`), else All Orders."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("web:all_orders", store_id=store.id)


@login_required
def add_order(request: HttpRequest, store_id: int) -> HttpResponse:
    store = store_for_request(request, store_id)
    form = AddOrderForm(posted(request), store=store)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.create_order(
                store, form.draft(), actor=request.user, source="Web", manual=True
            )
        except OrderError as error:
            form.add_error(None, str(error))
        except DraftError as error:
            form.add_error(None, draft_errors(error))
        else:
            messages.success(request, f"Order {order.display_number} created")
            return redirect("web:order", store_id=store.id, order_id=order.id)
    return render(request, "web/orders/add.html", {"store": store, "form": form})
