"""Fast multi-row INSERTs for `orders.services.import_orders` (and nothing else).

Django's bulk_create compiles every value into the SQL text on each call, and on SQLite
keeps to 999 parameters a statement (16 orders). Importing pages of hundreds of orders,
that compilation costs more than the database work. Here each value is still prepared by
its field for the backend (`get_db_prep_save`), but the statement is built once: items and
history rows go through `executemany`; orders, whose ids are needed, through multi-row
INSERT ... RETURNING sized to the database's real parameter limit.
"""

from __future__ import annotations

import operator
import sqlite3
from collections.abc import Callable, Sequence

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


def _preparer(field, connection) -> Callable[[Model], object]:
    """How to turn one field of an object into a query parameter, chosen once per field."""
    kind = field.get_internal_type()
    read = operator.attrgetter(field.attname)
    ops = connection.ops
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), connection)
    if kind in PLAIN:
        return read
    if kind == "JSONField":
        return lambda obj: ops.adapt_json_value(read(obj), field.encoder)
    if kind == "DecimalField":
        digits, places = field.max_digits, field.decimal_places
        return lambda obj: ops.adapt_decimalfield_value(read(obj), digits, places)
    if kind == "DateTimeField":
        return lambda obj: ops.adapt_datetimefield_value(read(obj))
    return lambda obj: field.get_db_prep_save(read(obj), connection)


def _rows(objs: Sequence[Model], fields, connection) -> list[tuple]:
    prepare = [_preparer(field, connection) for field in fields]
    return [tuple(p(obj) for p in prepare) for obj in objs]


def _parameter_limit(connection) -> int:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return 32767  # PostgreSQL's wire protocol counts parameters in 16 bits


def insert(objs: Sequence[Model], *, returning_ids: bool = False) -> None:
    """INSERT the unsaved `objs` (all of one model); with `returning_ids`, set their pks."""
    if not objs:
        return
    model = type(objs[0])
    connection = connections[router.db_for_write(model)]
    fields = _fields(model)
    quote = connection.ops.quote_name
    # Table and column names come from the model's own metadata; values are parameters.
    columns = ", ".join(quote(f.column) for f in fields)
    head = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "  # noqa: S608
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    rows = _rows(objs, fields, connection)
    with connection.cursor() as cursor:
        if not returning_ids:
            cursor.executemany(head + row, rows)
            return
        pk = model._meta.pk
        per_statement = max(1, _parameter_limit(connection) // len(fields))
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            cursor.execute(
                f"{head}{', '.join([row] * len(chunk))} RETURNING {quote(pk.column)}",
                [value for values in chunk for value in values],
            )
            # Both SQLite and PostgreSQL return the rows of a multi-row INSERT in VALUES order.
            for obj, (pk_value,) in zip(
                objs[start : start + per_statement], cursor.fetchall(), strict=True
            ):
                setattr(obj, pk.attname, pk_value)
                obj._state.adding = False
                obj._state.db = connection.alias
