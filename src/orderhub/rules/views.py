"""The Rule Builder pages: list, form (with htmx rows and "Test on an order"), queue, buttons."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from orderhub.orders.errors import OrderNotFound
from orderhub.orders.queries import get_order
from orderhub.rules import engine, forms, queries, services, triggers
from orderhub.rules import queue as rule_queue
from orderhub.rules.models import QueuedAction, Rule
from orderhub.web.access import store_for_request

SECTION = {"section": "rules"}


def _rule(request: HttpRequest, store_id: int, rule_id: int) -> Rule:
    store = store_for_request(request, store_id)
    return get_object_or_404(Rule, store=store, id=rule_id)


def _list_context(store) -> dict:
    rules = list(queries.rules_of(store))
    described = queries.describe_rules(store, rules)
    for rule in rules:
        rule.described = described[rule.id]
    return {
        **SECTION,
        "store": store,
        "rules": rules,
        "run_form": forms.RunEventForm(store),
        "failed_count": queries.queued_actions(store, status=QueuedAction.Status.FAILED).count(),
    }


@login_required
def rule_list(request: HttpRequest, store_id: int) -> HttpResponse:
    store = store_for_request(request, store_id)
    return render(request, "rules/list.html", _list_context(store))


def _form_page(request, store, data, *, rule=None, errors=(), status=200) -> HttpResponse:
    context = {
        **SECTION,
        "store": store,
        "rule": rule,
        "errors": list(errors),
        "recent_orders": queries.recent_orders(store),
        **forms.rows_context(store, data),
    }
    return render(request, "rules/form.html", context, status=status)


def _save(request, store, rule=None) -> HttpResponse:
    form = forms.RuleForm(store, request.POST)
    if not form.is_valid():
        return _form_page(request, store, form.data, rule=rule, errors=form.errors, status=400)
    if rule is None:
        rule = services.create_rule(store, form.cleaned, actor=request.user)
        messages.success(request, f"Rule “{rule.name}” created.")
    else:
        services.update_rule(rule, form.cleaned, actor=request.user)
        messages.success(request, f"Rule “{rule.name}” saved.")
    return redirect("rules:rule_list", store_id=store.id)


@login_required
def rule_new(request: HttpRequest, store_id: int) -> HttpResponse:
    store = store_for_request(request, store_id)
    if request.method == "POST":
        return _save(request, store)
    return _form_page(request, store, forms.blank_rule_data())


@login_required
def rule_edit(request: HttpRequest, store_id: int, rule_id: int) -> HttpResponse:
    rule = _rule(request, store_id, rule_id)
    if request.method == "POST":
        return _save(request, rule.store, rule)
    return _form_page(request, rule.store, forms.rule_data_from_rule(rule), rule=rule)


@login_required
@require_POST
def form_rows(request: HttpRequest, store_id: int) -> HttpResponse:
    """Re-render the event options, filter rows and action rows from the posted form state."""
    store = store_for_request(request, store_id)
    data = forms.rule_data_from_post(request.POST, store)
    add, remove = request.POST.get("add"), request.POST.get("remove")
    if add == "filter":
        data["filters"].append(
            {"field": "source_name", "operator": "equals", "_rid": forms.new_row_id()}
        )
    elif add == "action":
        data["actions"].append({"action": "", "params": {}, "_rid": forms.new_row_id()})
    if remove:
        data["filters"] = [f for f in data["filters"] if f["_rid"] != remove]
        data["actions"] = [a for a in data["actions"] if a["_rid"] != remove]
    return render(request, "rules/_rows.html", {"store": store, **forms.rows_context(store, data)})


@login_required
@require_POST
def test_rule(request: HttpRequest, store_id: int) -> HttpResponse:
    """Show what the rule as it stands in the form would do to an order; change nothing."""
    store = store_for_request(request, store_id)
    form = forms.RuleForm(store, request.POST)
    context: dict = {"store": store}
    try:
        order = get_order(store, request.POST.get("test_order_id", ""))
    except OrderNotFound as exc:
        context["errors"] = [str(exc)]
        return render(request, "rules/_test_result.html", context)
    if not form.is_valid():
        context["errors"] = form.errors
        return render(request, "rules/_test_result.html", context)
    rule = Rule(store=store, **form.cleaned)
    context.update(
        order=order,
        evaluation=engine.evaluate(rule, order),
        checks=engine.explain(rule, order),
    )
    return render(request, "rules/_test_result.html", context)


@login_required
@require_POST
def rule_toggle(request: HttpRequest, store_id: int, rule_id: int) -> HttpResponse:
    rule = _rule(request, store_id, rule_id)
    services.set_enabled(rule, not rule.enabled, actor=request.user)
    return _list_or_redirect(request, rule.store)


@login_required
@require_POST
def rule_move(request: HttpRequest, store_id: int, rule_id: int) -> HttpResponse:
    rule = _rule(request, store_id, rule_id)
    services.move_rule(rule, -1 if request.POST.get("direction") == "up" else 1, actor=request.user)
    return _list_or_redirect(request, rule.store)


@login_required
@require_POST
def rule_reorder(request: HttpRequest, store_id: int) -> HttpResponse:
    """The rule list after a drag: `rule_ids` in their new order, comma-separated."""
    store = store_for_request(request, store_id)
    raw = request.POST.get("rule_ids", "")
    ids = [int(part) for part in raw.split(",") if part.strip().isdigit()]
    services.reorder_rules(store, ids, actor=request.user)
    return _list_or_redirect(request, store)


@login_required
@require_POST
def rule_delete(request: HttpRequest, store_id: int, rule_id: int) -> HttpResponse:
    rule = _rule(request, store_id, rule_id)
    services.delete_rule(rule, actor=request.user)
    messages.success(request, f"Rule “{rule.name}” deleted.")
    return redirect("rules:rule_list", store_id=store_id)


def _list_or_redirect(request: HttpRequest, store) -> HttpResponse:
    if request.headers.get("HX-Request"):
        return render(request, "rules/_rule_table.html", _list_context(store))
    return redirect("rules:rule_list", store_id=store.id)


@login_required
@require_POST
def run_event(request: HttpRequest, store_id: int) -> HttpResponse:
    store = store_for_request(request, store_id)
    form = forms.RunEventForm(store, request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.non_field_errors()) or "Check the event and orders")
        return _back(request, store)
    data = form.cleaned_data
    ran = triggers.run_by_hand(
        store,
        data["event"],
        order_ids=data["order_ids"],
        folder_id=data["folder_id"],
        custom_name=data["custom_name"] or None,
    )
    messages.success(request, f"Ran the event: {ran} rule run{'s' if ran != 1 else ''}.")
    return _back(request, store)


def _back(request: HttpRequest, store) -> HttpResponse:
    """To the page that posted (the orders list, an order page), else the rule list."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("rules:rule_list", store_id=store.id)


@login_required
@require_POST
def press_button(request: HttpRequest, store_id: int) -> HttpResponse:
    """A custom button on the orders list or the order page, for the selected orders."""
    store = store_for_request(request, store_id)
    name = request.POST.get("rule_button", "")
    ids = [int(i) for i in request.POST.getlist("order_ids") if i.isdigit()]
    if not ids:
        messages.error(request, "Select the orders to run the button on.")
    else:
        ran = triggers.press_button(store, name, ids)
        messages.success(
            request,
            f"“{name}” ran on {len(ids)} order{'s' if len(ids) != 1 else ''} ({ran} rule runs).",
        )
    return _back(request, store)


@login_required
def queue_page(request: HttpRequest, store_id: int) -> HttpResponse:
    store = store_for_request(request, store_id)
    status = request.GET.get("status", "")
    context = {
        **SECTION,
        "store": store,
        "status": status,
        "statuses": QueuedAction.Status.choices,
        "queued": list(queries.queued_actions(store, status=status)[:200]),
    }
    return render(request, "rules/queue.html", context)


@login_required
@require_POST
def resend(request: HttpRequest, store_id: int, queued_id: int) -> HttpResponse:
    store = store_for_request(request, store_id)
    queued = queries.queued_action_of(store, queued_id)
    if queued is None:
        return HttpResponse(status=404)
    rule_queue.resend(queued)
    messages.success(
        request, f"{queued.action_label} for order {queued.order_id} will be sent again."
    )
    return redirect("rules:queue", store_id=store.id)
