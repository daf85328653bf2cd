"""Phase 1: SOQL text -> `ast.Query`, via the lark grammar in `grammar.lark`.

Syntax errors become MALFORMED_QUERY with Salesforce's "unexpected token" message, row and column.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

from lark import Lark, Token, Transformer, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput

from . import ast
from .errors import malformed

_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_ESCAPE_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.S)


class _IllegalEscape(Exception):
    def __init__(self, sequence: str, token: Token) -> None:
        super().__init__(sequence)
        self.sequence = sequence
        self.token = token


@functools.cache
def _lark() -> Lark:
    grammar = resources.files(__package__).joinpath("grammar.lark").read_text("utf-8")
    # cache=True keeps the built LALR tables in the temp dir: building them takes over a second.
    return Lark(grammar, parser="lalr", lexer="contextual", maybe_placeholders=False, cache=True)


def warm_up() -> None:
    """Build the parser now rather than on the first query."""
    _lark()


def decode_string(token: Token) -> ast.StringValue:
    """Decode Salesforce's string escapes; `\\%` and `\\_` stay escaped in the LIKE form."""
    body = token.value[1:-1]
    plain: list[str] = []
    like: list[str] = []
    pos = 0
    for m in _ESCAPE_RE.finditer(body):
        chunk = body[pos : m.start()]
        plain.append(chunk)
        like.append(chunk.replace("\\", "\\\\"))
        code = m.group(1)
        if code.lower() in _ESCAPES or code in _ESCAPES:
            ch = _ESCAPES.get(code.lower(), _ESCAPES.get(code))
            plain.append(ch)
            like.append("\\\\" if ch == "\\" else ch)
        elif code in ("%", "_"):
            plain.append(code)
            like.append("\\" + code)
        elif code[0] == "u" and len(code) == 5:
            ch = chr(int(code[1:], 16))
            plain.append(ch)
            like.append(ch)
        else:
            raise _IllegalEscape("\\" + code, token)
        pos = m.end()
    plain.append(body[pos:])
    like.append(body[pos:])
    return ast.StringValue("".join(plain), "".join(like))


class _ToAst(Transformer):
    """Builds frozen `ast` nodes bottom-up."""

    def start(self, items):
        return items[0]

    def field_path(self, names):
        return ast.FieldPath(tuple(str(n) for n in names), names[0].line, names[0].column)

    def alias(self, items):
        return str(items[0])

    def call(self, items):
        name = items[0]
        arg = items[1] if len(items) > 1 else None
        return ast.Call(str(name).upper(), arg, name.line, name.column)

    def select_field(self, items):
        return ast.SelectField(items[0], items[1] if len(items) > 1 else None)

    def select_call(self, items):
        return ast.SelectCall(items[0], items[1] if len(items) > 1 else None)

    def select_subquery(self, items):
        return ast.SelectSubquery(items[0])

    def select_list(self, items):
        return ("select", tuple(items))

    def object_ref(self, items):
        return ("from", (str(items[0]), items[1] if len(items) > 1 else None, items[0]))

    def scope(self, items):
        return ("scope", str(items[1]))

    def with_clause(self, items):
        return ("with", str(items[1]))

    def for_clause(self, items):
        return ("for", str(items[1]))

    def where(self, items):
        return ("where", items[1])

    def having(self, items):
        return ("having", items[1])

    def group_by(self, items):
        return ("group_by", tuple(items[1:]))

    def order_by(self, items):
        return ("order_by", tuple(items[1:]))

    def order_item(self, items):
        descending = False
        nulls_last = None
        for item in items[1:]:
            if item[0] == "direction":
                descending = item[1]
            else:
                nulls_last = item[1]
        return ast.OrderItem(items[0], descending, nulls_last)

    def direction(self, items):
        return ("direction", items[0].type == "DESC")

    def nulls(self, items):
        return ("nulls", items[0].type == "NULLS_LAST")

    def limit(self, items):
        return ("limit", int(items[1]))

    def offset(self, items):
        return ("offset", int(items[1]))

    def query(self, items):
        first = items[0]
        parts = dict(i for i in items[1:] if isinstance(i, tuple))
        name, alias, token = parts["from"]
        return (
            ast.Query(
                select=parts["select"],
                sobject=name,
                alias=alias,
                where=parts.get("where"),
                group_by=parts.get("group_by", ()),
                having=parts.get("having"),
                order_by=parts.get("order_by", ()),
                limit=parts.get("limit"),
                offset=parts.get("offset"),
                scope=parts.get("scope"),
                line=token.line,
                column=token.column,
            )
            if first.type == "SELECT"
            else None
        )

    # conditions
    def or_condition(self, items):
        return ast.Or(tuple(i for i in items if not isinstance(i, Token)))

    def and_condition(self, items):
        return ast.And(tuple(i for i in items if not isinstance(i, Token)))

    def not_condition(self, items):
        return ast.Not(items[1])

    def comparison(self, items):
        return ast.Comparison(items[0], str(items[1]), items[2])

    def value_list(self, items):
        return tuple(items)

    def in_list(self, items):
        return ast.InList(items[0], items[2])

    def not_in_list(self, items):
        return ast.InList(items[0], items[3], negated=True)

    def semi_join(self, items):
        return ast.SemiJoin(items[0], items[2])

    def anti_join(self, items):
        return ast.SemiJoin(items[0], items[3], negated=True)

    def like(self, items):
        return ast.Like(items[0], items[2])

    def includes(self, items):
        return ast.Includes(items[0], items[2])

    def excludes(self, items):
        return ast.Includes(items[0], items[2], excludes=True)

    # values
    def string(self, items):
        return decode_string(items[0])

    def number(self, items):
        return ast.NumberValue(str(items[0]))

    def true(self, _):
        return ast.BooleanValue(True)

    def false(self, _):
        return ast.BooleanValue(False)

    def null(self, _):
        return ast.NullValue()

    def date(self, items):
        return ast.DateValue(str(items[0]))

    def datetime(self, items):
        return ast.DateTimeValue(str(items[0]))

    def date_literal(self, items):
        return ast.DateLiteral(str(items[0]).upper())

    def date_n_literal(self, items):
        name, n = str(items[0]).split(":")
        return ast.DateLiteral(name.strip().upper(), int(n))


def parse(soql: str) -> ast.Query:
    """Parse SOQL text into an `ast.Query` or raise MALFORMED_QUERY."""
    try:
        tree = _lark().parse(soql)
    except UnexpectedEOF:
        lines = soql.split("\n")
        raise malformed(soql, len(lines), len(lines[-1]) + 1, "unexpected token: '<EOF>'") from None
    except UnexpectedCharacters as exc:
        raise malformed(
            soql, exc.line, exc.column, f"unexpected token: '{soql[exc.pos_in_stream]}'"
        ) from None
    except UnexpectedInput as exc:
        token = getattr(exc, "token", None)
        if token is None or token.type == "$END":
            lines = soql.split("\n")
            raise malformed(
                soql, len(lines), len(lines[-1]) + 1, "unexpected token: '<EOF>'"
            ) from None
        raise malformed(
            soql, token.line, token.column, f"unexpected token: {token.value}"
        ) from None
    try:
        return _ToAst().transform(tree)
    except Exception as exc:  # lark wraps transformer errors
        inner = getattr(exc, "orig_exc", exc)
        if isinstance(inner, _IllegalEscape):
            tok = inner.token
            raise malformed(
                soql,
                tok.line,
                tok.column,
                f"Invalid string literal {tok.value}. Illegal character sequence "
                f"'{inner.sequence}' in string literal.",
            ) from None
        raise
