"""Rules creating Salesforce records in the emulated org: "Create Salesforce <Object> record".

Rules run after a real commit, so these tests use transaction=True; remote actions are queued
jobs, run here with the job runner's own `run_due_jobs`.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from integration.rules.conftest import order_data, rule_history
from orderhub.integrations.salesforce.models import DescribeCache
from orderhub.integrations.salesforce.services import settings_of, update_settings
from orderhub.jobs import queue as jobs
from orderhub.jobs.models import Job
from orderhub.orders import services as orders
from orderhub.orders.drafts import OrderDraft
from orderhub.orders.models import Order
from orderhub.rules import actions as registry
from orderhub.rules import queue as rule_queue
from orderhub.rules import services as rules
from orderhub.rules import triggers
from orderhub.rules.models import QueuedAction
from orderhub.rules.services import RuleInvalid

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "salesforce.create.Sales_Order__c"
LINE = "salesforce.create_item.Sales_Order_Line__c"
HEADER_MAPPING = {
    "Customer_Email__c": "{{email}}",
    "Total__c": "{{order_total}}",
    "Order_Date__c": "{{date_added}}",
    "Status__c": "New",
    "Tracking_Number__c": "{{shipping.last_name}} / {{checkout_data.Gift Message}}",
}
LINE_MAPPING = {
    "Sales_Order__c": "{{created.Sales_Order__c}}",
    "SKU__c": "{{item.code}}",
    "Quantity__c": "{{item.quantity}}",
    "Unit_Price__c": "{{item.price}}",
    "Description__c": "{{item.name}}",
}


def choose_rule_objects(integration) -> None:
    """Rule Builder Object Creation: Sales_Order__c (order) and Sales_Order_Line__c (item)."""
    data = settings_of(integration).model_dump(mode="json")
    data.update(
        advanced_enabled=True,
        rule_builder_order_objects=["Sales_Order__c"],
        rule_builder_item_objects=["Sales_Order_Line__c"],
    )
    update_settings(integration, data, actor=None)


@pytest.fixture
def sf(connected, settings):
    """The connected integration with Sales_Order__c / Sales_Order_Line__c chosen for rules."""
    settings.ORDERHUB_SALESFORCE_RETRIES = 1
    settings.ORDERHUB_SALESFORCE_BACKOFF_SECONDS = 0.01
    choose_rule_objects(connected)
    return connected


def create_manual(store, **overrides) -> Order:
    draft = OrderDraft.model_validate(order_data(**overrides))
    order = orders.create_order(store, draft, actor=None, source="Web", manual=True)
    return Order.objects.get(pk=order.pk)


def make_rule(store, actions, **data):
    fields = {"name": "To Salesforce", "event": "order_created_manually", **data}
    return rules.create_rule(store, {**fields, "actions": actions}, actor=None)


def demo_rule(store):
    """The issue's demo: a manual order becomes a Sales_Order__c with one line per item."""
    return make_rule(
        store,
        [
            {"action": HEADER, "params": {"mapping": HEADER_MAPPING}},
            {"action": LINE, "params": {"mapping": LINE_MAPPING}},
        ],
        rule_type="item",
    )


def run_all() -> None:
    for _ in range(20):
        Job.objects.filter(status=Job.Status.PENDING).update(run_after=timezone.now())
        if not jobs.run_due_jobs():
            return


def statuses(order) -> list[str]:
    return list(
        QueuedAction.objects.filter(order=order)
        .order_by("sequence")
        .values_list("status", flat=True)
    )


def live(org, sobject):
    return [r for r in org.records(sobject) if not r.get("IsDeleted")]


# --- which actions are offered ----------------------------------------------------------------


def test_actions_exist_only_for_chosen_objects_and_the_right_rule_type(connected, store):
    def salesforce_actions(rule_type):
        return {
            a.key: a.label
            for a in registry.available_actions(store, rule_type)
            if a.key.startswith("salesforce.")
        }

    assert salesforce_actions("order") == {} and salesforce_actions("item") == {}
    data = settings_of(connected).model_dump(mode="json")
    data.update(rule_builder_order_objects=["Sales_Order__c"])
    update_settings(connected, data, actor=None)
    assert salesforce_actions("order") == {HEADER: "Create Salesforce Sales_Order__c record"}
    data.update(rule_builder_item_objects=["Sales_Order_Line__c"])
    update_settings(connected, data, actor=None)
    assert salesforce_actions("order") == {HEADER: "Create Salesforce Sales_Order__c record"}
    # Item rules: the item object once per item, and the order object once per order.
    assert salesforce_actions("item") == {
        HEADER: "Create Salesforce Sales_Order__c record",
        LINE: "Create Salesforce Sales_Order_Line__c record",
    }
    with pytest.raises(RuleInvalid, match="not available in Order Rules"):
        make_rule(store, [{"action": LINE, "params": {"mapping": LINE_MAPPING}}])


# --- checking the mapping when the rule is saved ----------------------------------------------


@pytest.mark.parametrize(
    ("action", "mapping", "problem"),
    [
        (HEADER, {}, "map at least one field"),
        (HEADER, {"Nope__c": "x"}, "Sales_Order__c has no field Nope__c"),
        (HEADER, {"Name": "SO-1"}, "Sales_Order__c.Name cannot be set when a record is created"),
        (HEADER, {"Total__c": "ten"}, "Total__c needs a number; 'ten' is not one"),
        (HEADER, {"Rush__c": "maybe"}, "Rush__c is a checkbox"),
        (HEADER, {"Status__c": "{{shipping.nope}}"}, "{{shipping.nope}}, which is not an order"),
        (HEADER, {"Status__c": "{{item.code}}"}, "item fields exist only for item objects"),
        (HEADER, {"Account__c": "{{created.Account}}"}, "Account is not a Salesforce object"),
        (
            LINE,
            {"Sales_Order__c": "{{created.Sales_Order__c}}"},
            "Sales_Order_Line__c requires Quantity__c: map it",
        ),
        (
            LINE,
            {"SKU__c": "{{item.code}}"},
            "Sales_Order_Line__c requires Sales_Order__c, Quantity__c: map them",
        ),
    ],
)
def test_a_bad_mapping_is_refused_naming_the_field(sf, store, action, mapping, problem):
    with pytest.raises(RuleInvalid) as caught:
        make_rule(store, [{"action": action, "params": {"mapping": mapping}}], rule_type="item")
    assert problem in str(caught.value)


def test_field_names_are_made_canonical_and_lines_are_accepted(sf, store):
    rule = make_rule(
        store,
        [{"action": HEADER, "params": {"mapping": "customer_email__c|{{email}}\nRUSH__C|yes"}}],
    )
    assert rule.actions[0]["params"] == {
        "mapping": {"Customer_Email__c": "{{email}}", "Rush__c": "yes"}
    }


def test_when_salesforce_is_unreachable_the_mapping_is_kept_unchecked(sf, store, org):
    DescribeCache.objects.filter(integration=sf, object_name="Sales_Order__c").delete()
    org.set_faults({"kind": "503", "path": "/services/*"})
    rule = make_rule(store, [{"action": HEADER, "params": {"mapping": {"Nope__c": "x"}}}])
    org.clear_faults()
    params = rule.actions[0]["params"]
    assert params["mapping"] == {"Nope__c": "x"}
    assert "Salesforce could not be reached" in params["not_checked"]
    described = registry.get_action(store, HEADER).describe(params)
    assert "field names not checked: Salesforce could not be reached" in described


# --- creating records -------------------------------------------------------------------------


def test_demo_rule_creates_an_order_record_and_a_line_per_item(sf, store, org):
    """The issue's "Done when": a manual order -> rule -> queued jobs -> records in the org."""
    demo_rule(store)
    order = create_manual(store, checkout_data={"Gift Message": "Happy"})
    # Nothing remote happens inside the request that created the order.
    assert live(org, "Sales_Order__c") == []
    assert statuses(order) == ["pending", "waiting", "waiting"]
    run_all()

    order.refresh_from_db()
    header_id = order.order_metadata["salesforce_sales_order__c_id"]
    [header] = live(org, "Sales_Order__c")
    assert header["Id"] == header_id
    assert header["Customer_Email__c"] == "jimmy@example.com"
    assert header["Total__c"] == 10 + 2.5 * 2 + 5
    assert header["Order_Date__c"] == order.date_added.date().isoformat()
    assert header["Status__c"] == "New"
    assert header["Tracking_Number__c"] == "Dean / Happy"
    lines = {line["SKU__c"]: line for line in live(org, "Sales_Order_Line__c")}
    assert set(lines) == {"GLUE", "TAPE"}
    assert all(line["Sales_Order__c"] == header_id for line in lines.values())
    assert (lines["TAPE"]["Quantity__c"], lines["TAPE"]["Unit_Price__c"]) == (2, 2.5)
    assert lines["GLUE"]["Description__c"] == "Crazy Glue"
    for item in order.items.all():
        assert item.metadata["salesforce_sales_order_line__c_id"] == lines[item.code]["Id"]
    assert statuses(order) == ["succeeded"] * 3
    assert f'Rule "To Salesforce": created Salesforce Sales_Order__c record {header_id}' in (
        rule_history(order)
    )


def test_an_order_rule_creates_one_record(sf, store, org):
    make_rule(store, [{"action": HEADER, "params": {"mapping": {"Status__c": "Approved"}}}])
    order = create_manual(store)
    run_all()
    [header] = live(org, "Sales_Order__c")
    assert header["Status__c"] == "Approved"
    assert live(org, "Sales_Order_Line__c") == []
    order.refresh_from_db()
    assert order.order_metadata["salesforce_sales_order__c_id"] == header["Id"]


# --- never twice ------------------------------------------------------------------------------


def test_a_job_run_again_after_the_create_does_not_duplicate(sf, store, org):
    demo_rule(store)
    order = create_manual(store)
    run_all()
    assert (len(live(org, "Sales_Order__c")), len(live(org, "Sales_Order_Line__c"))) == (1, 2)
    # As if the worker died after Salesforce created the records but before the jobs were
    # marked done: every job runs again.
    for queued in QueuedAction.objects.filter(order=order):
        Job.objects.filter(id=queued.job_id).update(status=Job.Status.PENDING, attempts=0)
    run_all()
    assert (len(live(org, "Sales_Order__c")), len(live(org, "Sales_Order_Line__c"))) == (1, 2)
    results = QueuedAction.objects.filter(order=order).values_list("result", flat=True)
    assert all("already exists (not created again)" in r for r in results)
    # Re-sent from the queue page, or the rule run again by hand: still nothing new.
    for queued in QueuedAction.objects.filter(order=order):
        rule_queue.resend(queued)
    triggers.run_by_hand(store, "order_created_manually", order_ids=[order.id])
    run_all()
    assert (len(live(org, "Sales_Order__c")), len(live(org, "Sales_Order_Line__c"))) == (1, 2)


def test_transient_faults_are_retried_without_duplicating_what_was_created(sf, store, org):
    demo_rule(store)
    # Salesforce is unavailable for the first line: twice within the gateway's own retry,
    # so the job itself is retried later.
    org.set_faults(
        {
            "kind": "503",
            "path": "/services/data/*/sobjects/Sales_Order_Line__c*",
            "methods": ["POST"],
            "times": 2,
        }
    )
    order = create_manual(store)
    run_all()
    assert (len(live(org, "Sales_Order__c")), len(live(org, "Sales_Order_Line__c"))) == (1, 2)
    first_line = QueuedAction.objects.get(order=order, sequence=1)
    assert first_line.attempts == 2 and first_line.status == "succeeded"
    assert statuses(order) == ["succeeded"] * 3


def test_a_dropped_connection_during_a_create_asks_a_person_instead_of_guessing(sf, store, org):
    make_rule(store, [{"action": HEADER, "params": {"mapping": {"Status__c": "New"}}}])
    org.set_faults(
        {"kind": "drop", "path": "/services/data/*/sobjects/Sales_Order__c*", "times": 1}
    )
    order = create_manual(store)
    run_all()
    assert statuses(order) == ["failed"]
    note = rule_history(order)[-1]
    assert "Salesforce may or may not have carried it out" in note
    assert "salesforce_sales_order__c_id" in note
    # Nothing was created (the emulator drops before storing): re-sending creates it once.
    rule_queue.resend(QueuedAction.objects.get(order=order))
    run_all()
    assert len(live(org, "Sales_Order__c")) == 1


# --- errors in the order's history ------------------------------------------------------------


def test_a_salesforce_error_is_written_to_the_history_with_its_message(sf, store, org):
    demo_rule(store)
    order = create_manual(store, checkout_data={"Gift Message": "x" * 300})
    run_all()
    assert live(org, "Sales_Order__c") == []
    assert statuses(order) == ["failed", "waiting", "waiting"]
    note = rule_history(order)[-1]
    assert note.startswith(
        'Rule "To Salesforce": Create Salesforce Sales_Order__c record failed: '
        "STRING_TOO_LONG: Tracking Number: data value too large: Dean / xxx"
    )
    assert note.endswith("(max length=255)")


def test_a_value_of_the_wrong_type_is_written_to_the_history(sf, store, org):
    make_rule(
        store,
        [{"action": HEADER, "params": {"mapping": {"Total__c": "{{checkout_data.Total}}"}}}],
    )
    order = create_manual(store, checkout_data={"Total": "ten"})
    run_all()
    assert live(org, "Sales_Order__c") == []
    assert rule_history(order)[-1] == (
        'Rule "To Salesforce": Create Salesforce Sales_Order__c record failed: '
        "Total__c needs a number; 'ten' is not one"
    )


def test_a_line_waits_for_an_order_record_another_rule_creates(sf, store, org):
    # Two rules instead of one: the line rule runs first and finds no order record yet.
    make_rule(
        store, [{"action": LINE, "params": {"mapping": LINE_MAPPING}}], rule_type="item", position=0
    )
    make_rule(store, [{"action": HEADER, "params": {"mapping": {"Status__c": "New"}}}], position=1)
    order = create_manual(store, order_items=[{"name": "Mug", "code": "MUG", "quantity": 1}])
    run_all()
    [header] = live(org, "Sales_Order__c")
    [line] = live(org, "Sales_Order_Line__c")
    assert line["Sales_Order__c"] == header["Id"]
    waited = QueuedAction.objects.get(order=order, action_key=LINE)
    assert waited.attempts >= 2 and waited.status == "succeeded"


def test_two_runs_of_the_rule_never_create_at_the_same_time(sf, store, org):
    make_rule(store, [{"action": HEADER, "params": {"mapping": {"Status__c": "New"}}}])
    order = create_manual(store)
    triggers.run_by_hand(store, "order_created_manually", order_ids=[order.id])
    first, second = QueuedAction.objects.filter(order=order).order_by("id")
    # The first run's job is in a worker's hands right now (mid-create): the second waits.
    Job.objects.filter(id=first.job_id).update(
        status=Job.Status.RUNNING, lease_expires_at=timezone.now() + timedelta(minutes=5)
    )
    assert jobs.run_due_jobs() == 1
    second.refresh_from_db()
    assert "another queued action is creating this Sales_Order__c record" in second.last_error
    assert live(org, "Sales_Order__c") == []
    Job.objects.filter(id=first.job_id).update(status=Job.Status.PENDING)
    run_all()
    assert len(live(org, "Sales_Order__c")) == 1
    assert statuses(order) == ["succeeded", "succeeded"]


def test_test_on_an_order_shows_the_record_without_calling_salesforce(sf, store, org):
    from orderhub.rules import engine

    order = create_manual(store, checkout_data={"Gift Message": "Happy"})
    rule = demo_rule(store)
    org.reset_api_calls()
    evaluation = engine.evaluate(rule, Order.objects.get(pk=order.pk))
    assert evaluation.matched and not evaluation.problems
    header, *lines = evaluation.done
    assert header.startswith("queued Create Salesforce Sales_Order__c record: ")
    assert "Customer_Email__c='jimmy@example.com'" in header
    assert "Tracking_Number__c='Dean / Happy'" in header
    assert len(lines) == 2
    assert "for item Tape: Sales_Order__c='(the Id of the Sales_Order__c record " in lines[1]
    assert org.api_calls() == 0
    assert not QueuedAction.objects.filter(order=order).exists()


def test_a_disconnected_store_says_so_in_the_history(sf, store, org):
    from orderhub.integrations.salesforce.connection import disconnect

    make_rule(store, [{"action": HEADER, "params": {"mapping": {"Status__c": "New"}}}])
    disconnect(sf, actor=None)
    order = create_manual(store)
    run_all()
    assert statuses(order) == ["failed"]
    assert rule_history(order)[-1] == (
        'Rule "To Salesforce": Create Salesforce Sales_Order__c record failed: '
        "This store is not connected to Salesforce: press Connect To Salesforce"
    )
