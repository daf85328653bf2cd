"""The order page and its parts: addresses, checkout data, metadata, details, shipments,
notes, folder. Each part is edited in place with htmx and saved through one service.

A part's view renders its partial for htmx (with an `orderChanged` trigger so the history
reloads) and redirects to the whole page otherwise, so every form also works without JS.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_POST
from pydantic import ValidationError as DraftError

from orderhub.orders import services
from orderhub.orders.errors import OrderError, OrderNotFound, ShipmentNotAdded
from orderhub.orders.models import Order, OrderItem
from orderhub.orders.queries import folder_by_id, get_order, history_for
from orderhub.web.access import posted, store_for_request
from orderhub.web.forms import draft_errors
from orderhub.web.order_forms import (
    ADDRESS_KINDS,
    CHECKOUT_DATA_MAX_CHARS,
    METADATA_MAX_CHARS,
    AddressForm,
    ItemForm,
    KeyValueForm,
    MoveOrderForm,
    NoteForm,
    OrderDetailsForm,
    ShipmentForm,
    address_of,
    display_value,
)

DATA_MAPS = {
    "checkout_data": ("Checkout data", CHECKOUT_DATA_MAX_CHARS),
    "order_metadata": ("Metadata", METADATA_MAX_CHARS),
}


def _order(request: HttpRequest, store_id: int, order_id: int, *, details: bool = True) -> Order:
    """The member's order, or 404.

    Pass details=False before an item service: the services total `order.items.all()`,
    which on a prefetched order would be the list from before the change.
    """
    store = store_for_request(request, store_id)
    try:
        return get_order(store, order_id, details=details)
    except OrderNotFound:
        raise Http404("No such order") from None


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _changed(request: HttpRequest, order: Order, template: str, context: dict) -> HttpResponse:
    """After a successful change: the fresh partial for htmx, else back to the order page."""
    if not _is_htmx(request):
        return redirect("web:order", store_id=order.store_id, order_id=order.id)
    order = get_order(order.store, order.id)
    context = {**context, "order": order, "store": order.store}
    # The title (tag, "updated" time) changes with every edit: swap it in out of band.
    title = render_to_string("web/order/_title.html", {**context, "oob": True}, request)
    response = HttpResponse(render_to_string(template, context, request) + title)
    response["HX-Trigger"] = "orderChanged"
    return response


def _address_context(order: Order, which: str) -> dict:
    title, _ = ADDRESS_KINDS[which]
    return {"which": which, "title": title, "address": address_of(order, which)}


def _data_context(order: Order, field: str) -> dict:
    title, _ = DATA_MAPS[field]
    rows = [(k, display_value(v)) for k, v in getattr(order, field).items()]
    return {"field": field, "title": title, "rows": rows}


@login_required
@require_GET
def order_detail(request: HttpRequest, store_id: int, order_id: int) -> HttpResponse:
    order = _order(request, store_id, order_id)
    context = {
        "store": order.store,
        "order": order,
        "addresses": [_address_context(order, which) for which in ADDRESS_KINDS],
        "data_maps": [_data_context(order, field) for field in DATA_MAPS],
        "shipment_form": ShipmentForm(order=order),
        "note_form": NoteForm(),
        "move_form": MoveOrderForm(store=order.store, initial={"folder": order.folder_id}),
        "history": history_for(order),
    }
    return render(request, "web/order/detail.html", context)


@login_required
def address(request: HttpRequest, store_id: int, order_id: int, which: str) -> HttpResponse:
    order = _order(request, store_id, order_id)
    if which not in ADDRESS_KINDS:
        raise Http404("No such address")
    form = AddressForm(posted(request), which=which, order=order)
    if request.method == "POST" and form.is_valid():
        if form.has_changed():  # an unchanged save writes no history
            services.set_address(order, which, form.cleaned_data, actor=request.user, source="Web")
            order.refresh_from_db()
        return _changed(request, order, "web/order/_address.html", _address_context(order, which))
    if request.method == "GET" and "edit" not in request.GET:
        context = {"order": order, **_address_context(order, which)}
        return render(request, "web/order/_address.html", context)
    return render(request, "web/order/_address_form.html", {"order": order, "form": form})


@login_required
def order_data(request: HttpRequest, store_id: int, order_id: int, field: str) -> HttpResponse:
    """Checkout data or metadata: view, edit (add, change, remove keys)."""
    order = _order(request, store_id, order_id)
    if field not in DATA_MAPS:
        raise Http404("No such data")
    title, max_chars = DATA_MAPS[field]
    form = KeyValueForm(posted(request), current=getattr(order, field), max_chars=max_chars)
    if request.method == "POST" and form.is_valid():
        changes = {field: form.cleaned_data["map"]}
        services.set_order_data(order, actor=request.user, source="Web", **changes)
        return _changed(request, order, "web/order/_data.html", _data_context(order, field))
    if request.method == "GET" and "edit" not in request.GET:
        context = {"order": order, **_data_context(order, field)}
        return render(request, "web/order/_data.html", context)
    context = {"order": order, "field": field, "title": title, "form": form}
    return render(request, "web/order/_data_form.html", context)


@login_required
def details(request: HttpRequest, store_id: int, order_id: int) -> HttpResponse:
    order = _order(request, store_id, order_id)
    form = OrderDetailsForm(posted(request), order=order)
    if request.method == "POST" and form.is_valid():
        try:
            if form.changes():
                services.update_order_details(
                    order, actor=request.user, source="Web", **form.changes()
                )
        except (OrderError, ValidationError) as error:
            form.add_error(None, _message(error))
        else:
            return _changed(request, order, "web/order/_details.html", {})
    if request.method == "GET" and "edit" not in request.GET:
        return render(request, "web/order/_details.html", {"order": order})
    return render(request, "web/order/_details_form.html", {"order": order, "form": form})


def _items_context(form: ItemForm | None = None) -> dict:
    return {"item_form": form}


def _item(order: Order, item_id: int) -> OrderItem:
    item = next((i for i in order.items.all() if i.id == item_id), None)
    if item is None:
        raise Http404("No such item")
    return item


def _saved(form, service, target, **kwargs) -> bool:
    """Call `service(target, form.draft(), ...)`; a refusal becomes the form's error."""
    try:
        service(target, form.draft(), source="Web", **kwargs)
    except ShipmentNotAdded as error:
        # Order Desk's terse message, with the reason a person needs.
        form.add_error(
            None, f"{error}: this order already has a shipment with that tracking number"
        )
    except OrderError as error:
        form.add_error(None, str(error))
    except DraftError as error:
        form.add_error(None, draft_errors(error))
    else:
        return True
    return False


@login_required
def items(request: HttpRequest, store_id: int, order_id: int) -> HttpResponse:
    """The items card; ?add=1 or ?edit=<item id> opens its form; POST adds an item."""
    order = _order(request, store_id, order_id, details=False)
    if request.method == "POST":
        form = ItemForm(request.POST)
        saved = form.is_valid() and _saved(form, services.add_item, order, actor=request.user)
        if saved:
            return _changed(request, order, "web/order/_items.html", _items_context())
    elif request.GET.get("edit", "").isdigit():
        form = ItemForm(item=_item(order, int(request.GET["edit"])))
    else:
        form = ItemForm() if "add" in request.GET else None
    context = {"order": order, **_items_context(form)}
    return render(request, "web/order/_items.html", context)


@login_required
@require_POST
def update_item(request: HttpRequest, store_id: int, order_id: int, item_id: int) -> HttpResponse:
    order = _order(request, store_id, order_id, details=False)
    item = _item(order, item_id)
    form = ItemForm(request.POST, item=item)
    if form.is_valid() and not form.has_changed():
        return _changed(request, order, "web/order/_items.html", _items_context())
    if form.is_valid() and _saved(form, services.update_item, item, actor=request.user):
        return _changed(request, order, "web/order/_items.html", _items_context())
    return render(request, "web/order/_items.html", {"order": order, **_items_context(form)})


@login_required
@require_POST
def delete_item(request: HttpRequest, store_id: int, order_id: int, item_id: int) -> HttpResponse:
    order = _order(request, store_id, order_id, details=False)
    services.delete_item(_item(order, item_id), actor=request.user, source="Web")
    return _changed(request, order, "web/order/_items.html", _items_context())


@login_required
@require_POST
def add_shipment(request: HttpRequest, store_id: int, order_id: int) -> HttpResponse:
    order = _order(request, store_id, order_id)
    form = ShipmentForm(request.POST, order=order)
    if form.is_valid() and _saved(form, services.add_shipment, order, actor=request.user):
        context = {"shipment_form": ShipmentForm(order=order)}
        return _changed(request, order, "web/order/_shipments.html", context)
    return render(request, "web/order/_shipments.html", {"order": order, "shipment_form": form})


@login_required
@require_POST
def delete_shipment(
    request: HttpRequest, store_id: int, order_id: int, shipment_id: int
) -> HttpResponse:
    order = _order(request, store_id, order_id)
    shipment = next((s for s in order.shipments.all() if s.id == shipment_id), None)
    if shipment is None:
        raise Http404("No such shipment")
    services.delete_shipment(shipment, actor=request.user, source="Web")
    context = {"shipment_form": ShipmentForm(order=order)}
    return _changed(request, order, "web/order/_shipments.html", context)


@login_required
@require_POST
def add_note(request: HttpRequest, store_id: int, order_id: int) -> HttpResponse:
    order = _order(request, store_id, order_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.add_history_note(
            order, form.cleaned_data["note"], actor=request.user, source="Web"
        )
        return _changed(request, order, "web/order/_history.html", _history_context(order))
    context = {"order": order, "note_form": form, "history": history_for(order)}
    return render(request, "web/order/_history.html", context)


def _history_context(order: Order) -> dict:
    return {"note_form": NoteForm(), "history": history_for(order)}


@login_required
@require_GET
def history(request: HttpRequest, store_id: int, order_id: int) -> HttpResponse:
    order = _order(request, store_id, order_id)
    return render(request, "web/order/_history.html", {"order": order, **_history_context(order)})


@login_required
@require_POST
def move_order(request: HttpRequest, store_id: int, order_id: int) -> HttpResponse:
    order = _order(request, store_id, order_id)
    form = MoveOrderForm(request.POST, store=order.store)
    if form.is_valid():
        folder = folder_by_id(order.store, form.cleaned_data["folder"])
        services.move_to_folder(order, folder, actor=request.user, source="Web")
        messages.success(request, f"Order {order.display_number} moved to {folder.name}")
    else:
        messages.error(request, "Choose a folder of this store")
    return redirect("web:order", store_id=order.store_id, order_id=order.id)


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    return str(error)
