"""Phase 3: a `ValidQuery` -> parameterised SQLite SQL plus the plan for shaping result rows.

Identifiers come only from the schema (quoted); every value from the query becomes a `?`
parameter. Date literals are turned into ranges against the `now` given by the org's clock.
"""

# ruff: noqa: S608  -- SQL text is built from schema identifiers only; values are parameters.

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from ..clock import parse_datetime, to_epoch_ms
from ..ids import to_18
from ..schema import FieldDef, ObjectDef
from ..schema.model import ADDRESS_KEYS
from ..schema.values import json_converter
from . import ast
from .dates import date_range
from .validate import Resolved, ValidQuery


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass
class OutputField:
    """Where one selected field lands in a record and which columns feed it."""

    key: str
    levels: tuple[tuple[str, str, int], ...]  # (relationship key, object name, parent Id column)
    index: int = -1
    address: tuple[tuple[str, int], ...] = ()  # (json key, column) for compound addresses
    convert: Callable[[object], object] | None = None


@dataclass
class CompiledChild:
    """A parent-to-child subquery run for a page of parents in one SQL statement."""

    key: str
    obj: ObjectDef
    sql: str
    where_params: list
    fields: list[OutputField]
    limit: int | None
    offset: int
    layout: list = field(default_factory=list)
    plain_sql: str = ""  # without window functions: for subqueries with no LIMIT/OFFSET


@dataclass
class CompiledQuery:
    obj: ObjectDef
    fields: list[OutputField] = field(default_factory=list)
    children: list[CompiledChild] = field(default_factory=list)
    snapshot_sql: str = ""
    snapshot_params: list = field(default_factory=list)
    page_sql: str = ""
    count_sql: str = ""
    count_params: list = field(default_factory=list)
    aggregate_sql: str = ""
    aggregate_params: list = field(default_factory=list)
    aggregate_keys: list[tuple[str, Callable | None]] = field(default_factory=list)
    count_only: bool = False
    aggregate: bool = False
    layout: list = field(default_factory=list)  # ("field", OutputField) | ("child", CompiledChild)


class _Scope:
    """Table aliases and LEFT JOINs for one FROM clause (root alias `<prefix>0`)."""

    def __init__(self, obj: ObjectDef, prefix: str) -> None:
        self.obj = obj
        self.prefix = prefix
        self.root = f"{prefix}0"
        self.aliases: dict[tuple[str, ...], str] = {(): self.root}
        self.joins: list[str] = []

    def alias(self, resolved: Resolved) -> str:
        key: tuple[str, ...] = ()
        current = self.root
        for i, hop in enumerate(resolved.hops):
            key = (*key, hop.name.lower())
            if key not in self.aliases:
                alias = f"{self.prefix}{len(self.aliases)}"
                target = resolved.objects[i + 1]
                self.joins.append(
                    f"LEFT JOIN {q(target.name)} {alias} ON {alias}.Id = {current}.{q(hop.name)}"
                )
                self.aliases[key] = alias
            current = self.aliases[key]
        return current

    def column(self, resolved: Resolved, name: str | None = None) -> str:
        return f"{self.alias(resolved)}.{q(name or resolved.field.name)}"

    def from_sql(self) -> str:
        return " ".join([f"{q(self.obj.name)} {self.root}", *self.joins])


class _Compiler:
    def __init__(self, now: datetime, include_deleted: bool) -> None:
        self.now = now
        self.include_deleted = include_deleted
        self.semi = 0

    # -- values -----------------------------------------------------------------------------

    def param(self, f: FieldDef | None, value: ast.Value) -> object:
        if isinstance(value, ast.StringValue):
            if f is not None and f.type in ("id", "reference"):
                return to_18(value.value)
            return value.value
        if isinstance(value, ast.NumberValue):
            number = float(value.text)
            return (
                int(number) if f is not None and f.type == "int" and number.is_integer() else number
            )
        if isinstance(value, ast.BooleanValue):
            return int(value.value)
        if isinstance(value, ast.DateValue):
            return value.text
        if isinstance(value, ast.DateTimeValue):
            return to_epoch_ms(parse_datetime(value.text))
        return None

    def _range(self, f: FieldDef | None, lit: ast.DateLiteral) -> tuple[object, object]:
        start, end = date_range(lit.name, lit.n, self.now)
        if f is not None and f.type == "datetime":
            return _day_ms(start), _day_ms(end)
        return start.isoformat(), end.isoformat()

    # -- expressions ------------------------------------------------------------------------

    def operand(self, scope: _Scope, vq: ValidQuery, node) -> tuple[str, FieldDef | None]:
        if isinstance(node, ast.Call):
            if node.arg is None:
                return "count(*)", None
            resolved = vq.paths[node.arg]
            col = scope.column(resolved)
            fn = {"COUNT_DISTINCT": "count(DISTINCT {})"}.get(node.name, node.name.lower() + "({})")
            return fn.format(col), resolved.field if node.name in (
                "MIN",
                "MAX",
                "SUM",
                "AVG",
            ) else None
        resolved = vq.paths[node]
        return scope.column(resolved), resolved.field

    def condition(self, scope: _Scope, vq: ValidQuery, cond) -> tuple[str, list]:
        if isinstance(cond, ast.And | ast.Or):
            parts, params = [], []
            for item in cond.items:
                sql, p = self.condition(scope, vq, item)
                parts.append(f"({sql})")
                params += p
            return (" AND " if isinstance(cond, ast.And) else " OR ").join(parts), params
        if isinstance(cond, ast.Not):
            sql, params = self.condition(scope, vq, cond.item)
            return f"NOT coalesce(({sql}), 0)", params
        col, f = self.operand(scope, vq, cond.left)
        if isinstance(cond, ast.Comparison):
            return self.comparison(col, f, cond.op, cond.value)
        if isinstance(cond, ast.InList):
            non_null = [v for v in cond.values if not isinstance(v, ast.NullValue)]
            has_null = len(non_null) != len(cond.values)
            params = [self.param(f, v) for v in non_null]
            marks = ", ".join("?" for _ in params) or "NULL"
            if cond.negated:
                sql = f"{col} NOT IN ({marks})"
                return (
                    f"({col} IS NOT NULL AND {sql})" if has_null else f"({col} IS NULL OR {sql})"
                ), params
            sql = f"{col} IN ({marks})"
            return (f"({sql} OR {col} IS NULL)" if has_null else sql), params
        if isinstance(cond, ast.Like):
            return f"{col} LIKE ? ESCAPE '\\'", [cond.pattern.like_pattern]  # type: ignore[union-attr]
        if isinstance(cond, ast.Includes):
            alternatives, params = [], []
            for value in cond.values:
                wanted = [p.strip() for p in value.value.split(";") if p.strip()]  # type: ignore[union-attr]
                alternatives.append(
                    "("
                    + " AND ".join(f"instr(';' || lower({col}) || ';', ?) > 0" for _ in wanted)
                    + ")"
                )
                params += [f";{w.lower()};" for w in wanted]
            sql = " OR ".join(alternatives) or "0"
            if cond.excludes:
                return f"({col} IS NULL OR NOT ({sql}))", params
            return f"({col} IS NOT NULL AND ({sql}))", params
        if isinstance(cond, ast.SemiJoin):
            return self.semi_join(col, vq.semi_joins[cond.query], cond.negated)
        raise TypeError(cond)

    def comparison(
        self, col: str, f: FieldDef | None, op: str, value: ast.Value
    ) -> tuple[str, list]:
        if op == "<>":
            op = "!="
        if isinstance(value, ast.NullValue):
            return (f"{col} IS NULL" if op == "=" else f"{col} IS NOT NULL"), []
        if isinstance(value, ast.DateLiteral):
            start, end = self._range(f, value)
            return {
                "=": (f"({col} >= ? AND {col} < ?)", [start, end]),
                "!=": (f"({col} IS NULL OR {col} < ? OR {col} >= ?)", [start, end]),
                "<": (f"{col} < ?", [start]),
                "<=": (f"{col} < ?", [end]),
                ">": (f"{col} >= ?", [end]),
                ">=": (f"{col} >= ?", [start]),
            }[op]
        param = self.param(f, value)
        if op == "!=":
            return f"{col} IS NOT ?", [param]
        return f"{col} {op} ?", [param]

    def semi_join(self, col: str, inner: ValidQuery, negated: bool) -> tuple[str, list]:
        self.semi += 1
        scope = _Scope(inner.obj, f"s{self.semi}_")
        selected = inner.select[0][1]
        target = scope.column(selected)  # type: ignore[arg-type]
        where = [f"{scope.root}.IsDeleted = 0", f"{target} IS NOT NULL"]
        params: list = []
        if inner.query.where is not None:
            sql, params = self.condition(scope, inner, inner.query.where)
            where.append(f"({sql})")
        sub = f"SELECT {target} FROM {scope.from_sql()} WHERE {' AND '.join(where)}"
        if negated:
            return f"({col} IS NULL OR {col} NOT IN ({sub}))", params
        return f"{col} IN ({sub})", params

    def order(self, scope: _Scope, vq: ValidQuery) -> str:
        parts = []
        for item in vq.query.order_by:
            col, _ = self.operand(scope, vq, item.expr)
            text = f"{col} {'DESC' if item.descending else 'ASC'}"
            if item.nulls_last is not None:
                text += " NULLS LAST" if item.nulls_last else " NULLS FIRST"
            parts.append(text)
        return ", ".join(parts)

    def total_order(self, scope: _Scope, vq: ValidQuery, order: str) -> str:
        """ORDER BY made total (stable pages): add the row id unless the order already ends in Id,
        so `ORDER BY SystemModstamp, Id` can walk the (SystemModstamp, Id) index without sorting."""
        if not order:
            return f"{scope.root}._rowid"
        last = vq.query.order_by[-1].expr
        if (
            isinstance(last, ast.FieldPath)
            and vq.paths[last].field.name == "Id"
            and not vq.paths[last].hops
        ):
            return order
        return f"{order}, {scope.root}._rowid"

    # -- select -----------------------------------------------------------------------------

    def outputs(self, scope: _Scope, vq: ValidQuery, columns: list[str]) -> list[OutputField]:
        index: dict[str, int] = {}

        def add(expr: str) -> int:
            if expr not in index:
                index[expr] = len(columns)
                columns.append(expr)
            return index[expr]

        fields = []
        for kind, item in vq.select:
            if kind != "field":
                continue
            resolved: Resolved = item  # type: ignore[assignment]
            levels = []
            for i, hop in enumerate(resolved.hops):
                partial = Resolved(
                    resolved.hops[: i + 1], resolved.objects[: i + 2], resolved.field
                )
                id_col = add(f"{scope.alias(partial)}.Id")
                levels.append((hop.relationship_name, resolved.objects[i + 1].name, id_col))
            f = resolved.field
            out = OutputField(f.name, tuple(levels), convert=json_converter(f))
            if f.is_compound:
                prefix_len = len(f.components[0]) - len("Street")
                out.address = tuple(
                    (ADDRESS_KEYS[c[prefix_len:]], add(scope.column(resolved, c)))
                    for c in sorted(f.components, key=lambda c: ADDRESS_KEYS[c[prefix_len:]])
                )
            else:
                out.index = add(scope.column(resolved))
            fields.append(out)
        return fields

    def where(self, scope: _Scope, vq: ValidQuery, *, root_deleted: bool) -> tuple[list[str], list]:
        clauses = [] if root_deleted else [f"{scope.root}.IsDeleted = 0"]
        params: list = []
        if vq.query.where is not None:
            sql, params = self.condition(scope, vq, vq.query.where)
            clauses.append(f"({sql})")
        return clauses, params

    def compile(self, vq: ValidQuery) -> CompiledQuery:
        scope = _Scope(vq.obj, "t")
        out = CompiledQuery(vq.obj, count_only=vq.count_only, aggregate=vq.aggregate)
        clauses, params = self.where(scope, vq, root_deleted=self.include_deleted)
        limit = [vq.query.limit if vq.query.limit is not None else -1, vq.query.offset or 0]
        if vq.aggregate:
            self._aggregate(scope, vq, out, clauses, params, limit)
            return out
        columns = [f"{scope.root}._rowid", f"{scope.root}.Id"]
        out.fields = self.outputs(scope, vq, columns)
        order = self.order(scope, vq)
        order_sql = self.total_order(scope, vq, order)
        where_sql = " AND ".join(clauses) or "1"
        from_sql = scope.from_sql()
        out.snapshot_sql = f"SELECT {scope.root}._rowid FROM {from_sql} WHERE {where_sql} ORDER BY {order_sql} LIMIT ? OFFSET ?"
        out.snapshot_params = [*params, *limit]
        out.page_sql = (
            f"SELECT {', '.join(columns)} FROM {from_sql} "
            f"WHERE {scope.root}._rowid IN (SELECT value FROM json_each(?))"
        )
        out.children = [self.child(rel.name, child) for rel, child in vq.children]
        fields = iter(out.fields)
        children = iter(out.children)
        for kind, _ in vq.select:
            out.layout.append(
                ("field", next(fields)) if kind == "field" else ("child", next(children))
            )
        return out

    def _aggregate(self, scope, vq, out: CompiledQuery, clauses, params, limit) -> None:
        where_sql = " AND ".join(clauses) or "1"
        if vq.count_only:
            out.count_sql = f"SELECT count(*) FROM (SELECT 1 FROM {scope.from_sql()} WHERE {where_sql} LIMIT ? OFFSET ?)"
            out.count_params = [*params, *limit]
            return
        exprs = []
        for kind, item in vq.select:
            if kind == "field":
                exprs.append(scope.column(item))
                out.aggregate_keys.append((item.field.name, json_converter(item.field)))
            else:
                name, resolved, key = item
                col = scope.column(resolved)
                fn = "count(DISTINCT {})" if name == "COUNT_DISTINCT" else name.lower() + "({})"
                exprs.append(fn.format(col))
                conv = json_converter(resolved.field) if name in ("MIN", "MAX") else None
                out.aggregate_keys.append((key, conv))
        sql = f"SELECT {', '.join(exprs)} FROM {scope.from_sql()} WHERE {where_sql}"
        all_params = list(params)
        if vq.query.group_by:
            sql += " GROUP BY " + ", ".join(scope.column(vq.paths[p]) for p in vq.query.group_by)
        if vq.query.having is not None:
            having, having_params = self.condition(scope, vq, vq.query.having)
            sql += f" HAVING {having}"
            all_params += having_params
        order = self.order(scope, vq)
        if order:
            sql += f" ORDER BY {order}"
        out.aggregate_sql = sql + " LIMIT ? OFFSET ?"
        out.aggregate_params = [*all_params, *limit]

    def child(self, key: str, vq: ValidQuery) -> CompiledChild:
        scope = _Scope(vq.obj, "c")
        parent_field = vq.relationship.field  # type: ignore[union-attr]
        parent_col = f"{scope.root}.{q(parent_field)}"
        columns = [f"{scope.root}._rowid", parent_col, f"{scope.root}.Id"]
        fields = self.outputs(scope, vq, columns)
        clauses, params = self.where(scope, vq, root_deleted=self.include_deleted)
        order = self.order(scope, vq)
        order_sql = self.total_order(scope, vq, order)
        sql = (
            f"SELECT * FROM (SELECT {', '.join(columns)}, "
            f"row_number() OVER (PARTITION BY {parent_col} ORDER BY {order_sql}) AS _rn, "
            f"count(*) OVER (PARTITION BY {parent_col}) AS _total "
            f"FROM {scope.from_sql()} "
            f"WHERE {parent_col} IN (SELECT value FROM json_each(?))"
            + "".join(f" AND {c}" for c in clauses)
            + ") WHERE _rn > ? AND _rn <= ? ORDER BY 2, _rn"
        )
        child = CompiledChild(
            key, vq.obj, sql, params, fields, vq.query.limit, vq.query.offset or 0
        )
        child.layout = [("field", f) for f in fields]
        child.plain_sql = (
            f"SELECT {', '.join(columns)} FROM {scope.from_sql()} "
            f"WHERE {parent_col} IN (SELECT value FROM json_each(?))"
            + "".join(f" AND {c}" for c in clauses)
            + f" ORDER BY {parent_col}, {order_sql}"
        )
        return child


def _day_ms(d: date) -> int:
    return to_epoch_ms(datetime(d.year, d.month, d.day, tzinfo=UTC))


def compile_query(vq: ValidQuery, now: datetime, *, include_deleted: bool = False) -> CompiledQuery:
    """Compile a validated query; `now` anchors date literals, `include_deleted` is queryAll."""
    return _Compiler(now, include_deleted).compile(vq)
