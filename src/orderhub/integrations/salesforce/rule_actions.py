"""Rule Builder actions "Create Salesforce <Object> record", one per object chosen under
Rule Builder Object Creation (settings `rule_builder_order_objects`, `rule_builder_item_objects`).

An order object's action is offered in order rules, and in item rules, where it runs once
per order (so one rule can create an order record and then a record for each item). An item
object's action is offered in item rules and runs once per matching item. Each is a remote
action: the rule run queues it and a job carries it out. The new record's Id is kept in the
order's metadata (item objects: the item's metadata) as `salesforce_<object lower-cased>_id`
(`salesforce_sales_order__c_id`), and that Id is the idempotency key: an action that finds
it creates nothing. `{{created.Sales_Order__c}}` in a mapping is that stored Id, so a line
record can point to the order record created before it. See docs/salesforce.md.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils import timezone

from orderhub.integrations.errors import IntegrationError, Transient, Unconfirmed
from orderhub.integrations.queries import integration_for
from orderhub.integrations.salesforce.record_values import (
    CREATED,
    MissingRecord,
    ValueProblem,
    as_text,
    coerce,
    placeholders,
    record_fields,
    render,
)
from orderhub.integrations.salesforce.schema import ObjectDescribe, UnknownField, UnknownObject
from orderhub.integrations.salesforce.services import org_schema, settings_of
from orderhub.jobs.tasks import PermanentFailure, RetryLater
from orderhub.rules.actions import (
    BOTH,
    ITEM_ONLY,
    Action,
    ActionProblem,
    Param,
    RemoteStep,
    Target,
)
from orderhub.rules.event_types import ITEM_RULE
from orderhub.rules.fields import FIELDS, ITEM, item_view, order_view

PROVIDER_KEY = "salesforce"
STORED_ID = re.compile(r"^salesforce_(.+)_id$")
# View keys a template may use besides the filterable fields (rules.fields.order_view).
EXTRA_KEYS = frozenset({"folder_name", "item.id"})
KEYED_PREFIXES = ("checkout_data.", "order_metadata.", "event.")
ITEM_KEYED_PREFIXES = ("item.variation.", "item.metadata.")
MAPPING_HELP = (
    "One field per line: Field__c|value. The value is fixed text or a template such as "
    "{{shipping.last_name}}, {{checkout_data.Gift Message}}, {{item.code}} (item records), "
    "or {{created.Sales_Order__c}} for the Id of the record created before this one."
)


def record_id_key(object_name: str) -> str:
    """Where the created record's Id is kept: `salesforce_sales_order__c_id`."""
    return f"salesforce_{object_name.lower()}_id"


def created_ids(*metadata_maps: dict | None) -> dict[str, str]:
    """View keys `created.<object>` -> Id, from stored `salesforce_<object>_id` entries;
    later maps (the item's) win over earlier ones (the order's)."""
    found: dict[str, str] = {}
    for data in metadata_maps:
        for key, value in (data or {}).items():
            match = STORED_ID.match(str(key))
            if match and value:
                found[CREATED + match.group(1).lower()] = str(value)
    return found


def _mapping(value: Any) -> dict[str, str]:
    """A mapping from the rule row: a dict, or `Field|value` lines (rules export, API)."""
    if isinstance(value, dict):
        pairs = value.items()
    else:
        pairs = (line.partition("|")[::2] for line in str(value or "").splitlines())
    return {str(k).strip(): str(v).strip() for k, v in pairs if str(k).strip()}


class CreateSalesforceRecord(Action):
    """Create one record of `object_name` per order (order objects) or per item (item objects)."""

    remote = True
    params = (Param("mapping", "Field mapping", "mapping", help=MAPPING_HELP),)

    def __init__(self, object_name: str, *, item_object: bool) -> None:
        self.object_name = object_name
        self.item_object = item_object
        kind = "create_item" if item_object else "create"
        self.key = f"salesforce.{kind}.{object_name}"
        self.label = f"Create Salesforce {object_name} record"
        self.rule_types = ITEM_ONLY if item_object else BOTH
        self.per_item = item_object

    @property
    def id_key(self) -> str:
        return record_id_key(self.object_name)

    # --- building the rule ----------------------------------------------------------------

    def clean(self, store: Any, params: dict) -> dict:
        mapping = _mapping(params.get("mapping"))
        if not mapping:
            raise ActionProblem(f"{self.label}: map at least one field (Field__c|value)")
        integration = integration_for(store, PROVIDER_KEY)
        if integration is None:
            raise ActionProblem(f"{self.label}: this store has no Salesforce integration")
        created = self._created_before(integration)
        for name, template in mapping.items():
            self._check_template(created, name, template)
        try:
            described = org_schema(integration).describe(self.object_name)
        except UnknownObject as exc:
            raise ActionProblem(f"{self.label}: {exc}") from None
        except IntegrationError as exc:
            # Salesforce is unreachable: keep the rule, say the names were not checked, and
            # let Salesforce judge them when the record is created.
            return {"mapping": mapping, "not_checked": f"Salesforce could not be reached ({exc})"}
        return {"mapping": self._check_fields(described, mapping)}

    def _created_before(self, integration: Any) -> set[str]:
        """Objects (lower-cased) whose records `{{created.X}}` may name in this mapping."""
        selected = settings_of(integration)
        objects = {o.lower() for o in selected.rule_builder_order_objects}
        if self.item_object:
            objects |= {o.lower() for o in selected.rule_builder_item_objects}
        objects.discard(self.object_name.lower())
        return objects

    def _check_template(self, created: set[str], name: str, template: str) -> None:
        for key in placeholders(template):
            if key.lower().startswith(CREATED):
                other = key[len(CREATED) :].strip()
                if other.lower() not in created:
                    raise ActionProblem(
                        f"{self.label}: {name} uses {{{{{key}}}}}, but {other or '(nothing)'} is "
                        "not a Salesforce object these rules create before this one"
                    )
            elif not self._known_key(key):
                raise ActionProblem(
                    f"{self.label}: {name} uses {{{{{key}}}}}, which is not an order field"
                    + ("" if self.item_object else " (item fields exist only for item objects)")
                )

    def _known_key(self, key: str) -> bool:
        if key.startswith(KEYED_PREFIXES) or key in EXTRA_KEYS:
            return self.item_object or not key.startswith("item.")
        if self.item_object and key.startswith(ITEM_KEYED_PREFIXES):
            return True
        field = FIELDS.get(key)
        if field is None or field.keyed:
            return False
        return self.item_object or field.scope != ITEM

    def _check_fields(self, described: ObjectDescribe, mapping: dict[str, str]) -> dict:
        checked: dict[str, str] = {}
        for name, template in mapping.items():
            try:
                field = described.field(name)
            except UnknownField:
                raise ActionProblem(f"{self.label}: {described.name} has no field {name}") from None
            if not field.get("createable"):
                raise ActionProblem(
                    f"{self.label}: {described.name}.{field['name']} cannot be set when a record "
                    "is created (Salesforce fills it in or it is read-only)"
                )
            if not placeholders(template):
                try:
                    coerce(field, template)
                except ValueProblem as exc:
                    raise ActionProblem(f"{self.label}: {exc}") from None
            checked[field["name"]] = template
        mapped = {name.lower() for name in checked}
        missing = [
            f["name"]
            for f in described.fields()
            if f.get("createable")
            and not f.get("nillable", True)
            and not f.get("defaultedOnCreate")
            and f.get("type") != "boolean"
            and f["name"].lower() not in mapped
        ]
        if missing:
            raise ActionProblem(
                f"{self.label}: {described.name} requires {', '.join(missing)}: map "
                + ("it" if len(missing) == 1 else "them")
            )
        return checked

    def describe(self, params: dict) -> str:
        shown = ", ".join(f"{k}={v}" for k, v in _mapping(params.get("mapping")).items())
        text = f"{self.label} ({shown})" if shown else self.label
        if params.get("not_checked"):
            text += f" — field names not checked: {params['not_checked']}"
        return text

    # --- running it -----------------------------------------------------------------------

    def _view(self, order: Any, item: Any, base: dict | None = None) -> dict[str, Any]:
        view = dict(base) if base is not None else order_view(order)
        if item is not None and "item.id" not in view:
            view = item_view(view, item)
        view.update(created_ids(order.order_metadata, item.metadata if item else None))
        return view

    def _existing_id(self, order: Any, item: Any) -> str:
        holder = item if self.item_object else order
        data = (holder.metadata if self.item_object else holder.order_metadata) or {}
        return str(data.get(self.id_key) or "")

    def preview(self, order: Any, params: dict, target: Target) -> str:
        existing = self._existing_id(order, target.item)
        if existing:
            return f"no new {self.object_name} record: {existing} already exists"
        view = self._view(order, target.item, target.view)
        shown = []
        for name, template in _mapping(params.get("mapping")).items():
            try:
                value = as_text(render(template, view))
            except MissingRecord as exc:
                value = f"(the Id of the {exc.object_name} record created before it)"
            shown.append(f"{name}={value!r}")
        subject = f" for item {target.item.name}" if target.item is not None else ""
        return f"Create Salesforce {self.object_name} record{subject}: " + ", ".join(shown)

    def perform(self, order: Any, item: Any, params: dict, step: RemoteStep) -> str:
        if self.item_object and item is None:
            raise PermanentFailure("the order item no longer exists")
        existing = self._existing_id(order, item)
        if existing:
            return f"{self.object_name} record {existing} already exists (not created again)"
        integration = integration_for(order.store, PROVIDER_KEY)
        if integration is None or not integration.enabled:
            raise PermanentFailure("Salesforce is not enabled for this store")
        if self._creating_elsewhere(order, item, step):
            raise RetryLater(
                f"another queued action is creating this {self.object_name} record right now"
            )
        try:
            record_id = self._create(integration, order, item, _mapping(params.get("mapping")))
        except MissingRecord as exc:
            raise RetryLater(
                f"no {exc.object_name} record has been created for this order yet "
                f"(the mapping uses {{{{created.{exc.object_name}}}}})"
            ) from None
        except (ValueProblem, UnknownObject) as exc:
            raise PermanentFailure(str(exc)) from None
        except Unconfirmed as exc:
            raise PermanentFailure(
                f"{exc}. Check Salesforce for the new {self.object_name} record: if it is there, "
                f"put its Id in the {'item' if self.item_object else 'order'}'s metadata as "
                f"{self.id_key}; otherwise send this action again from the queue"
            ) from None
        except Transient as exc:
            raise RetryLater(str(exc)) from None
        except IntegrationError as exc:
            raise PermanentFailure(str(exc)) from None
        self._keep_id(order, item, record_id)
        return f"created Salesforce {self.object_name} record {record_id}"

    def _creating_elsewhere(self, order: Any, item: Any, step: RemoteStep) -> bool:
        """Whether another queued action for the same record (two rule runs, or the rule run
        again by hand) is running now; both would find no Id and create two records."""
        from orderhub.jobs.models import Job
        from orderhub.rules.models import QueuedAction

        others = QueuedAction.objects.filter(
            order_id=order.id,
            item_id=item.id if self.item_object else None,
            action_key=self.key,
        ).exclude(id=step.queued_action_id)
        return Job.objects.filter(
            id__in=others.values("job_id"),
            status=Job.Status.RUNNING,
            lease_expires_at__gt=timezone.now(),
        ).exists()

    def _create(self, integration: Any, order: Any, item: Any, mapping: dict[str, str]) -> str:
        from orderhub.integrations.salesforce.connection import gateway_for

        described = org_schema(integration).describe(self.object_name)
        fields = {f["name"].lower(): f for f in described.fields()}
        record = record_fields(mapping, self._view(order, item), fields)
        return gateway_for(integration).create_record(described.name, record)

    def _keep_id(self, order: Any, item: Any, record_id: str) -> None:
        """Store the Id at once, on a fresh copy, so a retry finds it and creates nothing."""
        from orderhub.orders import services as orders
        from orderhub.orders.models import Order, OrderItem

        try:
            if self.item_object:
                fresh_item = OrderItem.objects.select_related("order").get(pk=item.pk)
                orders.set_item_data(
                    fresh_item,
                    actor=None,
                    source="Auto",
                    metadata={**(fresh_item.metadata or {}), self.id_key: record_id},
                )
            else:
                fresh = Order.objects.get(pk=order.pk)
                orders.set_order_data(
                    fresh,
                    actor=None,
                    source="Auto",
                    order_metadata={**(fresh.order_metadata or {}), self.id_key: record_id},
                    note=f"Salesforce {self.object_name} record {record_id} created",
                )
        except Exception as exc:
            # Retrying would create a second record: stop and say where the Id must go.
            raise PermanentFailure(
                f"created Salesforce {self.object_name} record {record_id}, but could not keep "
                f"its Id ({exc}); put it in the metadata as {self.id_key} before sending again"
            ) from exc


def actions_for(store: Any, rule_type: str) -> list[Action]:
    """The store's "Create Salesforce <Object> record" actions for a rule type (no API call)."""
    integration = integration_for(store, PROVIDER_KEY)
    if integration is None or not integration.enabled:
        return []
    selected = settings_of(integration)
    actions: list[Action] = [
        CreateSalesforceRecord(name, item_object=False)
        for name in selected.rule_builder_order_objects
    ]
    if rule_type == ITEM_RULE:
        actions += [
            CreateSalesforceRecord(name, item_object=True)
            for name in selected.rule_builder_item_objects
        ]
    return actions
