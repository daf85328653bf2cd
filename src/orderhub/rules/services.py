"""Changing a store's rules: create, edit, enable, reorder, delete, import and export.

Every write validates the whole rule first (`clean_rule`), so a stored rule always names a
known event, known fields and operators, and actions whose parameters are valid.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from orderhub.rules import actions as registry
from orderhub.rules.event_types import CUSTOM_EVENTS, CUSTOM_SCHEDULE, EVENTS, RULE_TYPES
from orderhub.rules.fields import FIELDS, ORDER
from orderhub.rules.filters import (
    DATE,
    FOLDER,
    JOINS,
    NUMBER,
    OPERATORS,
    as_moment,
    as_number,
    split_choices,
)
from orderhub.rules.models import Rule
from orderhub.stores.models import Folder, Store

EXPORT_FORMAT = "orderhub-rules"
# Text operators read any field as text ("Order Total contains 99" is allowed).
TEXT_OPERATORS = ("contains", "not_contains", "starts_with", "ends_with")


class RuleInvalid(ValueError):
    """A rule that cannot be saved; `errors` lists every problem as a sentence."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def _folder_ids(store: Store) -> set[int]:
    return set(Folder.objects.filter(store=store).values_list("id", flat=True))


def _clean_event_options(store: Store, event: str, options: Any, errors: list[str]) -> dict:
    if event not in CUSTOM_EVENTS:
        return {}
    options = options if isinstance(options, dict) else {}
    cleaned: dict[str, Any] = {"name": str(options.get("name", "")).strip()}
    if not cleaned["name"]:
        errors.append(f"{EVENTS[event]}: give it a name (the button's or the event's label)")
    if event == CUSTOM_SCHEDULE:
        folder_id = _int(options.get("folder_id"))
        if folder_id not in _folder_ids(store):
            errors.append("Custom Scheduled Event: choose the folder whose orders it runs on")
        cleaned["folder_id"] = folder_id
        every, at = options.get("every_minutes"), str(options.get("time_of_day") or "").strip()
        if every not in (None, ""):
            minutes = _int(every)
            if minutes is None or minutes < 1:
                errors.append("Custom Scheduled Event: the interval is a whole number of minutes")
            cleaned["every_minutes"] = minutes
        elif at:
            if not re.fullmatch(r"([01]?\d|2[0-3]):[0-5]\d", at):
                errors.append(f"Custom Scheduled Event: time of day {at!r} is not HH:MM")
            cleaned["time_of_day"] = at
        else:
            errors.append("Custom Scheduled Event: give a time of day or an interval in minutes")
    return cleaned


def _clean_filters(store: Store, rule_type: str, rows: Any, errors: list[str]) -> list[dict]:
    if not isinstance(rows, list):
        errors.append("filters must be a list")
        return []
    folders = _folder_ids(store)
    cleaned = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            errors.append(f"filter {number}: not an object")
            continue
        field = FIELDS.get(str(row.get("field", "")))
        operator = str(row.get("operator", ""))
        if field is None or (field.scope != ORDER and rule_type == "order"):
            errors.append(f"filter {number}: unknown field {row.get('field')!r}")
            continue
        if operator not in OPERATORS:
            errors.append(f"filter {number}: unknown operator {operator!r}")
            continue
        key = str(row.get("key", "") or "").strip()
        if field.keyed and not key:
            errors.append(f"filter {number}: {field.label} needs a name (which key to read)")
        value = "" if row.get("value") is None else str(row.get("value"))
        wanted = split_choices(value) if operator == "is_one_of" else [value.strip()]
        takes_value = OPERATORS[operator].takes_value
        if takes_value and field.kind == FOLDER:
            if any(_int(v) not in folders for v in wanted):
                errors.append(f"filter {number}: {value!r} is not a folder of this store")
        elif takes_value and field.kind == NUMBER and operator not in TEXT_OPERATORS:
            if not wanted or any(as_number(v) is None for v in wanted):
                errors.append(
                    f"filter {number}: {field.label} compares numbers; {value!r} is not one"
                )
        elif takes_value and field.kind == DATE and operator not in TEXT_OPERATORS:
            moment = timezone.now()
            if not wanted or any(as_moment(v, store.tz, moment) is None for v in wanted):
                errors.append(
                    f"filter {number}: {field.label} compares dates; {value!r} is not one "
                    "(write 2024-06-30, 2024-06-30 14:00 or [DATE-7days])"
                )
        entry: dict[str, Any] = {"field": field.key, "operator": operator}
        if field.keyed:
            entry["key"] = key
        if OPERATORS[operator].takes_value:
            entry["value"] = value
        if row.get("ignore_case"):
            entry["ignore_case"] = True
        cleaned.append(entry)
    return cleaned


def _clean_actions(store: Store, rule_type: str, rows: Any, errors: list[str]) -> list[dict]:
    if not isinstance(rows, list) or not rows:
        errors.append("a rule needs at least one action")
        return []
    cleaned = []
    for number, row in enumerate(rows, start=1):
        key = str(row.get("action", "")) if isinstance(row, dict) else ""
        action = registry.get_action(store, key) if key else None
        if not key:
            errors.append(f"action {number}: choose an action")
            continue
        if action is None:
            errors.append(f"action {number}: unknown action {key!r}")
            continue
        if rule_type not in action.rule_types:
            errors.append(
                f"action {number}: {action.label} is not available in {RULE_TYPES[rule_type]}s"
            )
            continue
        try:
            params = action.clean(store, dict(row.get("params") or {}))
        except registry.ActionProblem as exc:
            errors.append(f"action {number}: {exc}")
            continue
        cleaned.append({"action": key, "params": params})
    return cleaned


def clean_rule(store: Store, data: dict) -> dict:
    """The rule's fields, validated and normalised; RuleInvalid lists every problem."""
    errors: list[str] = []
    name = str(data.get("name", "")).strip()
    if not name:
        errors.append("name: required")
    rule_type = str(data.get("rule_type", "order"))
    if rule_type not in RULE_TYPES:
        errors.append(f"rule_type: {rule_type!r} is not one of {', '.join(RULE_TYPES)}")
        rule_type = "order"
    event = str(data.get("event", ""))
    if event not in EVENTS:
        errors.append(f"event: unknown event {event!r}")
    join = str(data.get("filter_join", "and")).lower()
    if join not in JOINS:
        errors.append(f"filter_join: {join!r} is not and/or")
    cleaned = {
        "name": name[:200],
        "rule_type": rule_type,
        "event": event,
        "event_options": _clean_event_options(store, event, data.get("event_options"), errors)
        if event in EVENTS
        else {},
        "filter_join": join,
        "filters": _clean_filters(store, rule_type, data.get("filters", []), errors),
        "actions": _clean_actions(store, rule_type, data.get("actions", []), errors),
        "enabled": bool(data.get("enabled", True)),
        "stop_processing": bool(data.get("stop_processing", False)),
    }
    if errors:
        raise RuleInvalid(errors)
    return cleaned


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _next_position(store: Store) -> int:
    top = Rule.objects.filter(store=store).aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1


@transaction.atomic
def create_rule(store: Store, data: dict, *, actor: Any) -> Rule:
    fields = clean_rule(store, data)
    return Rule.objects.create(store=store, position=_next_position(store), **fields)


@transaction.atomic
def update_rule(rule: Rule, data: dict, *, actor: Any) -> Rule:
    fields = clean_rule(rule.store, data)
    for name, value in fields.items():
        setattr(rule, name, value)
    rule.save()
    return rule


@transaction.atomic
def set_enabled(rule: Rule, enabled: bool, *, actor: Any) -> Rule:
    rule.enabled = enabled
    rule.save(update_fields=["enabled", "updated_at"])
    return rule


@transaction.atomic
def delete_rule(rule: Rule, *, actor: Any) -> None:
    rule.delete()


@transaction.atomic
def reorder_rules(store: Store, rule_ids: list[int], *, actor: Any) -> list[Rule]:
    """Put the store's rules in this order (rules not listed keep their order, after these)."""
    rules = {r.id: r for r in Rule.objects.select_for_update().filter(store=store)}
    ordered = [rules[i] for i in dict.fromkeys(rule_ids) if i in rules]
    ordered += [
        r for r in sorted(rules.values(), key=lambda r: (r.position, r.id)) if r not in ordered
    ]
    for position, rule in enumerate(ordered):
        if rule.position != position:
            rule.position = position
            rule.save(update_fields=["position"])
    return ordered


def move_rule(rule: Rule, offset: int, *, actor: Any) -> list[Rule]:
    """Move a rule up (-1) or down (+1) the list."""
    ids = list(
        Rule.objects.filter(store=rule.store)
        .order_by("position", "id")
        .values_list("id", flat=True)
    )
    index = ids.index(rule.id)
    target = max(0, min(len(ids) - 1, index + offset))
    ids.insert(target, ids.pop(index))
    return reorder_rules(rule.store, ids, actor=actor)


# --- export and import --------------------------------------------------------------------------


def _folder_names(store: Store) -> dict[int, str]:
    return dict(Folder.objects.filter(store=store).values_list("id", "name"))


def _map_folders(rule: dict, store: Store, to_names: bool) -> tuple[dict, list[str]]:
    """Folder ids -> names for export (ids differ between stores), names -> ids for import."""
    names = _folder_names(store)
    ids = {name: folder_id for folder_id, name in names.items()}
    errors: list[str] = []

    def convert(value: Any) -> Any:
        if to_names:
            return names.get(_int(value), value)
        if str(value) in ids:
            return ids[str(value)]
        errors.append(f"rule {rule.get('name')!r}: folder {value!r} does not exist in {store.name}")
        return value

    rule = {**rule, "event_options": dict(rule.get("event_options") or {})}
    if "folder_id" in rule["event_options"]:
        rule["event_options"]["folder_id"] = convert(rule["event_options"]["folder_id"])
    filters = []
    for row in rule.get("filters") or []:
        row = dict(row) if isinstance(row, dict) else row
        field = FIELDS.get(row.get("field", "")) if isinstance(row, dict) else None
        if field is not None and field.kind == FOLDER and "value" in row:
            parts = (
                split_choices(str(row["value"]))
                if row.get("operator") == "is_one_of"
                else [row["value"]]
            )
            row["value"] = ",".join(str(convert(p)) for p in parts)
        filters.append(row)
    rule["filters"] = filters
    actions = []
    for row in rule.get("actions") or []:
        row = dict(row) if isinstance(row, dict) else row
        action = (
            registry.get_action(store, row.get("action", "")) if isinstance(row, dict) else None
        )
        if action is not None:
            params = dict(row.get("params") or {})
            for param in action.params:
                if param.kind == "folder" and param.name in params:
                    params[param.name] = convert(params[param.name])
            row["params"] = params
        actions.append(row)
    rule["actions"] = actions
    return rule, errors


def export_rules(store: Store) -> dict:
    """The store's rules as JSON-ready data, in list order, folders named rather than numbered."""
    rules = []
    for rule in Rule.objects.filter(store=store).order_by("position", "id"):
        data = {
            "name": rule.name,
            "rule_type": rule.rule_type,
            "event": rule.event,
            "event_options": rule.event_options,
            "filter_join": rule.filter_join,
            "filters": rule.filters,
            "actions": rule.actions,
            "enabled": rule.enabled,
            "stop_processing": rule.stop_processing,
        }
        rules.append(_map_folders(data, store, to_names=True)[0])
    return {"format": EXPORT_FORMAT, "version": 1, "store": store.name, "rules": rules}


def parse_export(data: Any) -> list[dict]:
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise RuleInvalid([f'not an OrderHub rules export (expected "format": "{EXPORT_FORMAT}")'])
    if data.get("version") != 1:
        raise RuleInvalid([f"unsupported export version {data.get('version')!r}"])
    rules = data.get("rules")
    if not isinstance(rules, list) or not all(isinstance(r, dict) for r in rules):
        raise RuleInvalid(['"rules" must be a list of rule objects'])
    return rules


@transaction.atomic
def import_rules(store: Store, data: Any, *, actor: Any, replace: bool = False) -> list[Rule]:
    """Add the exported rules after the store's own (or instead of them with `replace`).

    Every rule is validated first; one bad rule means nothing is imported.
    """
    errors: list[str] = []
    cleaned = []
    for number, raw in enumerate(parse_export(data), start=1):
        mapped, folder_errors = _map_folders(raw, store, to_names=False)
        errors += folder_errors
        try:
            cleaned.append(clean_rule(store, mapped))
        except RuleInvalid as exc:
            errors += [f"rule {number} ({raw.get('name', '?')}): {e}" for e in exc.errors]
    if errors:
        raise RuleInvalid(errors)
    if replace:
        Rule.objects.filter(store=store).delete()
    start = _next_position(store)
    return [
        Rule.objects.create(store=store, position=start + i, **fields)
        for i, fields in enumerate(cleaned)
    ]
