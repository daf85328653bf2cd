"""The org: records of every sObject in SQLite, written through validated, system-stamped operations.

Knows nothing of HTTP. Every public method takes the org lock, so the server's event loop, the
control plane and test code can share one instance.
"""

# ruff: noqa: S608  -- SQL text is built from schema identifiers only; values are parameters.

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from operator import itemgetter
from pathlib import Path

from .. import errors
from ..clock import Clock
from ..ids import IdFactory, to_18
from ..schema import ObjectDef, Schema
from . import database, rules
from .database import q
from .query import QueryEngine
from .validation import check_references, check_required, validate_input
from .values import coerce, json_converter

_NUMBER_FORMAT = re.compile(r"\{0+\}")


def format_auto_number(fmt: str | None, n: int) -> str:
    """Salesforce's display format: `SO-{000000}` -> `SO-000123`."""
    return auto_number_formatter(fmt)(n)


def auto_number_formatter(fmt: str | None):
    if not fmt:
        return str
    m = _NUMBER_FORMAT.search(fmt)
    if m is None:
        return lambda n: fmt
    head, tail, width = fmt[: m.start()], fmt[m.end() :], len(m.group(0)) - 2
    return lambda n: f"{head}{n:0{width}d}{tail}"


class Org:
    """One org's data. `default_user_id` stamps CreatedById/OwnerId when no user is given."""

    def __init__(self, db_path: str | Path, schema: Schema, clock: Clock | None = None) -> None:
        self.schema = schema
        self.clock = clock or Clock()
        self.lock = threading.RLock()
        self.conn = database.connect(db_path)
        database.create_tables(self.conn, schema)
        self.ids = IdFactory()
        self._resume_id_counter()
        self.default_user_id: str | None = None
        self._depth = 0
        self._insert_sql: dict[str, tuple[str, list[str]]] = {}
        self.queries = QueryEngine(self)

    # -- infrastructure -------------------------------------------------------------------------

    def _resume_id_counter(self) -> None:
        highest = 0
        for obj in self.schema.objects.values():
            row = self.conn.execute(f"SELECT max(Id) FROM {q(obj.name)}").fetchone()
            if row[0]:
                highest = max(highest, IdFactory.sequence_of(row[0]))
        self.ids.advance_past(highest)

    def close(self) -> None:
        with self.lock:
            self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A (nestable) transaction: everything inside commits or rolls back together."""
        with self.lock:
            name = f"sp{self._depth}"
            self.conn.execute(f"SAVEPOINT {name}")
            self._depth += 1
            try:
                yield
            except BaseException:
                self.conn.execute(f"ROLLBACK TO {name}")
                self.conn.execute(f"RELEASE {name}")
                raise
            else:
                self.conn.execute(f"RELEASE {name}")
            finally:
                self._depth -= 1

    def reset(self) -> None:
        """Delete every record (the schema stays)."""
        with self.lock:
            database.clear_tables(self.conn, self.schema)

    def object(self, name: str) -> ObjectDef:
        obj = self.schema.get(name)
        if obj is None:
            raise errors.NotFound()
        return obj

    # -- reads --------------------------------------------------------------------------------

    def fetch_row(self, object_name: str, record_id: str) -> dict | None:
        """The stored row (deleted or not) as a dict keyed by field name, or None."""
        obj = self.object(object_name)
        with self.lock:
            cur = self.conn.execute(f"SELECT * FROM {q(obj.name)} WHERE Id = ?", (record_id,))
            row = cur.fetchone()
            if row is None:
                return None
            return dict(zip((d[0] for d in cur.description), row, strict=True))

    def rows(
        self,
        object_name: str,
        where: str = "",
        params: Iterable = (),
        *,
        include_deleted: bool = False,
    ) -> list[dict]:
        """Rows of one object as stored (for tests and the control plane; `where` is trusted SQL)."""
        obj = self.object(object_name)
        clauses = [] if include_deleted else ["IsDeleted = 0"]
        if where:
            clauses.append(f"({where})")
        sql = f"SELECT * FROM {q(obj.name)}"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        with self.lock:
            cur = self.conn.execute(sql + " ORDER BY _rowid", tuple(params))
            names = [d[0] for d in cur.description]
            return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    def count(self, object_name: str, *, include_deleted: bool = False) -> int:
        obj = self.object(object_name)
        sql = f"SELECT count(*) FROM {q(obj.name)}"
        if not include_deleted:
            sql += " WHERE IsDeleted = 0"
        with self.lock:
            return self.conn.execute(sql).fetchone()[0]

    def live_row(self, obj: ObjectDef, record_id: str, *, for_write: bool = False) -> dict:
        """The row of a live record, or NOT_FOUND / ENTITY_IS_DELETED / MALFORMED_ID."""
        try:
            full = to_18(record_id)
        except ValueError:
            if for_write:
                raise errors.MalformedId(
                    f"{obj.label} ID: id value of incorrect type: {record_id}", ["Id"]
                ) from None
            raise errors.NotFound() from None
        row = self.fetch_row(obj.name, full)
        if row is None:
            raise errors.NotFound()
        if row["IsDeleted"]:
            raise errors.EntityIsDeleted(fields=[])
        return row

    def record_json(
        self, obj: ObjectDef, row: dict, version: str, fields: list[str] | None = None
    ) -> dict:
        """A record as REST returns it: attributes first, then fields in describe order."""
        out: dict = {
            "attributes": {
                "type": obj.name,
                "url": f"/services/data/v{version}/sobjects/{obj.name}/{row['Id']}",
            }
        }
        selected = obj.ordered_fields()
        if fields:
            selected = []
            for name in fields:
                f = obj.field(name.strip())
                if f is None:
                    raise errors.InvalidField(
                        f"No such column '{name.strip()}' on sobject of type {obj.name}", []
                    )
                selected.append(f)
        for f in selected:
            if f.is_compound:
                out[f.name] = address_json(obj, f, row)
                continue
            conv = json_converter(f)
            value = row.get(f.name)
            out[f.name] = conv(value) if conv else value
        return out

    # -- writes -------------------------------------------------------------------------------

    def _auto_numbers(self, obj: ObjectDef, field: str, count: int) -> range:
        row = self.conn.execute(
            "SELECT next FROM _autonumber WHERE object = ? AND field = ?", (obj.name, field)
        ).fetchone()
        start = row[0] if row else 100
        self.conn.execute(
            "INSERT OR REPLACE INTO _autonumber (object, field, next) VALUES (?, ?, ?)",
            (obj.name, field, start + count),
        )
        return range(start, start + count)

    def _insert_statement(self, obj: ObjectDef) -> tuple[str, list[str]]:
        if obj.name not in self._insert_sql:
            names = [f.name for f in obj.stored_fields()]
            sql = (
                f"INSERT INTO {q(obj.name)} ({', '.join(q(n) for n in names)}) "
                f"VALUES ({', '.join('?' for _ in names)})"
            )
            self._insert_sql[obj.name] = (sql, names)
        return self._insert_sql[obj.name]

    def _complete_new(self, obj: ObjectDef, values: dict, now: int, user_id: str | None) -> dict:
        for f in obj.stored_fields():
            if f.name not in values and f.default is not None:
                values[f.name] = int(f.default) if f.type == "boolean" else f.default
            elif f.name not in values and f.type == "boolean":
                values[f.name] = 0
        user = user_id or self.default_user_id
        values["Id"] = self.ids.new(obj.key_prefix)
        values.update(
            IsDeleted=0,
            CreatedDate=now,
            LastModifiedDate=now,
            SystemModstamp=now,
            CreatedById=user,
            LastModifiedById=user,
        )
        if obj.field("OwnerId") and values.get("OwnerId") is None:
            values["OwnerId"] = user
        return values

    def create(self, object_name: str, data: dict, *, user_id: str | None = None) -> str:
        """Validate and insert one record; return its 18-character id."""
        obj = self.object(object_name)
        if not obj.createable:
            raise errors.InvalidType(f"Cannot create records of type {obj.name}", [])
        values = validate_input(obj, data, creating=True)
        with self.transaction():
            merged_defaults = {
                f.name: f.default
                for f in obj.stored_fields()
                if f.default is not None and f.name not in values
            }
            check_required(obj, {**merged_defaults, **values})
            check_references(self, obj, values)
            for f in obj.stored_fields():
                if f.auto_number:
                    n = self._auto_numbers(obj, f.name, 1)[0]
                    values[f.name] = format_auto_number(f.number_format, n)
            if obj.name in ("Order",) and "Status" not in values:
                values["Status"] = "Draft"
            hook = rules.BEFORE_WRITE.get(obj.name)
            if hook:
                hook(self, values, None)
            values = self._complete_new(obj, values, self.clock.now_ms(), user_id)
            sql, names = self._insert_statement(obj)
            self.conn.execute(sql, [values.get(n) for n in names])
            self._roll_up(obj, [values])
        return values["Id"]

    def update(
        self, object_name: str, record_id: str, data: dict, *, user_id: str | None = None
    ) -> None:
        obj = self.object(object_name)
        values = validate_input(obj, data, creating=False)
        with self.transaction():
            existing = self.live_row(obj, record_id, for_write=True)
            check_required(obj, {**existing, **values})
            check_references(self, obj, values)
            hook = rules.BEFORE_WRITE.get(obj.name)
            if hook:
                hook(self, values, existing)
            self._write_fields(obj, existing["Id"], values, user_id)
            self._roll_up(obj, [{**existing, **values}], previous=[existing])

    def set_fields(
        self, object_name: str, record_id: str, values: dict, user_id: str | None = None
    ) -> None:
        """Write fields without validation (derived values, roll-ups)."""
        self._write_fields(self.object(object_name), record_id, values, user_id)

    def _write_fields(
        self, obj: ObjectDef, record_id: str, values: dict, user_id: str | None
    ) -> None:
        now = self.clock.now_ms()
        values = {
            **values,
            "LastModifiedDate": now,
            "SystemModstamp": now,
            "LastModifiedById": user_id or self.default_user_id,
        }
        assignments = ", ".join(f"{q(k)} = ?" for k in values)
        self.conn.execute(
            f"UPDATE {q(obj.name)} SET {assignments} WHERE Id = ?", [*values.values(), record_id]
        )

    def delete(self, object_name: str, record_id: str) -> None:
        """Move a record (and its cascade-deleted children) to the recycle bin."""
        obj = self.object(object_name)
        if not obj.deletable:
            raise errors.InvalidType(f"Cannot delete records of type {obj.name}", [])
        with self.transaction():
            row = self.live_row(obj, record_id, for_write=True)
            self._soft_delete(obj, [row["Id"]])
            self._roll_up(obj, [row])

    def _soft_delete(self, obj: ObjectDef, ids: list[str]) -> None:
        now = self.clock.now_ms()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            self.conn.execute(
                f"UPDATE {q(obj.name)} SET IsDeleted = 1, _DeletedDate = ?, SystemModstamp = ?, "
                f"LastModifiedDate = ? WHERE Id IN ({marks}) AND IsDeleted = 0",
                [now, now, now, *chunk],
            )
            for rel in obj.child_relationships:
                if not rel.cascade_delete:
                    continue
                child = self.object(rel.child_object)
                child_ids = [
                    r[0]
                    for r in self.conn.execute(
                        f"SELECT Id FROM {q(child.name)} WHERE {q(rel.field)} IN ({marks}) AND IsDeleted = 0",
                        chunk,
                    )
                ]
                if child_ids:
                    self._soft_delete(child, child_ids)

    def _roll_up(
        self, obj: ObjectDef, rows: list[dict], previous: list[dict] | None = None
    ) -> None:
        spec = rules.ROLL_UPS.get(obj.name)
        if spec is None:
            return
        ref_field = spec[0]
        parent_ids = {r.get(ref_field) for r in rows + (previous or [])} - {None}
        self.recompute_roll_ups(obj.name, sorted(parent_ids))

    def recompute_roll_ups(self, child_object: str, parent_ids: list[str] | None = None) -> None:
        """Recompute a roll-up summary (e.g. Order.TotalAmount) for some or all parents."""
        ref_field, parent_name, parent_field, summed = rules.ROLL_UPS[child_object]
        now = self.clock.now_ms()
        total = (
            f"(SELECT coalesce(sum(c.{q(summed)}), 0) FROM {q(child_object)} c "
            f"WHERE c.{q(ref_field)} = p.Id AND c.IsDeleted = 0)"
        )
        if parent_ids is None:
            self.conn.execute(f"UPDATE {q(parent_name)} AS p SET {q(parent_field)} = {total}")
            return
        for parent_id in parent_ids:
            self.conn.execute(
                f"UPDATE {q(parent_name)} AS p SET {q(parent_field)} = {total}, "
                f"SystemModstamp = ?, LastModifiedDate = ? WHERE p.Id = ?",
                (now, now, parent_id),
            )

    def insert_rows(
        self, object_name: str, rows: list[dict], *, stamp: int | None = None
    ) -> list[str]:
        """Fast unvalidated insert for seeding: fills ids (unless given), system fields and auto-numbers."""
        obj = self.object(object_name)
        sql, names = self._insert_statement(obj)
        now = self.clock.now_ms() if stamp is None else stamp
        user = self.default_user_id
        with self.transaction():
            ids = self.ids.many(obj.key_prefix, len(rows))
            autos = [
                (
                    f.name,
                    auto_number_formatter(f.number_format),
                    self._auto_numbers(obj, f.name, len(rows)),
                )
                for f in obj.stored_fields()
                if f.auto_number
            ]
            base: dict = dict.fromkeys(names)
            for f in obj.stored_fields():
                if f.default is not None:
                    base[f.name] = int(f.default) if f.type == "boolean" else f.default
                elif f.type == "boolean":
                    base[f.name] = 0
            base.update(
                IsDeleted=0, CreatedDate=now, LastModifiedDate=now, SystemModstamp=now,
                CreatedById=user, LastModifiedById=user,
            )  # fmt: skip
            if obj.field("OwnerId"):
                base["OwnerId"] = user
            pick = itemgetter(*names)
            params = []
            for i, row in enumerate(rows):
                values = base.copy()
                values.update(row)
                if len(values) != len(base):
                    unknown = set(values) - set(base)
                    raise errors.InvalidField(
                        f"No such column {sorted(unknown)} on sobject of type {obj.name}"
                    )
                values["Id"] = ids[i] = row.get("Id") or ids[i]
                for name, formatter, numbers in autos:
                    values[name] = formatter(numbers[i])
                params.append(pick(values))
            self.conn.executemany(sql, params)
        return ids

    def ids_by_external_id(self, object_name: str, field_name: str, value: str) -> list[str]:
        """Live record ids whose external-id (or Id) field equals `value`."""
        obj = self.object(object_name)
        f = obj.field(field_name)
        if f is None or not (f.external_id or f.id_lookup) or not f.stored:
            raise errors.NotFound(
                f"Provided external ID field does not exist or is not accessible: {field_name}", []
            )
        try:
            stored = coerce(f, value)
        except errors.SalesforceError:
            return []
        with self.lock:
            return [
                r[0]
                for r in self.conn.execute(
                    f"SELECT Id FROM {q(obj.name)} WHERE {q(f.name)} = ? AND IsDeleted = 0",
                    (stored,),
                )
            ]

    def upsert(
        self,
        object_name: str,
        field_name: str,
        value: str,
        data: dict,
        *,
        user_id: str | None = None,
    ) -> tuple[str, bool] | list[str]:
        """Update the one record whose external id is `value`, or create it; (id, created).
        Several matches return the list of their ids (REST answers 300)."""
        obj = self.object(object_name)
        with self.transaction():
            matches = self.ids_by_external_id(obj.name, field_name, value)
            if len(matches) > 1:
                return matches
            f = obj.field(field_name)
            body = {k: v for k, v in data.items() if k.lower() != f.name.lower()}
            if matches:
                self.update(obj.name, matches[0], body, user_id=user_id)
                return matches[0], False
            if f.name == "Id":
                raise errors.NotFound()
            return self.create(obj.name, {**body, f.name: value}, user_id=user_id), True

    # -- replication --------------------------------------------------------------------------

    def updated_ids(self, object_name: str, start_ms: int, end_ms: int) -> list[str]:
        obj = self.object(object_name)
        with self.lock:
            return [
                r[0]
                for r in self.conn.execute(
                    f"SELECT Id FROM {q(obj.name)} WHERE SystemModstamp >= ? AND SystemModstamp < ? "
                    "AND IsDeleted = 0 ORDER BY SystemModstamp, Id",
                    (start_ms, end_ms),
                )
            ]

    def deleted_records(
        self, object_name: str, start_ms: int, end_ms: int
    ) -> list[tuple[str, int]]:
        obj = self.object(object_name)
        with self.lock:
            return list(
                self.conn.execute(
                    f"SELECT Id, _DeletedDate FROM {q(obj.name)} WHERE IsDeleted = 1 "
                    "AND _DeletedDate >= ? AND _DeletedDate < ? ORDER BY _DeletedDate, Id",
                    (start_ms, end_ms),
                )
            )


def address_json(obj: ObjectDef, compound, row: dict) -> dict | None:
    from ..schema.model import ADDRESS_KEYS

    out = {}
    present = False
    prefix_len = len(compound.components[0]) - len("Street")
    for name in compound.components:
        value = row.get(name)
        present = present or value is not None
        out[ADDRESS_KEYS[name[prefix_len:]]] = value
    if not present:
        return None
    return dict(sorted(out.items()))


def open_org(data_dir: str | Path, schema: Schema, clock: Clock | None = None) -> Org:
    path = Path(data_dir)
    path.mkdir(parents=True, exist_ok=True)
    return Org(path / "org.sqlite3", schema, clock)


__all__ = ["Org", "address_json", "format_auto_number", "open_org", "sqlite3"]
