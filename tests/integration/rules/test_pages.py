"""The Rule Builder pages through Django's test client."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from orderhub.orders.models import Order
from orderhub.rules import services as rules
from orderhub.rules.models import QueuedAction, Rule

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def client_in(client, user):
    client.force_login(user)
    return client


def url(name, store, *args):
    return reverse(f"rules:{name}", args=[store.id, *args])


def rule_post(**overrides):
    data = {
        "name": "Gifts",
        "rule_type": "order",
        "event": "order_imported",
        "filter_join": "and",
        "enabled": "on",
        "filter_rows": ["f1"],
        "filter-f1-field": "checkout_data",
        "filter-f1-key": "Gift Message",
        "filter-f1-operator": "is_not_empty",
        "action_rows": ["a1"],
        "action-a1-action": "set_checkout_data",
        "action-a1-param-lines": "Gift Wrap|Yes",
    }
    data.update(overrides)
    return data


def test_list_and_form_pages_render_and_the_sidebar_links_here(client_in, store, make_rule):
    make_rule([{"action": "tag_order", "params": {"color": "red"}}], name="Tagger")
    page = client_in.get(url("rule_list", store))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Tagger" in html and "Order is Created Manually" in html
    assert "Tag Order: red" in html
    assert f'href="{url("rule_list", store)}"' in html  # the sidebar's Rule Builder link
    assert client_in.get(url("rule_new", store)).status_code == 200
    assert client_in.get(url("queue", store)).status_code == 200


def test_other_stores_rules_are_404(client_in, other_store, make_rule):
    rule = make_rule(
        [{"action": "tag_order", "params": {"color": "red"}}], target_store=other_store
    )
    assert client_in.get(url("rule_list", other_store)).status_code == 404
    assert client_in.get(url("rule_edit", other_store, rule.id)).status_code == 404


def test_create_rule_from_the_form(client_in, store):
    response = client_in.post(url("rule_new", store), rule_post())
    assert response.status_code == 302
    rule = Rule.objects.get(store=store)
    assert rule.filters == [
        {"field": "checkout_data", "key": "Gift Message", "operator": "is_not_empty"}
    ]
    assert rule.actions == [{"action": "set_checkout_data", "params": {"lines": "Gift Wrap|Yes"}}]
    assert rule.enabled and not rule.stop_processing


def test_bad_rule_is_shown_with_its_problems(client_in, store):
    response = client_in.post(
        url("rule_new", store), rule_post(**{"name": "", "action-a1-param-lines": "|x"})
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "name: required" in html and "line 1" in html
    assert not Rule.objects.exists()


def test_edit_keeps_rows(client_in, store, folders, make_rule):
    rule = make_rule(
        [{"action": "change_folder", "params": {"folder_id": folders["Gifts"].id}}],
        filters=[{"field": "order_total", "operator": "greater_than", "value": "100"}],
    )
    listing = client_in.get(url("rule_list", store)).content.decode()
    assert "Order Total is greater than “100”" in listing and "Change Folder: Gifts" in listing
    html = client_in.get(url("rule_edit", store, rule.id)).content.decode()
    assert 'type="number"' in html and 'value="100"' in html
    assert re.search(rf'<option value="{folders["Gifts"].id}" selected>Gifts</option>', html)
    response = client_in.post(url("rule_edit", store, rule.id), rule_post(name="Renamed"))
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.name == "Renamed" and rule.actions[0]["action"] == "set_checkout_data"


def test_rows_follow_the_chosen_field_and_action(client_in, store, folders):
    rows = url("form_rows", store)
    html = client_in.post(
        rows, rule_post(**{"filter-f1-field": "folder", "filter-f1-operator": "equals"})
    ).content.decode()
    assert 'name="filter-f1-value" aria-label="Folder"' in html
    assert 'name="filter-f1-key"' not in html
    html = client_in.post(
        rows, rule_post(**{"filter-f1-field": "date_added", "filter-f1-operator": "greater_than"})
    ).content.decode()
    assert "[DATE-7days]" in html
    html = client_in.post(rows, rule_post(**{"filter-f1-operator": "is_empty"})).content.decode()
    assert 'name="filter-f1-value"' not in html
    html = client_in.post(rows, rule_post(**{"action-a1-action": "change_folder"})).content.decode()
    assert 'name="action-a1-param-folder_id"' in html and "Gifts" in html
    html = client_in.post(
        rows, rule_post(**{"action-a1-action": "post_order_json"})
    ).content.decode()
    assert 'type="url" name="action-a1-param-url"' in html
    html = client_in.post(rows, rule_post(event="custom_schedule")).content.decode()
    assert 'name="schedule_folder_id"' in html and 'name="time_of_day"' in html


def test_add_and_remove_rows(client_in, store):
    rows = url("form_rows", store)
    html = client_in.post(rows, rule_post(add="filter")).content.decode()
    assert html.count('name="filter_rows"') == 2
    html = client_in.post(rows, rule_post(add="action")).content.decode()
    assert html.count('name="action_rows"') == 2
    html = client_in.post(rows, rule_post(remove="f1")).content.decode()
    assert html.count('name="filter_rows"') == 0


def test_item_rules_offer_item_fields_and_actions(client_in, store):
    html = client_in.post(url("form_rows", store), rule_post(rule_type="item")).content.decode()
    assert 'value="item.variation"' in html and 'value="set_variation"' in html
    html = client_in.post(url("form_rows", store), rule_post()).content.decode()
    assert 'value="item.variation"' not in html and 'value="set_variation"' not in html


def test_test_on_an_order_shows_what_would_happen_and_changes_nothing(
    client_in, store, create_manual
):
    order = create_manual(checkout_data={"Gift Message": "Hi"})
    response = client_in.post(url("test_rule", store), rule_post(test_order_id=order.id))
    html = response.content.decode()
    assert "matches" in html and "checkout data: Gift Wrap=Yes (new)" in html
    assert Order.objects.get(pk=order.pk).checkout_data == {"Gift Message": "Hi"}
    other = create_manual()
    html = client_in.post(
        url("test_rule", store), rule_post(test_order_id=other.id)
    ).content.decode()
    assert "does not match" in html


def test_toggle_move_delete(client_in, store, make_rule):
    a = make_rule([{"action": "tag_order", "params": {"color": "red"}}], name="A")
    b = make_rule([{"action": "tag_order", "params": {"color": "red"}}], name="B")
    response = client_in.post(url("rule_toggle", store, a.id), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'id="rule-table"' in response.content.decode()
    assert not Rule.objects.get(pk=a.pk).enabled
    client_in.post(url("rule_move", store, b.id), {"direction": "up"})
    assert list(store.rules.order_by("position").values_list("name", flat=True)) == ["B", "A"]
    client_in.post(url("rule_delete", store, a.id))
    assert list(store.rules.values_list("name", flat=True)) == ["B"]


def test_custom_button_and_run_by_hand(client_in, store, make_rule, create_manual):
    make_rule(
        [{"action": "tag_order", "params": {"color": "red", "name": "P"}}],
        event="custom_button",
        event_options={"name": "Print"},
    )
    first, second = create_manual(), create_manual()
    listing = client_in.get(reverse("web:all_orders", args=[store.id])).content.decode()
    assert 'form="orders-form"' in listing and 'name="rule_button" value="Print"' in listing
    order_page = client_in.get(reverse("web:order", args=[store.id, first.id])).content.decode()
    assert 'name="rule_button" value="Print"' in order_page
    response = client_in.post(
        url("press_button", store), {"rule_button": "Print", "order_ids": [first.id], "next": "/x"}
    )
    assert response.status_code == 302
    assert (
        Order.objects.get(pk=first.pk).tag_name == "P"
        and Order.objects.get(pk=second.pk).tag_name == ""
    )
    client_in.post(
        url("run_event", store),
        {"event": "custom_button", "custom_name": "Print", "order_ids": str(second.id)},
    )
    assert Order.objects.get(pk=second.pk).tag_name == "P"


def test_queue_page_resends(client_in, store, make_rule, create_manual):
    make_rule([{"action": "post_order_json", "params": {"url": "http://127.0.0.1:9/x"}}])
    order = create_manual()
    queued = QueuedAction.objects.get(order=order)
    QueuedAction.objects.filter(pk=queued.pk).update(status="failed", last_error="HTTP 500")
    html = client_in.get(url("queue", store)).content.decode()
    assert "Post Order JSON" in html and "HTTP 500" in html
    client_in.post(url("resend", store, queued.id))
    queued.refresh_from_db()
    assert queued.status == "pending" and queued.last_error == ""


def test_rule_services_reject_unknown_rows(store):
    with pytest.raises(rules.RuleInvalid):
        rules.create_rule(
            store, {"name": "x", "event": "order_imported", "actions": []}, actor=None
        )


def test_run_event_on_the_selected_orders_of_the_orders_list(
    client_in, store, make_rule, create_manual
):
    first, second, third = create_manual(), create_manual(), create_manual()
    make_rule([{"action": "tag_order", "params": {"color": "red", "name": "again"}}])
    listing = client_in.get(reverse("web:all_orders", args=[store.id])).content.decode()
    assert 'name="event" value="order_created_manually"' in listing
    back = reverse("web:all_orders", args=[store.id])
    response = client_in.post(
        url("run_event", store),
        {"event": "order_created_manually", "order_ids": [first.id, third.id], "next": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    tags = dict(Order.objects.values_list("id", "tag_name"))
    assert tags == {first.id: "again", second.id: "", third.id: "again"}
    # The order page runs an event on its own order.
    page = client_in.get(reverse("web:order", args=[store.id, second.id])).content.decode()
    assert 'name="event" value="order_created_manually"' in page
    client_in.post(
        url("run_event", store), {"event": "order_created_manually", "order_ids": second.id}
    )
    assert Order.objects.get(pk=second.pk).tag_name == "again"


def test_press_button_never_redirects_off_site(client_in, store, create_manual):
    order = create_manual()
    response = client_in.post(
        url("press_button", store),
        {"rule_button": "x", "order_ids": [order.id], "next": "https://evil.example/"},
    )
    assert response["Location"] == url("rule_list", store)


def test_drag_reorder_endpoint(client_in, store, other_store, make_rule):
    a, b, c = (
        make_rule([{"action": "tag_order", "params": {"color": "red"}}], name=n) for n in "ABC"
    )
    theirs = make_rule(
        [{"action": "tag_order", "params": {"color": "red"}}], target_store=other_store
    )
    response = client_in.post(
        url("rule_reorder", store),
        {"rule_ids": f"{c.id},{theirs.id},{a.id}"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "data-reorder-url" in response.content.decode()
    # Listed rules first, in that order; the rest keep theirs; another store's id is ignored.
    assert list(store.rules.order_by("position").values_list("name", flat=True)) == ["C", "A", "B"]
    assert Rule.objects.get(pk=theirs.pk).position == 0
    del b
