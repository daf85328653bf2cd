"""`orderhub rules export STORE FILE` / `orderhub rules import STORE FILE [--replace]`.

STORE is a store id or its exact name; FILE is a path or "-" for stdout/stdin. An import is
validated whole first: bad JSON, an unknown event, action or folder gives a non-zero exit
naming the problem, and nothing is imported.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from orderhub.rules.services import RuleInvalid, export_rules, import_rules
from orderhub.stores.models import Store


def find_store(ref: str) -> Store:
    store = Store.objects.filter(id=int(ref)).first() if ref.isdigit() else None
    if store is None:
        matches = list(Store.objects.filter(name=ref)[:2])
        if len(matches) > 1:
            raise CommandError(f"Several stores are named {ref!r}: give the store id")
        store = matches[0] if matches else None
    if store is None:
        raise CommandError(f"No store {ref!r} (give a store id or exact name)")
    return store


class Command(BaseCommand):
    help = "Export a store's rules to a JSON file, or import them from one."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="direction", required=True)
        export = sub.add_parser("export", help="write the store's rules as JSON")
        export.add_argument("store")
        export.add_argument("file")
        imp = sub.add_parser("import", help="add rules from a JSON export")
        imp.add_argument("store")
        imp.add_argument("file")
        imp.add_argument("--replace", action="store_true", help="delete the store's rules first")

    def handle(self, *args, direction: str, store: str, file: str, **options) -> None:
        target = find_store(store)
        if direction == "export":
            text = json.dumps(export_rules(target), indent=2, ensure_ascii=False) + "\n"
            if file == "-":
                self.stdout.write(text, ending="")
            else:
                Path(file).write_text(text, encoding="utf-8")
                count = len(json.loads(text)["rules"])
                self.stdout.write(f"Exported {count} rules of {target.name} to {file}")
            return
        try:
            raw = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}") from exc
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"{file} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
                "nothing was imported"
            ) from exc
        try:
            rules = import_rules(target, data, actor=None, replace=options["replace"])
        except RuleInvalid as exc:
            problems = "\n  ".join(exc.errors)
            raise CommandError(f"Nothing was imported:\n  {problems}") from exc
        self.stdout.write(f"Imported {len(rules)} rules into {target.name}")
