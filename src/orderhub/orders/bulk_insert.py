"""Fast multi-row INSERTs for `orders.services.import_orders` (and nothing else).

Django's bulk_create compiles every value into the SQL text on each call, and on SQLite
keeps to 999 parameters a statement (16 orders). Importing pages of hundreds of orders,
that compilation costs more than the database work. Here each value is still prepared by
its field for the backend, but the statement is built once: items and history rows, given
as plain mappings rather than model instances, go through `executemany`; orders, whose ids
are needed, through multi-row INSERT ... RETURNING sized to the database's real parameter
limit.
"""

from __future__ import annotations

import operator
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence

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
        return lambda value: ops.adapt_json_value(value, encoder)
    if kind == "DecimalField":
        digits, places = field.max_digits, field.decimal_places
        return lambda value: ops.adapt_decimalfield_value(value, digits, places)
    if kind == "DateTimeField":
        return ops.adapt_datetimefield_value
    return lambda value: field.get_db_prep_save(value, connection)


def _prepare(rows: list[list], fields, connection) -> list[list]:
    """Prepare the values column by column, in place (one preparer chosen per field)."""
    for column, field in enumerate(fields):
        prepare = _preparer(field, connection)
        if prepare is not None:
            for row in rows:
                row[column] = prepare(row[column])
    return rows


def _parameter_limit(connection) -> int:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return 32767  # PostgreSQL's wire protocol counts parameters in 16 bits


def _statement(model: type[Model], fields, connection) -> tuple[str, str]:
    quote = connection.ops.quote_name
    # Table and column names come from the model's own metadata; values are parameters.
    columns = ", ".join(quote(f.column) for f in fields)
    head = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "  # noqa: S608
    return head, "(" + ", ".join(["%s"] * len(fields)) + ")"


def insert_rows(model: type[Model], rows: Iterable[Mapping[str, object]]) -> None:
    """INSERT one row of `model` per mapping of field attname to value.

    For the many small rows of an import (items, history), where building model instances
    would cost more than the database work. Fields left out take their default.
    """
    connection = connections[router.db_for_write(model)]
    fields = _fields(model)
    defaults = [(f.attname, f.get_default()) for f in fields]
    values = [[row.get(name, default) for name, default in defaults] for row in rows]
    if not values:
        return
    head, row = _statement(model, fields, connection)
    with connection.cursor() as cursor:
        cursor.executemany(head + row, _prepare(values, fields, connection))


def insert(objs: Sequence[Model]) -> None:
    """INSERT the unsaved `objs` (all of one model) and set their primary keys."""
    if not objs:
        return
    model = type(objs[0])
    connection = connections[router.db_for_write(model)]
    fields = _fields(model)
    read = operator.attrgetter(*(f.attname for f in fields))
    rows = _prepare([list(read(obj)) for obj in objs], fields, connection)
    head, row = _statement(model, fields, connection)
    pk = model._meta.pk
    per_statement = max(1, _parameter_limit(connection) // len(fields))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            cursor.execute(
                f"{head}{', '.join([row] * len(chunk))} RETURNING {connection.ops.quote_name(pk.column)}",
                [value for values in chunk for value in values],
            )
            # Both SQLite and PostgreSQL return the rows of a multi-row INSERT in VALUES order.
            for obj, (pk_value,) in zip(
                objs[start : start + per_statement], cursor.fetchall(), strict=True
            ):
                setattr(obj, pk.attname, pk_value)
                obj._state.adding = False
                obj._state.db = connection.alias
