"""The rule form: read the page's dynamic filter and action rows, validate, and describe rows
for rendering.

The page posts one hidden `filter_rows` / `action_rows` value per row (the row's id, in page
order) and the row's inputs as `filter-<id>-field`, `action-<id>-param-<name>`, ... The
server re-renders the rows on every change of a select, so it alone decides which inputs a
field or an action needs.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import QueryDict

from orderhub.rules import actions as registry
from orderhub.rules.event_types import CUSTOM_EVENTS, CUSTOM_SCHEDULE, EVENTS, RULE_TYPES
from orderhub.rules.fields import FIELDS, fields_for
from orderhub.rules.filters import DATE, FOLDER, NUMBER, OPERATORS
from orderhub.rules.models import Rule
from orderhub.rules.services import RuleInvalid, clean_rule
from orderhub.stores.models import Folder, Store


def new_row_id() -> str:
    return secrets.token_hex(4)


def _mapping_from_text(text: str) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for line in text.splitlines():
        name, _, value = line.partition("|")
        if name.strip():
            mapping[name.strip()] = value.strip()
    return mapping


def mapping_to_text(mapping: Any) -> str:
    if isinstance(mapping, dict):
        return "\n".join(f"{k}|{v}" for k, v in mapping.items())
    return str(mapping or "")


def rule_data_from_post(post: QueryDict, store: Store) -> dict:
    """The rule as services.clean_rule expects it, from the page's fields."""
    rule_type = post.get("rule_type", "order")
    event = post.get("event", "")
    data: dict[str, Any] = {
        "name": post.get("name", ""),
        "rule_type": rule_type,
        "event": event,
        "filter_join": post.get("filter_join", "and"),
        "enabled": post.get("enabled") in ("on", "true", "1"),
        "stop_processing": post.get("stop_processing") in ("on", "true", "1"),
        "event_options": {},
        "filters": [],
        "actions": [],
    }
    if event in CUSTOM_EVENTS:
        options: dict[str, Any] = {"name": post.get("custom_name", "")}
        if event == CUSTOM_SCHEDULE:
            options["folder_id"] = post.get("schedule_folder_id", "")
            if post.get("schedule_kind", "time") == "interval":
                options["every_minutes"] = post.get("every_minutes", "")
            else:
                options["time_of_day"] = post.get("time_of_day", "")
        data["event_options"] = options
    for rid in post.getlist("filter_rows"):
        prefix = f"filter-{rid}-"
        operator = post.get(prefix + "operator", "equals")
        values = post.getlist(prefix + "value")
        data["filters"].append(
            {
                "field": post.get(prefix + "field", ""),
                "key": post.get(prefix + "key", ""),
                "operator": operator,
                "value": ",".join(values) if len(values) > 1 else (values[0] if values else ""),
                "ignore_case": post.get(prefix + "ignore_case") == "on",
                "_rid": rid,
            }
        )
    for rid in post.getlist("action_rows"):
        prefix = f"action-{rid}-"
        key = post.get(prefix + "action", "")
        action = registry.get_action(store, key)
        params: dict[str, Any] = {}
        for param in action.params if action else ():
            raw = post.get(f"{prefix}param-{param.name}", "")
            params[param.name] = _mapping_from_text(raw) if param.kind == "mapping" else raw
        data["actions"].append({"action": key, "params": params, "_rid": rid})
    return data


def strip_row_ids(data: dict) -> dict:
    return {
        **data,
        "filters": [{k: v for k, v in f.items() if k != "_rid"} for f in data["filters"]],
        "actions": [{k: v for k, v in a.items() if k != "_rid"} for a in data["actions"]],
    }


def rule_data_from_rule(rule: Rule) -> dict:
    return {
        "name": rule.name,
        "rule_type": rule.rule_type,
        "event": rule.event,
        "filter_join": rule.filter_join,
        "enabled": rule.enabled,
        "stop_processing": rule.stop_processing,
        "event_options": dict(rule.event_options),
        "filters": [{**row, "_rid": new_row_id()} for row in rule.filters],
        "actions": [{**row, "_rid": new_row_id()} for row in rule.actions],
    }


def blank_rule_data() -> dict:
    return {
        "name": "",
        "rule_type": "order",
        "event": "order_imported",
        "filter_join": "and",
        "enabled": True,
        "stop_processing": False,
        "event_options": {},
        "filters": [],
        "actions": [{"action": "change_folder", "params": {}, "_rid": new_row_id()}],
    }


class RuleForm:
    """Validates a posted rule through services.clean_rule; `errors` are sentences."""

    def __init__(self, store: Store, post: QueryDict) -> None:
        self.store = store
        self.data = rule_data_from_post(post, store)
        self.errors: list[str] = []
        self.cleaned: dict = {}

    def is_valid(self) -> bool:
        try:
            self.cleaned = clean_rule(self.store, strip_row_ids(self.data))
        except RuleInvalid as exc:
            self.errors = exc.errors
            return False
        return True


class RunEventForm(forms.Form):
    """Re-run an event's rules by hand on a folder or on chosen orders."""

    event = forms.ChoiceField(choices=list(EVENTS.items()))
    custom_name = forms.CharField(required=False)
    folder_id = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    order_ids = forms.CharField(required=False, help_text="Order ids, comma-separated")

    def __init__(self, store: Store, data: QueryDict | None = None, **kwargs: Any) -> None:
        if data is not None and len(data.getlist("order_ids")) > 1:
            # The orders list posts one order_ids value per selected order.
            data = data.copy()
            data["order_ids"] = ",".join(data.getlist("order_ids"))
        super().__init__(data, **kwargs)
        self.fields["folder_id"].choices = [("", "—")] + [
            (f.id, f.name) for f in Folder.objects.filter(store=store)
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        raw = cleaned.get("order_ids") or ""
        ids = [part.strip() for part in raw.replace("\n", ",").split(",") if part.strip()]
        if any(not part.isdigit() for part in ids):
            raise forms.ValidationError("Order ids are numbers separated by commas")
        cleaned["order_ids"] = [int(part) for part in ids]
        if cleaned.get("folder_id") is None and not ids:
            raise forms.ValidationError("Choose a folder or give order ids")
        if cleaned.get("event") in CUSTOM_EVENTS and not cleaned.get("custom_name"):
            raise forms.ValidationError("Give the name of the custom button or event")
        return cleaned


# --- describing rows for the templates ----------------------------------------------------------


@dataclass
class FilterRow:
    rid: str
    field: Any
    key: str
    operator: str
    value: str
    ignore_case: bool
    takes_value: bool
    input: str  # text | number | date | folder | folders
    chosen_folders: list[str] = field(default_factory=list)


@dataclass
class ParamInput:
    param: registry.Param
    value: Any
    text: str


@dataclass
class ActionRow:
    rid: str
    action: registry.Action | None
    key: str
    inputs: list[ParamInput]


def filter_rows(data: dict) -> list[FilterRow]:
    rows = []
    allowed = {f.key for f in fields_for(data["rule_type"])}
    for row in data["filters"]:
        key = row.get("field") if row.get("field") in allowed else "source_name"
        spec = FIELDS[key]
        operator = row.get("operator") if row.get("operator") in OPERATORS else "equals"
        takes_value = OPERATORS[operator].takes_value
        if spec.kind == FOLDER:
            kind = "folders" if operator == "is_one_of" else "folder"
        elif operator == "is_one_of":
            kind = "text"
        else:
            kind = {NUMBER: "number", DATE: "date"}.get(spec.kind, "text")
        value = str(row.get("value", "") or "")
        rows.append(
            FilterRow(
                rid=row.get("_rid") or new_row_id(),
                field=spec,
                key=row.get("key", "") or "",
                operator=operator,
                value=value,
                ignore_case=bool(row.get("ignore_case")),
                takes_value=takes_value,
                input=kind,
                chosen_folders=[v.strip() for v in value.split(",") if v.strip()],
            )
        )
    return rows


def action_rows(store: Store, data: dict) -> list[ActionRow]:
    available = {a.key: a for a in registry.available_actions(store, data["rule_type"])}
    rows = []
    for row in data["actions"]:
        action = available.get(row.get("action", ""))
        params = row.get("params") or {}
        inputs = []
        for param in action.params if action else ():
            value = params.get(param.name, "")
            text = mapping_to_text(value) if param.kind == "mapping" else str(value or "")
            inputs.append(ParamInput(param, value, text))
        rows.append(
            ActionRow(
                rid=row.get("_rid") or new_row_id(),
                action=action,
                key=row.get("action", ""),
                inputs=inputs,
            )
        )
    return rows


def field_groups(rule_type: str) -> list[tuple[str, list]]:
    groups: dict[str, list] = {}
    for spec in fields_for(rule_type):
        groups.setdefault(spec.group, []).append(spec)
    return list(groups.items())


def rows_context(store: Store, data: dict) -> dict:
    return {
        "data": data,
        "events": EVENTS,
        "rule_types": RULE_TYPES,
        "custom_event": data["event"] in CUSTOM_EVENTS,
        "scheduled": data["event"] == CUSTOM_SCHEDULE,
        "options": data.get("event_options") or {},
        "filter_rows": filter_rows(data),
        "action_rows": action_rows(store, data),
        "field_groups": field_groups(data["rule_type"]),
        "operators": list(OPERATORS.values()),
        "actions": registry.available_actions(store, data["rule_type"]),
        "folders": list(Folder.objects.filter(store=store)),
    }
