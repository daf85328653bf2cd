"""Each built-in action, through a rule that runs when an order is created manually."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from orderhub.orders.models import HistoryKind
from orderhub.rules import engine
from orderhub.rules import services as rules

from .conftest import rule_history

pytestmark = pytest.mark.django_db(transaction=True)


def test_change_folder(store, folders, make_rule, create_manual):
    make_rule([{"action": "change_folder", "params": {"folder_id": folders["Gifts"].id}}])
    order = create_manual()
    assert order.folder == folders["Gifts"]
    # One history row for the rule run, none for a separate move.
    assert order.history.filter(kind=HistoryKind.MOVED).count() == 0
    assert rule_history(order) == ['Rule "Rule" ran: moved to Gifts']


def test_tag_order(store, make_rule, create_manual):
    make_rule([{"action": "tag_order", "params": {"color": "green", "name": "VIP"}}])
    order = create_manual()
    assert (order.tag_color, order.tag_name) == ("green", "VIP")


@pytest.mark.parametrize(
    ("before", "lines", "after"),
    [
        ({}, "Gift Wrap|Yes", {"Gift Wrap": "Yes"}),
        ({"Old": "x", "Keep": "y"}, "Old|[REMOVE]", {"Keep": "y"}),
        ({"A": "1", "B": "2"}, "[REMOVEALL]", {}),
        ({"Count": "4"}, "Count|++", {"Count": "5"}),
        ({"Count": "4"}, "Count|--", {"Count": "3"}),
        ({}, "Flag|", {"Flag": ""}),
    ],
)
def test_set_checkout_data_syntax(store, make_rule, create_manual, before, lines, after):
    make_rule([{"action": "set_checkout_data", "params": {"lines": lines}}])
    assert create_manual(checkout_data=before).checkout_data == after


@pytest.mark.parametrize(
    ("lines", "delta", "fmt"),
    [
        ("Due|[DATE+5days]", timedelta(days=5), "%Y-%m-%d"),
        ("Due|[DATE-1week]", timedelta(weeks=-1), "%Y-%m-%d"),
        ("Due|[SHORTDATE+1month]", None, "%Y-%m-%d"),
    ],
)
def test_set_metadata_date_tokens_use_store_time(
    store, make_rule, create_manual, lines, delta, fmt
):
    store.timezone = "America/New_York"
    store.save(update_fields=["timezone"])
    make_rule([{"action": "set_metadata", "params": {"lines": lines}}])
    order = create_manual(order_metadata={"keep": 1})
    due = order.order_metadata["Due"]
    local_now = timezone.now().astimezone(store.tz)
    if delta is not None:
        assert due.startswith((local_now + delta).strftime(fmt))
        assert len(due) == 19  # [DATE] has a time
    else:
        assert len(due) == 10 and datetime.strptime(due, fmt).month == (local_now.month % 12) + 1
    assert order.order_metadata["keep"] == 1


def test_set_metadata_timestamp(store, make_rule, create_manual):
    make_rule([{"action": "set_metadata_timestamp", "params": {"name": "checked_at"}}])
    stamp = create_manual().order_metadata["checked_at"]
    assert datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S")


def test_add_note_fills_placeholders(store, make_rule, create_manual):
    make_rule(
        [
            {
                "action": "add_note",
                "params": {"note": "Call {{shipping.last_name}} about {{checkout_data.Gift}}"},
            }
        ]
    )
    order = create_manual(checkout_data={"Gift": "wrapping"})
    assert order.order_notes[-1]["content"] == "Call Dean about wrapping"
    assert order.order_notes[-1]["username"] == "Auto"


def test_set_item_metadata_and_variation_syntax(store, make_rule, create_manual):
    make_rule(
        [
            {"action": "set_item_metadata", "params": {"lines": "printed|++\nold|[REMOVE]"}},
            {"action": "set_variation", "params": {"lines": "Size|Large"}},
        ],
        rule_type="item",
        filters=[
            {"field": "item.name", "operator": "contains", "value": "glue", "ignore_case": True}
        ],
    )
    order = create_manual(
        order_items=[
            {"name": "Crazy Glue", "metadata": {"old": "x", "printed": "1"}},
            {"name": "Tape", "metadata": {"old": "x"}},
        ]
    )
    glue, tape = order.items.order_by("position")
    assert glue.metadata == {"printed": "2"} and glue.variation_list == {"Size": "Large"}
    assert tape.metadata == {"old": "x"}


def test_several_actions_make_one_history_entry(store, folders, make_rule, create_manual):
    make_rule(
        [
            {"action": "change_folder", "params": {"folder_id": folders["Gifts"].id}},
            {"action": "tag_order", "params": {"color": "red", "name": "gift"}},
            {"action": "set_checkout_data", "params": {"lines": "Gift Wrap|Yes"}},
        ],
        name="Gift orders",
    )
    order = create_manual()
    assert rule_history(order) == [
        'Rule "Gift orders" ran: moved to Gifts; tagged red gift; checkout data: Gift Wrap=Yes (new)'
    ]


def test_invalid_rules_are_refused_with_every_problem(store):
    with pytest.raises(rules.RuleInvalid) as caught:
        rules.create_rule(
            store,
            {
                "name": "",
                "event": "order_exploded",
                "filters": [
                    {"field": "nope", "operator": "equals"},
                    {"field": "email", "operator": "like"},
                ],
                "actions": [
                    {"action": "launch_rocket"},
                    {"action": "change_folder", "params": {"folder_id": 999999}},
                    {"action": "set_checkout_data", "params": {"lines": "|x"}},
                    {"action": "set_item_metadata", "params": {"lines": "a|b"}},
                ],
            },
            actor=None,
        )
    text = str(caught.value)
    for expected in (
        "name: required",
        "unknown event 'order_exploded'",
        "unknown field 'nope'",
        "unknown operator 'like'",
        "unknown action 'launch_rocket'",
        "folder 999999 is not in this store",
        "line 1",
        "Set Item Metadata is not available in Order Rules",
    ):
        assert expected in text


def test_test_on_an_order_changes_nothing(store, folders, make_rule, create_manual):
    order = create_manual()
    rule = make_rule(
        [
            {"action": "change_folder", "params": {"folder_id": folders["Gifts"].id}},
            {"action": "set_checkout_data", "params": {"lines": "Gift|Yes"}},
            {"action": "post_order_json", "params": {"url": "http://127.0.0.1:9/hook"}},
        ],
        filters=[{"field": "email", "operator": "contains", "value": "jimmy"}],
    )
    order.refresh_from_db()
    history_before = order.history.count()
    evaluation = engine.evaluate(rule, order)
    assert evaluation.matched
    assert evaluation.done == [
        "moved to Gifts",
        "checkout data: Gift=Yes (new)",
        "queued Post Order JSON to http://127.0.0.1:9/hook",
    ]
    order.refresh_from_db()
    assert order.folder.name == "New" and order.checkout_data == {}
    assert order.history.count() == history_before
    assert not order.queued_actions.exists()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"field": "order_total", "operator": "greater_than", "value": "lots"}, "compares numbers"),
        ({"field": "order_total", "operator": "is_one_of", "value": "1, two"}, "compares numbers"),
        ({"field": "date_added", "operator": "less_than", "value": "yesterday"}, "compares dates"),
        ({"field": "folder", "operator": "equals", "value": "999999"}, "is not a folder"),
        ({"field": "checkout_data", "operator": "equals", "value": "x"}, "needs a name"),
    ],
)
def test_filter_values_must_fit_the_field(store, row, message):
    with pytest.raises(rules.RuleInvalid, match=message):
        rules.create_rule(
            store,
            {
                "name": "x",
                "event": "order_imported",
                "filters": [row],
                "actions": [{"action": "tag_order", "params": {"color": "red"}}],
            },
            actor=None,
        )


def test_filter_values_that_fit_are_accepted(store):
    rule = rules.create_rule(
        store,
        {
            "name": "x",
            "event": "order_imported",
            "filters": [
                {"field": "order_total", "operator": "greater_than", "value": "99.5"},
                {"field": "order_total", "operator": "contains", "value": "99"},
                {"field": "date_added", "operator": "greater_than", "value": "[DATE-7days]"},
                {"field": "date_added", "operator": "equals", "value": "2024-06-30"},
            ],
            "actions": [{"action": "tag_order", "params": {"color": "red"}}],
        },
        actor=None,
    )
    assert len(rule.filters) == 4
