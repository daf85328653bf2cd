"""The action registry: what a rule can do, and how integrations add their own actions.

An action is an object (subclass `Action`) with

    key          str, unique; what rule rows store ({"action": key, "params": {...}})
    label        str shown in the page ("Change Folder", "Create Salesforce Sales_Order__c record")
    rule_types   frozenset of "order" / "item": the rule types it is offered for
    params       tuple[Param, ...]: the form of the action row (the page renders one input per
                 Param by its `kind`: text, textarea, folder, color, url, mapping)
    per_item     in an item rule, True runs it once per matching item (target.item is set),
                 False once per order whose items matched
    remote       False: a local change, made by `apply` on the ChangeSet and saved by the
                 engine in the rule run's one transaction. True: a call to another system,
                 queued as a job and carried out later by `perform`

    clean(store, params) -> dict      validate and normalise the row's params; raise
                                      ActionProblem("a sentence naming the field") when bad
    describe(params) -> str           one line for the rule list ("Move to folder Gifts")
    apply(changes, params, target) -> str
                                      local actions: change the ChangeSet (never the database)
                                      and return what was done. "Test on an order" calls the
                                      same method on a throw-away ChangeSet, so it must have no
                                      side effects. Remote actions inherit an `apply` that
                                      queues them (changes.queue_remote) — don't override it.
    preview(order, params, target) -> str
                                      remote actions: what `perform` would do, without doing it
    perform(order, item, params, step) -> str
                                      remote actions, called by the job runner with a fresh
                                      order (item when per_item). Must be idempotent: look up
                                      the idempotency key first (e.g. order_metadata
                                      "salesforce_<object>_id") and return without calling out
                                      when present; after creating a record, store its Id at
                                      once through orders.services (actor=None,
                                      source="Auto"). Raise jobs.tasks.RetryLater for transient
                                      errors (retried per `retry_delays`, up to `max_attempts`
                                      attempts) and PermanentFailure(message) for errors a
                                      person must fix; both messages go to the order's history.
                                      `step.earlier` holds the results of the remote actions
                                      that ran before this one in the same rule run.

Built-in actions register at import time with `register(action)`. An integration registers
an action provider in its AppConfig.ready():

    from orderhub.rules.actions import register_provider
    register_provider("salesforce", lambda store, rule_type: [...actions for this store...])

and `available_actions(store, rule_type)` offers its actions beside the built-ins. Provider
action keys should be namespaced ("salesforce.create.Sales_Order__c"). Templates over the order
({{shipping.last_name}}, {{checkout_data.Gift Message}}, {{item.code}}) are filled with
`orderhub.rules.fields.render_template(text, item_view(order_view(order), item))`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from orderhub.rules import syntax
from orderhub.rules.event_types import ITEM_RULE, ORDER_RULE

logger = logging.getLogger(__name__)
BOTH = frozenset({ORDER_RULE, ITEM_RULE})
ORDER_ONLY = frozenset({ORDER_RULE})
ITEM_ONLY = frozenset({ITEM_RULE})
TAG_COLORS = ("red", "orange", "yellow", "green", "blue", "purple", "pink", "gray", "black")


class ActionProblem(ValueError):
    """Bad action parameters; the message names the parameter."""


@dataclass(frozen=True)
class Param:
    name: str
    label: str
    kind: str = "text"  # text | textarea | folder | color | url | mapping
    required: bool = True
    help: str = ""
    choices: tuple[tuple[str, str], ...] = ()


@dataclass
class Target:
    """What one application of an action is about: the order, and the item in item rules."""

    order: Any
    view: dict[str, Any]
    item: Any = None


@dataclass
class RemoteRequest:
    action_key: str
    label: str
    params: dict
    item_id: int | None


@dataclass
class RemoteStep:
    """Handed to `perform`: which queued action this is and what ran before it in the run."""

    queued_action_id: int
    attempt: int
    earlier: list[dict] = field(default_factory=list)  # [{"action_key", "item_id", "result"}]


@dataclass
class ChangeSet:
    """The changes one rule run makes to one order, collected before anything is saved."""

    order: Any
    now_local: datetime
    folder: Any = None
    order_fields: dict[str, str] = field(default_factory=dict)
    checkout_data: dict | None = None
    order_metadata: dict | None = None
    notes: list[str] = field(default_factory=list)
    items: dict[int, dict[str, dict]] = field(default_factory=dict)
    item_before: dict[int, dict[str, dict]] = field(default_factory=dict)
    remote: list[RemoteRequest] = field(default_factory=list)
    done: list[str] = field(default_factory=list)

    def current_checkout_data(self) -> dict:
        if self.checkout_data is None:
            self.checkout_data = dict(self.order.checkout_data or {})
        return self.checkout_data

    def current_order_metadata(self) -> dict:
        if self.order_metadata is None:
            self.order_metadata = dict(self.order.order_metadata or {})
        return self.order_metadata

    def current_item_data(self, item: Any, name: str) -> dict:
        entry = self.items.setdefault(item.id, {})
        if name not in entry:
            entry[name] = dict(getattr(item, name) or {})
            self.item_before.setdefault(item.id, {})[name] = dict(entry[name])
        return entry[name]

    def queue_remote(self, action: Action, params: dict, target: Target) -> None:
        item_id = target.item.id if target.item is not None else None
        self.remote.append(RemoteRequest(action.key, action.label, params, item_id))


class Action:
    key: str = ""
    label: str = ""
    rule_types: frozenset[str] = BOTH
    params: tuple[Param, ...] = ()
    per_item: bool = False
    remote: bool = False
    max_attempts: int = 5
    retry_delays: tuple[timedelta, ...] = (
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=15),
        timedelta(hours=1),
    )

    def clean(self, store: Any, params: dict) -> dict:
        cleaned: dict[str, Any] = {}
        for param in self.params:
            value = params.get(param.name, "")
            if isinstance(value, str):
                value = value.strip() if param.kind != "textarea" else value.strip("\n")
            if param.required and value in ("", None, {}, []):
                raise ActionProblem(f"{self.label}: {param.label} is required")
            if param.choices and value and value not in {c for c, _ in param.choices}:
                raise ActionProblem(f"{self.label}: {param.label} {value!r} is not a choice")
            cleaned[param.name] = value
        return cleaned

    def describe(self, params: dict) -> str:
        shown = ", ".join(f"{v}" for v in params.values() if v not in ("", None))
        return f"{self.label}: {shown}" if shown else self.label

    def apply(self, changes: ChangeSet, params: dict, target: Target) -> str:
        if not self.remote:
            raise NotImplementedError(f"{type(self).__name__} must implement apply")
        changes.queue_remote(self, params, target)
        return f"queued {self.preview(target.order, params, target)}"

    def preview(self, order: Any, params: dict, target: Target) -> str:
        return self.describe(params)

    def perform(self, order: Any, item: Any, params: dict, step: RemoteStep) -> str:
        raise NotImplementedError(f"{type(self).__name__} is not a remote action")


# --- the registry -------------------------------------------------------------------------------

_builtin: dict[str, Action] = {}
ActionProvider = Callable[[Any, str], Iterable[Action]]
_providers: dict[str, ActionProvider] = {}


def register(action: Action) -> Action:
    if action.key in _builtin and type(_builtin[action.key]) is not type(action):
        raise ValueError(f"Another action is registered as {action.key!r}")
    _builtin[action.key] = action
    return action


def register_provider(name: str, provider: ActionProvider) -> None:
    """Add actions that depend on the store (an integration's), asked for on every lookup."""
    _providers[name] = provider


def unregister_provider(name: str) -> None:
    _providers.pop(name, None)


def _provided(store: Any, rule_type: str | None) -> list[Action]:
    found: list[Action] = []
    for name, provider in list(_providers.items()):
        types = [rule_type] if rule_type else [ORDER_RULE, ITEM_RULE]
        for kind in types:
            try:
                found.extend(provider(store, kind))
            except Exception:
                logger.exception("Rule action provider %s failed for store %s", name, store)
    return found


def available_actions(store: Any, rule_type: str) -> list[Action]:
    """Built-in and integration actions a rule of this type can use in this store."""
    actions = [a for a in _builtin.values() if rule_type in a.rule_types]
    seen = {a.key for a in actions}
    for action in _provided(store, rule_type):
        if action.key not in seen and rule_type in action.rule_types:
            actions.append(action)
            seen.add(action.key)
    return actions


def get_action(store: Any, key: str) -> Action | None:
    if key in _builtin:
        return _builtin[key]
    for action in _provided(store, None):
        if action.key == key:
            return action
    return None


# --- built-in local actions ---------------------------------------------------------------------


class ChangeFolder(Action):
    key, label, rule_types = "change_folder", "Change Folder", BOTH
    params = (Param("folder_id", "Folder", "folder"),)

    def clean(self, store: Any, params: dict) -> dict:
        from orderhub.stores.models import Folder

        cleaned = super().clean(store, params)
        folder = Folder.objects.filter(store=store, id=_int(cleaned["folder_id"])).first()
        if folder is None:
            raise ActionProblem(
                f"Change Folder: folder {cleaned['folder_id']} is not in this store"
            )
        return {"folder_id": folder.id}

    def describe(self, params: dict) -> str:
        from orderhub.stores.models import Folder

        folder = Folder.objects.filter(id=_int(params.get("folder_id"))).first()
        return f"Move to folder {folder.name if folder else params.get('folder_id')}"

    def apply(self, changes: ChangeSet, params: dict, target: Target) -> str:
        from orderhub.stores.models import Folder

        folder = Folder.objects.filter(
            store_id=changes.order.store_id, id=_int(params["folder_id"])
        ).first()
        if folder is None:
            return "did not move: the folder no longer exists"
        changes.folder = folder
        return f"moved to {folder.name}"


class TagOrder(Action):
    key, label, rule_types = "tag_order", "Tag Order", BOTH
    params = (
        Param("color", "Color", "color", choices=tuple((c, c.title()) for c in TAG_COLORS)),
        Param("name", "Tag name", required=False),
    )

    def apply(self, changes: ChangeSet, params: dict, target: Target) -> str:
        changes.order_fields["tag_color"] = params["color"]
        changes.order_fields["tag_name"] = params.get("name", "")
        tag = f"{params['color']} {params.get('name', '')}".strip()
        return f"tagged {tag}"


class _DataSyntaxAction(Action):
    """Set Checkout Data / Set Metadata: Order Desk's `Name|Value` lines (see syntax.py)."""

    params = (
        Param(
            "lines",
            "Values",
            "textarea",
            help="One per line: Name|Value, Name|[REMOVE], [REMOVEALL], Name|++, Name|--, "
            "Name|[DATE+5days], Name|[SHORTDATE+1month]",
        ),
    )
    what = ""

    def clean(self, store: Any, params: dict) -> dict:
        cleaned = super().clean(store, params)
        try:
            syntax.parse(cleaned["lines"])
        except syntax.SyntaxProblem as exc:
            raise ActionProblem(f"{self.label}: {exc}") from None
        return cleaned

    def describe(self, params: dict) -> str:
        return f"{self.label}: {'; '.join(params.get('lines', '').splitlines())}"

    def current(self, changes: ChangeSet, target: Target) -> dict:
        raise NotImplementedError

    def store_result(self, changes: ChangeSet, target: Target, data: dict) -> None:
        raise NotImplementedError

    def apply(self, changes: ChangeSet, params: dict, target: Target) -> str:
        before = self.current(changes, target)
        after = syntax.apply_text(before, params["lines"], changes.now_local)
        before_copy = dict(before)
        before.clear()
        before.update(after)
        return f"{self.subject(target)}: {_diff(before_copy, after)}"

    def subject(self, target: Target) -> str:
        return self.what


class SetCheckoutData(_DataSyntaxAction):
    key, label, rule_types, what = (
        "set_checkout_data",
        "Set Checkout Data",
        BOTH,
        "checkout data",
    )

    def current(self, changes: ChangeSet, target: Target) -> dict:
        return changes.current_checkout_data()


class SetMetadata(_DataSyntaxAction):
    key, label, rule_types, what = "set_metadata", "Set Metadata", BOTH, "metadata"

    def current(self, changes: ChangeSet, target: Target) -> dict:
        return changes.current_order_metadata()


class _ItemDataAction(_DataSyntaxAction):
    """The same syntax on each matching item's `attribute` map (item rules only)."""

    rule_types, per_item = ITEM_ONLY, True
    attribute = noun = ""

    def subject(self, target: Target) -> str:
        return f"item {target.item.name} {self.noun}"

    def current(self, changes: ChangeSet, target: Target) -> dict:
        return changes.current_item_data(target.item, self.attribute)


class SetItemMetadata(_ItemDataAction):
    key, label, attribute, noun = "set_item_metadata", "Set Item Metadata", "metadata", "metadata"


class SetVariation(_ItemDataAction):
    key, label, attribute, noun = "set_variation", "Set Variation", "variation_list", "variations"


class SetMetadataTimestamp(Action):
    key, label, rule_types = "set_metadata_timestamp", "Set Order Metadata Timestamp", BOTH
    params = (Param("name", "Metadata name"),)

    def apply(self, changes: ChangeSet, params: dict, target: Target) -> str:
        stamp = changes.now_local.strftime("%Y-%m-%d %H:%M:%S")
        changes.current_order_metadata()[params["name"]] = stamp
        return f"metadata {params['name']} = {stamp}"


class AddNote(Action):
    key, label, rule_types = "add_note", "Add Note", BOTH
    params = (Param("note", "Note", "textarea", help="{{field}} placeholders are filled in"),)

    def apply(self, changes: ChangeSet, params: dict, target: Target) -> str:
        from orderhub.rules.fields import render_template

        note = render_template(params["note"], target.view)[:2000]
        changes.notes.append(note)
        return f"added note {note!r}"


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _diff(before: dict, after: dict) -> str:
    parts = []
    for key in after:
        if key not in before:
            parts.append(f"{key}={after[key]!s} (new)")
        elif before[key] != after[key]:
            parts.append(f"{key}={after[key]!s}")
    parts.extend(f"removed {key}" for key in before if key not in after)
    return ", ".join(parts) or "no change"


for _action in (
    ChangeFolder(),
    TagOrder(),
    SetCheckoutData(),
    SetMetadata(),
    SetMetadataTimestamp(),
    AddNote(),
    SetItemMetadata(),
    SetVariation(),
):
    register(_action)
