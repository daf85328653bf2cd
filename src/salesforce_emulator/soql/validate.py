"""Phase 2: check an `ast.Query` against the schema and resolve every name.

Produces a `ValidQuery`: the root object, each field path resolved to the reference fields it
follows, typed literal checks done. Errors are INVALID_TYPE, INVALID_FIELD, MALFORMED_QUERY and
INVALID_QUERY_FILTER_OPERATOR with Salesforce's messages and the row/column of the offending name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..schema import ChildRelationship, FieldDef, ObjectDef, Schema
from . import ast
from . import errors as e
from .types import NUMERIC, TEXT, groupable, type_error

MAX_PARENT_LEVELS = 5
AGGREGATES = frozenset({"COUNT", "COUNT_DISTINCT", "SUM", "AVG", "MIN", "MAX"})


@dataclass(frozen=True)
class Resolved:
    """A field path resolved against the schema: the reference fields followed, then the field."""

    hops: tuple[FieldDef, ...]
    objects: tuple[ObjectDef, ...]  # objects[0] is the query's object; one more per hop
    field: FieldDef

    @property
    def names(self) -> tuple[str, ...]:
        """Describe-cased output keys: relationship names, then the field name."""
        return (*(h.relationship_name for h in self.hops), self.field.name)  # type: ignore[misc]


@dataclass
class ValidQuery:
    """A query whose names all exist and whose literals fit their fields."""

    query: ast.Query
    obj: ObjectDef
    text: str
    select: list[tuple[str, object]] = field(default_factory=list)
    paths: dict[ast.FieldPath, Resolved] = field(default_factory=dict)
    children: list[tuple[ChildRelationship, ValidQuery]] = field(default_factory=list)
    semi_joins: dict[ast.Query, ValidQuery] = field(default_factory=dict)
    relationship: ChildRelationship | None = None
    aggregate: bool = False
    count_only: bool = False

    @property
    def has_children(self) -> bool:
        return bool(self.children)


class _Validator:
    def __init__(self, schema: Schema, text: str) -> None:
        self.schema = schema
        self.text = text

    # -- names ------------------------------------------------------------------------------

    def _at(self, node) -> tuple[int, int]:
        return getattr(node, "line", 1), getattr(node, "column", 1)

    def resolve(self, vq: ValidQuery, path: ast.FieldPath) -> Resolved:
        if path in vq.paths:
            return vq.paths[path]
        parts = path.parts
        if vq.query.alias and len(parts) > 1 and parts[0].lower() == vq.query.alias.lower():
            parts = parts[1:]
        line, col = self._at(path)
        if len(parts) - 1 > MAX_PARENT_LEVELS:
            raise e.malformed(
                self.text,
                line,
                col,
                "Cannot follow relationships more than 5 levels away from the root",
            )
        current = vq.obj
        hops: list[FieldDef] = []
        objects = [current]
        for rel in parts[:-1]:
            ref = current.relationship(rel)
            if ref is None:
                raise e.invalid_field(self.text, line, col, e.unknown_relationship(rel))
            hops.append(ref)
            current = self.schema.get(ref.reference_to or "")  # type: ignore[assignment]
            objects.append(current)
        f = current.field(parts[-1])
        if f is None:
            entity = current.name
            raise e.invalid_field(self.text, line, col, e.no_such_column(parts[-1], entity))
        resolved = Resolved(tuple(hops), tuple(objects), f)
        vq.paths[path] = resolved
        return resolved

    # -- query ------------------------------------------------------------------------------

    def query(
        self, q: ast.Query, obj: ObjectDef | None = None, rel: ChildRelationship | None = None
    ) -> ValidQuery:
        if obj is None:
            obj = self.schema.get(q.sobject)
            if obj is None:
                raise e.invalid_type(self.text, q.line, q.column, e.unsupported_type(q.sobject))
        vq = ValidQuery(q, obj, self.text, relationship=rel)
        self._select(vq, nested=rel is not None)
        if q.where is not None:
            self.condition(vq, q.where, top=True)
        for path in q.group_by:
            resolved = self.resolve(vq, path)
            if not groupable(resolved.field):
                line, col = self._at(path)
                raise e.malformed(
                    self.text,
                    line,
                    col,
                    f"field '{resolved.field.name}' can not be grouped in a query call",
                )
        if q.having is not None:
            if not vq.aggregate:
                raise e.malformed(
                    self.text, q.line, q.column, "HAVING requires GROUP BY or an aggregate"
                )
            self.condition(vq, q.having, top=False)
        for item in q.order_by:
            self.order_item(vq, item)
        if q.offset is not None and q.offset > 2000 and rel is None:
            raise e.malformed(self.text, q.line, q.column, "Maximum SOQL offset allowed is 2000")
        return vq

    def _select(self, vq: ValidQuery, nested: bool) -> None:
        q = vq.query
        seen: set[str] = set()
        expr_index = 0
        plain_fields: list[tuple[ast.FieldPath, Resolved]] = []
        for item in q.select:
            if isinstance(item, ast.SelectField):
                resolved = self.resolve(vq, item.path)
                key = ".".join(resolved.names).lower()
                if key in seen:
                    line, col = self._at(item.path)
                    raise e.malformed(
                        self.text, line, col, f"duplicate field selected: {item.path.dotted}"
                    )
                seen.add(key)
                vq.select.append(("field", resolved))
                plain_fields.append((item.path, resolved))
            elif isinstance(item, ast.SelectSubquery):
                if nested:
                    raise e.malformed(
                        self.text,
                        item.query.line,
                        item.query.column,
                        "Nested subqueries are not supported",
                    )
                child_rel = vq.obj.child_relationship(item.query.sobject)
                if child_rel is None:
                    raise e.invalid_type(
                        self.text,
                        item.query.line,
                        item.query.column,
                        e.unknown_child_relationship(item.query.sobject),
                    )
                child_obj = self.schema.get(child_rel.child_object)
                child = self.query(item.query, child_obj, child_rel)
                if child.aggregate:
                    raise e.malformed(
                        self.text,
                        item.query.line,
                        item.query.column,
                        "Aggregate functions are not allowed in subqueries",
                    )
                vq.children.append((child_rel, child))
                vq.select.append(("child", child))
            else:
                call = item.call
                if call.name == "FIELDS":
                    self._fields_macro(vq, call, seen, plain_fields)
                    continue
                if call.name not in AGGREGATES:
                    raise e.malformed(
                        self.text, call.line, call.column, f"Unknown function: {call.name}"
                    )
                vq.aggregate = True
                if call.arg is None:
                    if call.name != "COUNT":
                        raise e.malformed(
                            self.text, call.line, call.column, "unexpected token: ')'"
                        )
                    if len(q.select) > 1:
                        raise e.malformed(
                            self.text,
                            call.line,
                            call.column,
                            "COUNT() must be the only element in the SELECT list",
                        )
                    vq.count_only = True
                    vq.select.append(("count", None))
                    continue
                resolved = self.call_arg(vq, call)
                key = item.alias or f"expr{expr_index}"
                if item.alias is None:
                    expr_index += 1
                vq.select.append(("aggregate", (call.name, resolved, key)))
        if vq.aggregate or q.group_by:
            vq.aggregate = True
            grouped = {_key(self.resolve(vq, p)) for p in q.group_by}
            for path, resolved in plain_fields:
                if _key(resolved) not in grouped:
                    line, col = self._at(path)
                    raise e.malformed(
                        self.text, line, col, f"Field must be grouped or aggregated: {path.dotted}"
                    )
            if vq.children:
                raise e.malformed(
                    self.text, q.line, q.column, "Aggregate queries do not support subqueries"
                )

    def _fields_macro(self, vq: ValidQuery, call: ast.Call, seen: set, plain: list) -> None:
        kind = call.arg.dotted.upper() if isinstance(call.arg, ast.FieldPath) else ""
        if kind not in ("ALL", "STANDARD", "CUSTOM"):
            raise e.malformed(self.text, call.line, call.column, "unexpected token: FIELDS")
        if kind != "STANDARD" and (vq.query.limit is None or vq.query.limit > 200):
            raise e.malformed(
                self.text,
                call.line,
                call.column,
                "The SOQL FIELDS function must have a LIMIT of at most 200",
            )
        for f in vq.obj.ordered_fields():
            if (kind == "CUSTOM" and not f.custom) or (kind == "STANDARD" and f.custom):
                continue
            if f.name.lower() in seen:
                continue
            seen.add(f.name.lower())
            resolved = Resolved((), (vq.obj,), f)
            vq.select.append(("field", resolved))
            plain.append((ast.FieldPath((f.name,)), resolved))

    def call_arg(self, vq: ValidQuery, call: ast.Call) -> Resolved | None:
        if call.arg is None:
            return None
        if not isinstance(call.arg, ast.FieldPath):
            raise e.malformed(self.text, call.line, call.column, "unexpected token")
        resolved = self.resolve(vq, call.arg)
        if call.name in ("SUM", "AVG") and resolved.field.type not in NUMERIC:
            raise e.malformed(
                self.text,
                call.line,
                call.column,
                f"field {resolved.field.name} does not support aggregate operator {call.name}",
            )
        return resolved

    def order_item(self, vq: ValidQuery, item: ast.OrderItem) -> None:
        if isinstance(item.expr, ast.Call):
            if not vq.aggregate:
                raise e.malformed(
                    self.text, item.expr.line, item.expr.column, "Unexpected aggregate in ORDER BY"
                )
            self.call_arg(vq, item.expr)
            return
        resolved = self.resolve(vq, item.expr)
        if not resolved.field.sortable:
            line, col = self._at(item.expr)
            raise e.invalid_field(
                self.text,
                line,
                col,
                f"field '{resolved.field.name}' can not be sorted in a query call",
            )

    # -- conditions -------------------------------------------------------------------------

    def condition(self, vq: ValidQuery, cond: ast.Condition, *, top: bool) -> None:
        if isinstance(cond, ast.And):
            for item in cond.items:
                self.condition(vq, item, top=top)
            return
        if isinstance(cond, ast.Or | ast.Not):
            for item in cond.items if isinstance(cond, ast.Or) else (cond.item,):
                self.condition(vq, item, top=False)
            return
        left = cond.left
        if isinstance(left, ast.Call):
            if not vq.aggregate:
                raise e.malformed(
                    self.text,
                    left.line,
                    left.column,
                    "Aggregate functions are only allowed in HAVING",
                )
            target = self.call_arg(vq, left)
            # COUNT/SUM/AVG compare as numbers; MIN/MAX keep their field's type.
            f = target.field if target and left.name in ("MIN", "MAX") else None
        else:
            target = self.resolve(vq, left)
            f = target.field
            if not f.filterable:
                line, col = self._at(left)
                raise e.invalid_field(
                    self.text, line, col, f"field '{f.name}' can not be filtered in a query call"
                )
        line, col = self._at(left)
        if isinstance(cond, ast.SemiJoin):
            self._semi_join(vq, cond, f, top, line, col)
            return
        if isinstance(cond, ast.Comparison):
            if isinstance(cond.value, ast.NullValue) and cond.op not in ("=", "!=", "<>"):
                raise e.malformed(self.text, line, col, f"unexpected token: {cond.op}")
            self.check_value(f, cond.value, line, col, left)
        elif isinstance(cond, ast.InList):
            for value in cond.values:
                self.check_value(f, value, line, col, left)
        elif isinstance(cond, ast.Like):
            if f is None or f.type not in TEXT | {"id", "reference"}:
                raise e.bad_filter(self.text, line, col, f"invalid operator on field: {_name(f)}")
            if not isinstance(cond.pattern, ast.StringValue):
                raise e.bad_filter(self.text, line, col, "LIKE requires a string value")
        elif isinstance(cond, ast.Includes):
            if f is None or f.type != "multipicklist":
                raise e.bad_filter(
                    self.text,
                    line,
                    col,
                    "includes or excludes operator only valid on multipicklist field",
                )
            for value in cond.values:
                self.check_value(f, value, line, col, left)

    def _semi_join(self, vq, cond: ast.SemiJoin, f, top: bool, line: int, col: int) -> None:
        if not top:
            raise e.malformed(
                self.text, line, col, "Semi join sub-selects are not allowed with the 'OR' operator"
            )
        if f is None or f.type not in ("id", "reference"):
            raise e.malformed(
                self.text,
                line,
                col,
                "Semi join sub-selects are only supported on id and reference fields",
            )
        inner = self.query(cond.query)
        if (
            len(inner.select) != 1
            or inner.select[0][0] != "field"
            or inner.children
            or inner.aggregate
        ):
            raise e.malformed(
                self.text,
                cond.query.line,
                cond.query.column,
                "Semi join sub-selects must select a single Id field",
            )
        selected = inner.select[0][1]
        if selected.field.type not in ("id", "reference"):  # type: ignore[union-attr]
            raise e.malformed(
                self.text,
                cond.query.line,
                cond.query.column,
                "Semi join sub-selects must select an Id field",
            )
        if _has_semi_join(cond.query.where):
            raise e.malformed(
                self.text,
                cond.query.line,
                cond.query.column,
                "Nested semi join sub-selects are not supported",
            )
        vq.semi_joins[cond.query] = inner

    def check_value(self, f: FieldDef | None, value: ast.Value, line: int, col: int, left) -> None:
        if f is None or isinstance(value, ast.NullValue):
            return
        message = type_error(f, value)
        if message:
            raise e.bad_filter(self.text, line, col, message)


def _key(resolved: Resolved) -> tuple[str, ...]:
    return tuple(n.lower() for n in resolved.names)


def _name(f: FieldDef | None) -> str:
    return f.name if f else "aggregate"


def _has_semi_join(cond) -> bool:
    if cond is None:
        return False
    if isinstance(cond, ast.SemiJoin):
        return True
    if isinstance(cond, ast.And | ast.Or):
        return any(_has_semi_join(i) for i in cond.items)
    if isinstance(cond, ast.Not):
        return _has_semi_join(cond.item)
    return False


def validate(query: ast.Query, schema: Schema, text: str) -> ValidQuery:
    """Resolve and check every name and literal of `query` (parsed from `text`)."""
    return _Validator(schema, text).query(query)
