"""An integration's remote action through the provider registry: queued, ordered, idempotent.

FakeCrm stands in for Salesforce: "Create <Object> record" actions store the new record's Id
in the order's (or item's) metadata as salesforce_<object>_id, and a retried or re-sent
action finds that Id and never creates a second record.
"""

from __future__ import annotations

import itertools

import pytest
from django.utils import timezone

from orderhub.jobs import queue as jobs
from orderhub.jobs.models import Job
from orderhub.jobs.tasks import PermanentFailure, RetryLater
from orderhub.orders import services as orders
from orderhub.rules import actions as registry
from orderhub.rules import queue as rule_queue
from orderhub.rules.event_types import ITEM_RULE, ORDER_RULE
from orderhub.rules.fields import item_view, order_view, render_template
from orderhub.rules.models import QueuedAction

from .conftest import rule_history

pytestmark = pytest.mark.django_db(transaction=True)


class FakeCrm:
    def __init__(self) -> None:
        self.records: dict[str, dict] = {}
        self.ids = itertools.count(1)
        self.fail_next: list[Exception] = []

    def create(self, sobject: str, fields: dict) -> str:
        if self.fail_next:
            raise self.fail_next.pop(0)
        record_id = f"a0{next(self.ids):03d}"
        self.records[record_id] = {"type": sobject, **fields}
        return record_id


class CreateRecord(registry.Action):
    """What the Salesforce provider's "Create <Object> record" looks like against the interface."""

    remote = True
    params = (registry.Param("mapping", "Field mapping", "mapping"),)
    retry_delays = ()

    def __init__(self, crm: FakeCrm, sobject: str, *, item_object: bool, parent: str = "") -> None:
        self.crm, self.sobject, self.parent = crm, sobject, parent
        self.key = f"fakecrm.create.{sobject}"
        self.label = f"Create Fake {sobject} record"
        self.rule_types = registry.ITEM_ONLY if item_object else registry.BOTH
        self.per_item = item_object

    def id_key(self) -> str:
        return f"salesforce_{self.sobject.lower()}_id"

    def perform(self, order, item, params, step):
        data = item.metadata if item is not None else order.order_metadata
        if data.get(self.id_key()):
            return f"{self.sobject} record {data[self.id_key()]} already exists"
        view = order_view(order)
        view = item_view(view, item) if item is not None else view
        fields = {name: render_template(text, view) for name, text in params["mapping"].items()}
        if self.parent:
            fields["Order__c"] = order.order_metadata.get(f"salesforce_{self.parent.lower()}_id")
        try:
            record_id = self.crm.create(self.sobject, fields)
        except ValueError as exc:
            raise PermanentFailure(f"REQUIRED_FIELD_MISSING: {exc}") from exc
        except ConnectionError as exc:
            raise RetryLater(str(exc)) from exc
        if item is not None:
            orders.set_item_data(
                item, actor=None, source="Auto", metadata={**data, self.id_key(): record_id}
            )
        else:
            orders.set_order_data(
                order, actor=None, source="Auto", order_metadata={**data, self.id_key(): record_id}
            )
        return f"created {self.sobject} record {record_id}"


@pytest.fixture
def crm():
    crm = FakeCrm()
    header = CreateRecord(crm, "Sales_Order__c", item_object=False)
    line = CreateRecord(crm, "Sales_Order_Line__c", item_object=True, parent="Sales_Order__c")

    def provide(store, rule_type):
        return (
            [header, line]
            if rule_type == ITEM_RULE
            else [header]
            if rule_type == ORDER_RULE
            else []
        )

    registry.register_provider("fakecrm", provide)
    yield crm
    registry.unregister_provider("fakecrm")


def run_all() -> None:
    for _ in range(10):
        Job.objects.filter(status=Job.Status.PENDING).update(run_after=timezone.now())
        if not jobs.run_due_jobs():
            return


ORDER_MAPPING = {
    "Name": "{{source_id}}",
    "Last_Name__c": "{{shipping.last_name}}",
    "Gift__c": "{{checkout_data.Gift Message}}",
}
LINE_MAPPING = {"Product__c": "{{item.code}}", "Quantity__c": "{{item.quantity}}"}


def sales_order_rule(make_rule):
    return make_rule(
        [
            {"action": "fakecrm.create.Sales_Order__c", "params": {"mapping": ORDER_MAPPING}},
            {"action": "fakecrm.create.Sales_Order_Line__c", "params": {"mapping": LINE_MAPPING}},
        ],
        rule_type="item",
        name="To CRM",
    )


def test_provider_actions_are_offered_per_rule_type(store, crm):
    order_keys = [a.key for a in registry.available_actions(store, "order")]
    item_keys = [a.key for a in registry.available_actions(store, "item")]
    assert "fakecrm.create.Sales_Order__c" in order_keys
    assert "fakecrm.create.Sales_Order_Line__c" not in order_keys
    assert "fakecrm.create.Sales_Order_Line__c" in item_keys and "set_variation" in item_keys


def test_records_are_created_in_order_and_items_point_to_the_order_record(
    store, crm, make_rule, create_manual
):
    sales_order_rule(make_rule)
    order = create_manual(checkout_data={"Gift Message": "Happy"})
    assert crm.records == {}  # nothing remote happens inside the request
    run_all()
    order.refresh_from_db()
    header_id = order.order_metadata["salesforce_sales_order__c_id"]
    assert crm.records[header_id] == {
        "type": "Sales_Order__c",
        "Name": order.source_id or str(order.id),
        "Last_Name__c": "Dean",
        "Gift__c": "Happy",
    }
    lines = {
        item.code: item.metadata["salesforce_sales_order_line__c_id"] for item in order.items.all()
    }
    assert crm.records[lines["GLUE"]] == {
        "type": "Sales_Order_Line__c",
        "Product__c": "GLUE",
        "Quantity__c": "1",
        "Order__c": header_id,
    }
    assert crm.records[lines["TAPE"]]["Order__c"] == header_id
    assert len(crm.records) == 3
    assert set(QueuedAction.objects.values_list("status", flat=True)) == {"succeeded"}


def test_a_retried_action_never_creates_a_second_record(store, crm, make_rule, create_manual):
    sales_order_rule(make_rule)
    crm.fail_next = [ConnectionError("timed out")]
    order = create_manual()
    run_all()
    assert len(crm.records) == 3
    first = QueuedAction.objects.get(order=order, sequence=0)
    assert first.attempts == 2
    # Re-sending every action, as a person might from the queue page, creates nothing new.
    for queued in QueuedAction.objects.filter(order=order):
        rule_queue.resend(queued)
    run_all()
    assert len(crm.records) == 3
    assert "already exists" in QueuedAction.objects.get(order=order, sequence=0).result


def test_rerunning_the_rule_does_not_duplicate(store, crm, make_rule, create_manual):
    from orderhub.rules import triggers

    sales_order_rule(make_rule)
    order = create_manual()
    run_all()
    triggers.run_by_hand(store, "order_created_manually", order_ids=[order.id])
    run_all()
    assert len(crm.records) == 3


def test_an_error_is_written_to_history_and_stops_the_chain(store, crm, make_rule, create_manual):
    sales_order_rule(make_rule)
    crm.fail_next = [ValueError("Required fields are missing: [Account__c]")]
    order = create_manual()
    run_all()
    assert crm.records == {}
    statuses = list(
        QueuedAction.objects.filter(order=order)
        .order_by("sequence")
        .values_list("status", flat=True)
    )
    assert statuses == ["failed", "waiting", "waiting"]
    assert rule_history(order)[-1] == (
        'Rule "To CRM": Create Fake Sales_Order__c record failed: '
        "REQUIRED_FIELD_MISSING: Required fields are missing: [Account__c]"
    )
    # Fixed at the other end; re-sending continues the chain.
    rule_queue.resend(QueuedAction.objects.get(order=order, sequence=0))
    run_all()
    assert len(crm.records) == 3
