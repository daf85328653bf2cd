"""Running SOQL against the org: snapshots, pages, locators and result shapes (reference §4.3)."""

from __future__ import annotations

import json
import time
from array import array
from collections import OrderedDict
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TYPE_CHECKING

from .. import errors
from ..ids import QUERY_LOCATOR_PREFIX
from ..soql import CompiledChild, CompiledQuery, compile_query, parse, validate

if TYPE_CHECKING:
    from .org import Org

DEFAULT_BATCH = 2000
CURSOR_TTL_SECONDS = 15 * 60
MAX_CURSORS = 20_000


@dataclass
class _Cursor:
    compiled: CompiledQuery | None
    endpoint: str  # "query" or "queryAll"
    batch: int
    rowids: array = field(default_factory=lambda: array("q"))
    child: CompiledChild | None = None
    parent_id: str | None = None
    child_total: int = 0
    children_per_parent: float = 0.0
    touched: float = field(default_factory=time.monotonic)


def clamp_batch(size: int | None) -> int:
    if size is None:
        return DEFAULT_BATCH
    return max(200, min(2000, size))


class QueryEngine:
    """Runs queries for one org and keeps their locators."""

    def __init__(self, org: Org, child_inline_cap: int = 200) -> None:
        self.org = org
        self.child_inline_cap = child_inline_cap
        self._cursors: OrderedDict[str, _Cursor] = OrderedDict()

    # -- public -----------------------------------------------------------------------------

    def prepare(self, soql: str, *, include_deleted: bool = False) -> CompiledQuery:
        """Parse, validate and compile (raises the SOQL errors)."""
        tree = parse(soql)
        valid = validate(tree, self.org.schema, soql)
        return compile_query(valid, self.org.clock.now(), include_deleted=include_deleted)

    def query(
        self,
        soql: str,
        version: str,
        *,
        include_deleted: bool = False,
        batch_size: int | None = None,
    ) -> dict:
        compiled = self.prepare(soql, include_deleted=include_deleted)
        conn = self.org.conn
        with self.org.lock:
            if compiled.count_only:
                total = conn.execute(compiled.count_sql, compiled.count_params).fetchone()[0]
                return {"totalSize": total, "done": True, "records": []}
            if compiled.aggregate:
                rows = conn.execute(compiled.aggregate_sql, compiled.aggregate_params).fetchall()
                records = [self._aggregate_record(compiled, r) for r in rows]
                return {"totalSize": len(records), "done": True, "records": records}
            rowids = array(
                "q", (r[0] for r in conn.execute(compiled.snapshot_sql, compiled.snapshot_params))
            )
            cursor = _Cursor(
                compiled,
                "queryAll" if include_deleted else "query",
                clamp_batch(batch_size),
                rowids,
            )
            return self._main_page(cursor, None, 0, version)

    def query_more(self, locator: str, version: str) -> dict:
        cursor_id, _, offset_text = locator.partition("-")
        with self.org.lock:
            self._expire()
            cursor = self._cursors.get(cursor_id)
            if cursor is None or not offset_text.isdigit():
                raise errors.InvalidQueryLocator()
            cursor.touched = time.monotonic()
            self._cursors.move_to_end(cursor_id)
            offset = int(offset_text)
            if cursor.child is not None:
                return self._child_page(cursor, cursor_id, offset, version)
            return self._main_page(cursor, cursor_id, offset, version)

    def snapshot(self, compiled: CompiledQuery) -> array:
        """The row ids a query matches, in its order (what a locator pages through)."""
        with self.org.lock:
            return array(
                "q",
                (
                    r[0]
                    for r in self.org.conn.execute(compiled.snapshot_sql, compiled.snapshot_params)
                ),
            )

    def records(self, compiled: CompiledQuery, rowids, version: str) -> list[dict]:
        """Records (without child subqueries) for some snapshot row ids, in snapshot order."""
        with self.org.lock:
            rows = {
                row[0]: row
                for row in self.org.conn.execute(compiled.page_sql, (json.dumps(list(rowids)),))
            }
        prefix = f"/services/data/v{version}"
        return [
            _build(compiled.layout, compiled.obj.name, rows[r], prefix) for r in rowids if r in rows
        ]

    def forget_all(self) -> None:
        with self.org.lock:
            self._cursors.clear()

    # -- cursors ----------------------------------------------------------------------------

    def _store(self, cursor: _Cursor) -> str:
        cursor_id = self.org.ids.new(QUERY_LOCATOR_PREFIX)
        self._cursors[cursor_id] = cursor
        while len(self._cursors) > MAX_CURSORS:
            self._cursors.popitem(last=False)
        return cursor_id

    def _expire(self) -> None:
        limit = time.monotonic() - CURSOR_TTL_SECONDS
        while self._cursors:
            key, oldest = next(iter(self._cursors.items()))
            if oldest.touched >= limit:
                break
            del self._cursors[key]

    # -- pages ------------------------------------------------------------------------------

    def _main_page(self, cursor: _Cursor, cursor_id: str | None, pos: int, version: str) -> dict:
        compiled = cursor.compiled
        assert compiled is not None
        total = len(cursor.rowids)
        budget = cursor.batch
        records: list[dict] = []
        prefix = f"/services/data/v{version}"
        while pos < total and budget > 0:
            if compiled.children:
                n = max(1, min(total - pos, int(budget / (1 + cursor.children_per_parent)) + 1))
            else:
                n = min(budget, total - pos)
            chunk = cursor.rowids[pos : pos + n]
            by_rowid = {
                row[0]: row
                for row in self.org.conn.execute(compiled.page_sql, (json.dumps(chunk.tolist()),))
            }
            rows = [by_rowid[r] for r in chunk if r in by_rowid]
            parent_ids = [row[1] for row in rows]
            child_rows = [self._child_rows(child, parent_ids) for child in compiled.children]
            inline_children = 0
            taken = 0
            stop = False
            for row in rows:
                cost = 1 + sum(
                    min(len(c.get(row[1], ())), self.child_inline_cap) for c in child_rows
                )
                if records and cost > budget:
                    stop = True
                    break
                record = _build(compiled.layout, compiled.obj.name, row, prefix)
                for child, grouped in zip(compiled.children, child_rows, strict=True):
                    record[child.key] = self._child_result(
                        child, grouped.get(row[1]), row[1], cursor, prefix
                    )
                records.append(record)
                budget -= cost
                inline_children += cost - 1
                taken += 1
            pos += taken + (len(chunk) - len(rows)) * (not stop)
            if taken:
                cursor.children_per_parent = inline_children / taken
            if stop:
                break
        result: dict = {"totalSize": total, "done": pos >= total}
        if pos < total:
            if cursor_id is None:
                cursor_id = self._store(cursor)
            result["nextRecordsUrl"] = f"{prefix}/{cursor.endpoint}/{cursor_id}-{pos}"
        result["records"] = records
        return result

    def _child_rows(
        self, child: CompiledChild, parent_ids: list[str], lo: int = 0, hi: int | None = None
    ) -> dict:
        grouped: dict[str, list] = {}
        if hi is None and child.limit is None and not child.offset:
            # Common case: every child of these parents, capped in Python (no window functions).
            for row in self.org.conn.execute(
                child.plain_sql, [json.dumps(parent_ids), *child.where_params]
            ):
                group = grouped.get(row[1])
                if group is None:
                    grouped[row[1]] = group = []
                group.append(row)
            return grouped
        if hi is None:
            cap = self.child_inline_cap + 1
            hi = child.offset + (min(child.limit, cap) if child.limit is not None else cap)
        params = [json.dumps(parent_ids), *child.where_params, child.offset + lo, hi]
        for row in self.org.conn.execute(child.sql, params):
            grouped.setdefault(row[1], []).append(row)
        return grouped

    def _child_total(self, child: CompiledChild, rows: list) -> int:
        if child.limit is None and not child.offset:
            return len(rows)
        total = max(0, rows[0][-1] - child.offset)
        return min(total, child.limit) if child.limit is not None else total

    def _child_result(
        self, child: CompiledChild, rows, parent_id: str, cursor: _Cursor, prefix: str
    ):
        if not rows:
            return None
        total = self._child_total(child, rows)
        inline = rows[: self.child_inline_cap]
        result: dict = {"totalSize": total, "done": len(inline) >= total}
        if len(inline) < total:
            child_cursor = _Cursor(
                None, cursor.endpoint, cursor.batch, child=child, parent_id=parent_id
            )
            child_cursor.child_total = total
            result["nextRecordsUrl"] = (
                f"{prefix}/{cursor.endpoint}/{self._store(child_cursor)}-{len(inline)}"
            )
        result["records"] = [_build(child.layout, child.obj.name, r, prefix, 2) for r in inline]
        return result

    def _child_page(self, cursor: _Cursor, cursor_id: str, pos: int, version: str) -> dict:
        child = cursor.child
        assert child is not None
        prefix = f"/services/data/v{version}"
        end = min(cursor.child_total, pos + cursor.batch)
        grouped = self._child_rows(child, [cursor.parent_id], pos, child.offset + end)
        rows = grouped.get(cursor.parent_id, [])
        done = end >= cursor.child_total
        result: dict = {"totalSize": cursor.child_total, "done": done}
        if not done:
            result["nextRecordsUrl"] = f"{prefix}/{cursor.endpoint}/{cursor_id}-{end}"
        result["records"] = [_build(child.layout, child.obj.name, r, prefix, 2) for r in rows]
        return result

    def _aggregate_record(self, compiled: CompiledQuery, row) -> dict:
        record: dict = {"attributes": {"type": "AggregateResult"}}
        for (key, conv), value in zip(compiled.aggregate_keys, row, strict=True):
            record[key] = conv(value) if conv and value is not None else value
        return record


def _plan(layout: list) -> list:
    """Steps that build a record fast: runs of plain columns are copied with one itemgetter."""
    steps: list = []
    run_keys: list[str] = []
    run_index: list[int] = []

    def flush() -> None:
        if len(run_keys) > 1:
            steps.append(("run", tuple(run_keys), itemgetter(*run_index), None))
        elif run_keys:
            steps.append(("one", run_keys[0], run_index[0], None))
        run_keys.clear()
        run_index.clear()

    for kind, out in layout:
        if kind == "field" and not out.levels and not out.address and out.convert is None:
            run_keys.append(out.key)
            run_index.append(out.index)
            continue
        flush()
        if kind != "field":
            steps.append(("child", out.key, None, None))
        elif not out.levels and not out.address:
            steps.append(("one", out.key, out.index, out.convert))
        else:
            steps.append(("nested", out, None, None))
    flush()
    return steps


_PLANS: dict[int, tuple[list, list]] = {}


def _build(layout: list, type_name: str, row, prefix: str, id_index: int = 1) -> dict:
    """One record in REST's shape: attributes, then fields (parents nested) in SELECT order."""
    cached = _PLANS.get(id(layout))
    if cached is None or cached[0] is not layout:
        cached = _PLANS[id(layout)] = (layout, _plan(layout))
    record: dict = {
        "attributes": {"type": type_name, "url": f"{prefix}/sobjects/{type_name}/{row[id_index]}"}
    }
    for step, key, index, convert in cached[1]:
        if step == "run":
            record.update(zip(key, index(row), strict=True))
        elif step == "one":
            value = row[index]
            record[key] = convert(value) if convert is not None and value is not None else value
        elif step == "child":
            record[key] = None
        else:
            _nested(record, key, row, prefix)
    return record


def _nested(record: dict, out, row, prefix: str) -> None:
    target = record
    for key, obj_name, id_col in out.levels:
        if key in target:
            nested = target[key]
        else:
            parent_id = row[id_col]
            nested = (
                None
                if parent_id is None
                else {
                    "attributes": {
                        "type": obj_name,
                        "url": f"{prefix}/sobjects/{obj_name}/{parent_id}",
                    }
                }
            )
            target[key] = nested
        if nested is None:
            return
        target = nested
    if out.address:
        values = {k: row[i] for k, i in out.address}
        target[out.key] = values if any(v is not None for v in values.values()) else None
    else:
        value = row[out.index]
        target[out.key] = out.convert(value) if out.convert and value is not None else value
