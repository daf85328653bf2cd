"""The SOQL expression tree: frozen dataclasses built by the parser, read by validate and compiler."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldPath:
    """`Account.Owner.Name` as its parts; line/column locate it in the query for error messages."""

    parts: tuple[str, ...]
    line: int = field(default=1, compare=False)
    column: int = field(default=1, compare=False)

    @property
    def dotted(self) -> str:
        return ".".join(self.parts)


@dataclass(frozen=True)
class Call:
    """A function call in SELECT/HAVING/ORDER BY: COUNT(), COUNT(Id), SUM(Amount), FIELDS(ALL)."""

    name: str
    arg: FieldPath | str | None
    line: int = field(default=1, compare=False)
    column: int = field(default=1, compare=False)


@dataclass(frozen=True)
class SelectField:
    path: FieldPath
    alias: str | None = None


@dataclass(frozen=True)
class SelectCall:
    call: Call
    alias: str | None = None


@dataclass(frozen=True)
class SelectSubquery:
    query: Query


SelectItem = SelectField | SelectCall | SelectSubquery


# -- literal values ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StringValue:
    """A quoted string, escapes decoded. `like_pattern` keeps `\\%`/`\\_` apart from wildcards."""

    value: str
    like_pattern: str


@dataclass(frozen=True)
class NumberValue:
    text: str


@dataclass(frozen=True)
class BooleanValue:
    value: bool


@dataclass(frozen=True)
class NullValue:
    pass


@dataclass(frozen=True)
class DateValue:
    text: str


@dataclass(frozen=True)
class DateTimeValue:
    text: str


@dataclass(frozen=True)
class DateLiteral:
    """TODAY, LAST_N_DAYS:7, ... (n is None for the fixed ones)."""

    name: str
    n: int | None = None


Value = (
    StringValue | NumberValue | BooleanValue | NullValue | DateValue | DateTimeValue | DateLiteral
)
Operand = FieldPath | Call

# -- conditions ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    left: Operand
    op: str
    value: Value


@dataclass(frozen=True)
class InList:
    left: Operand
    values: tuple[Value, ...]
    negated: bool = False


@dataclass(frozen=True)
class SemiJoin:
    left: Operand
    query: Query
    negated: bool = False


@dataclass(frozen=True)
class Like:
    left: Operand
    pattern: Value


@dataclass(frozen=True)
class Includes:
    left: Operand
    values: tuple[Value, ...]
    excludes: bool = False


@dataclass(frozen=True)
class And:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    item: Condition


Condition = Comparison | InList | SemiJoin | Like | Includes | And | Or | Not


@dataclass(frozen=True)
class OrderItem:
    expr: Operand
    descending: bool = False
    nulls_last: bool | None = None


@dataclass(frozen=True)
class Query:
    select: tuple[SelectItem, ...]
    sobject: str
    alias: str | None = None
    where: Condition | None = None
    group_by: tuple[FieldPath, ...] = ()
    having: Condition | None = None
    order_by: tuple[OrderItem, ...] = ()
    limit: int | None = None
    offset: int | None = None
    scope: str | None = None
    line: int = field(default=1, compare=False)
    column: int = field(default=1, compare=False)
