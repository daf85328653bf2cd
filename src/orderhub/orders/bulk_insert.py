"""Fast multi-row INSERTs for `orders.services.import_orders` (and nothing else).

Django's bulk_create compiles every value into the SQL text on each call, and on SQLite
keeps to 999 parameters a statement (16 orders). Importing pages of hundreds of orders,
that compilation costs more than the database work. Here each value is still prepared by
its field for the backend, but the statement is built once, for rows given as plain
mappings rather than model instances. SQLite: items and history rows go through
`executemany`; orders, whose ids are needed, through multi-row INSERT ... RETURNING sized
to the database's real parameter limit. PostgreSQL: COPY, with ids from the sequence.
"""

from __future__ import annotations

import functools
import json
import operator
import sqlite3
from collections.abc import Callable, Iterable, Mapping

from django.db import connections, router
from django.db.models import Model


def _fields(model: type[Model]):
    return [f for f in model._meta.concrete_fields if not f.primary_key]


# Fields whose Python value is already what the database driver takes.
PLAIN = frozenset(
    {
        "CharField",
        "TextField",
        "IntegerField",
        "BigIntegerField",
        "PositiveIntegerField",
        "SmallIntegerField",
        "BooleanField",
        "ForeignKey",
    }
)


def _json_text(value: object, encoder) -> str:
    return json.dumps(value, cls=encoder)


def _preparer(field, connection) -> Callable[[object], object] | None:
    """How to turn a field's Python value into a query parameter (None: as it is)."""
    kind = field.get_internal_type()
    ops = connection.ops
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        raise ValueError(f"{field}: bulk_insert does not fill auto_now fields")
    if kind in PLAIN:
        return None
    if kind == "JSONField":
        encoder = field.encoder
        # COPY (PostgreSQL) takes JSON as text, as SQLite does; psycopg's Jsonb wrapper would
        # serialise each value again while writing the row.
        adapt = ops.adapt_json_value if connection.vendor != "postgresql" else _json_text
        # Most JSON values of an import are empty ({} variations, [] discounts): adapt those once.
        empty = {dict: adapt({}, encoder), list: adapt([], encoder)}
        return lambda value: (
            empty[type(value)] if not value and type(value) in empty else adapt(value, encoder)
        )
    if kind == "DecimalField":
        digits, places = field.max_digits, field.decimal_places
        return lambda value: ops.adapt_decimalfield_value(value, digits, places)
    if kind == "DateTimeField":
        # An import stamps all its rows with one `now`: adapt each distinct value once.
        return functools.lru_cache(maxsize=64)(ops.adapt_datetimefield_value)
    return lambda value: field.get_db_prep_save(value, connection)


def _prepare(rows: list[list], fields, connection) -> list[list]:
    """Prepare the values column by column, in place (one preparer chosen per field)."""
    for column, field in enumerate(fields):
        prepare = _preparer(field, connection)
        if prepare is not None:
            for row in rows:
                row[column] = prepare(row[column])
    return rows


def _sqlite_parameter_limit(connection) -> int:
    connection.ensure_connection()
    return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)


def insert_rows(
    model: type[Model], rows: Iterable[Mapping[str, object]], *, returning_ids: bool = False
) -> list[int]:
    """INSERT one row of `model` per mapping of field attname to value; fields left out
    take their default. With `returning_ids`, the new primary keys, in the rows' order.

    Plain mappings rather than model instances: for the thousands of rows of an import,
    building instances would cost more than the database work.
    """
    connection = connections[router.db_for_write(model)]
    fields = _fields(model)
    defaults = {f.attname: f.get_default() for f in fields}
    in_column_order = operator.itemgetter(*defaults)
    values = [list(in_column_order({**defaults, **row})) for row in rows]
    if not values:
        return []
    values = _prepare(values, fields, connection)
    insert = _copy if connection.vendor == "postgresql" else _insert_sqlite
    return insert(connection, model, fields, values, returning_ids=returning_ids)


def _insert_sqlite(connection, model, fields, values, *, returning_ids: bool) -> list[int]:
    quote = connection.ops.quote_name
    # Table and column names come from the model's own metadata; values are parameters.
    columns = ", ".join(quote(f.column) for f in fields)
    head = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "  # noqa: S608
    # sqlite3's own "?" placeholders, run on sqlite3's own cursor methods: Django's wrapper
    # would rewrite "%s" with a regular expression on every call, over a statement that
    # holds thousands of them.
    row = "(" + ", ".join(["?"] * len(fields)) + ")"
    with connection.cursor() as cursor, connection.wrap_database_errors:
        raw = cursor.cursor
        if not returning_ids:
            sqlite3.Cursor.executemany(raw, head + row, values)
            return []
        ids: list[int] = []
        returning = f" RETURNING {quote(model._meta.pk.column)}"
        per_statement = max(1, _sqlite_parameter_limit(connection) // len(fields))
        for start in range(0, len(values), per_statement):
            chunk = values[start : start + per_statement]
            sqlite3.Cursor.execute(
                raw,
                head + ", ".join([row] * len(chunk)) + returning,
                [value for one in chunk for value in one],
            )
            # SQLite returns the rows of a multi-row INSERT in VALUES order.
            ids.extend(pk for (pk,) in raw.fetchall())
        return ids


def _copy(connection, model, fields, values, *, returning_ids: bool) -> list[int]:
    """PostgreSQL: COPY ... FROM STDIN. Django's psycopg cursors bind parameters on the
    client, which for thousands of rows costs more than the database work; COPY streams
    the rows instead. Ids, when wanted, are taken from the table's sequence first."""
    quote = connection.ops.quote_name
    table, pk = model._meta.db_table, model._meta.pk
    columns = [f.column for f in fields]
    ids: list[int] = []
    with connection.cursor() as cursor, connection.wrap_database_errors:
        raw = cursor.cursor  # the psycopg cursor: COPY is not part of DB-API
        if returning_ids:
            raw.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [quote(table), pk.column, len(values)],
            )
            ids = [pk_value for (pk_value,) in raw.fetchall()]
            columns.insert(0, pk.column)
            values = [[pk_value, *row] for pk_value, row in zip(ids, values, strict=True)]
        statement = f"COPY {quote(table)} ({', '.join(map(quote, columns))}) FROM STDIN"
        with raw.copy(statement) as copy:
            for row in values:
                copy.write_row(row)
    return ids
