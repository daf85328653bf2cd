"""The org's SQLite file: one table per sObject, WAL journal, indexes for incremental reads."""

# ruff: noqa: S608  -- SQL text is built from schema identifiers only; values are parameters.

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..schema import ObjectDef, Schema
from .values import sql_type


def q(name: str) -> str:
    """Quote an identifier that comes from the schema (never from a request)."""
    return '"' + name.replace('"', '""') + '"'


def connect(path: str | Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA busy_timeout=5000")
    conn.execute("PRAGMA cache_size=-65536")
    conn.execute("PRAGMA temp_store=MEMORY")
    return conn


def table_ddl(obj: ObjectDef) -> list[str]:
    cols = ["_rowid INTEGER PRIMARY KEY"]
    for f in obj.stored_fields():
        cols.append(f"{q(f.name)} {sql_type(f)}")
    cols.append("_DeletedDate INTEGER")
    table = q(obj.name)
    statements = [f"CREATE TABLE IF NOT EXISTS {table} ({', '.join(cols)})"]
    statements.append(
        f'CREATE UNIQUE INDEX IF NOT EXISTS {q("ix_" + obj.name + "_Id")} ON {table} ("Id")'
    )
    statements.append(
        f"CREATE INDEX IF NOT EXISTS {q('ix_' + obj.name + '_modstamp')} "
        f'ON {table} ("SystemModstamp", "Id")'
    )
    for f in obj.stored_fields():
        if (
            (f.type == "reference" and f.name not in ("CreatedById", "LastModifiedById", "OwnerId"))
            or f.external_id
            or f.unique
            or (f.id_lookup and f.name != "Id")
        ):
            statements.append(
                f"CREATE INDEX IF NOT EXISTS {q('ix_' + obj.name + '_' + f.name)} ON {table} ({q(f.name)})"
            )
    return statements


def create_tables(conn: sqlite3.Connection, schema: Schema) -> None:
    conn.execute("BEGIN")
    for obj in schema.objects.values():
        for stmt in table_ddl(obj):
            conn.execute(stmt)
    conn.execute(
        "CREATE TABLE IF NOT EXISTS _autonumber (object TEXT, field TEXT, next INTEGER, "
        "PRIMARY KEY (object, field))"
    )
    conn.execute("CREATE TABLE IF NOT EXISTS _meta (key TEXT PRIMARY KEY, value TEXT)")
    conn.execute("COMMIT")


def clear_tables(conn: sqlite3.Connection, schema: Schema) -> None:
    conn.execute("BEGIN")
    for obj in schema.objects.values():
        conn.execute(f"DELETE FROM {q(obj.name)}")
    conn.execute("DELETE FROM _autonumber")
    conn.execute("DELETE FROM _meta")
    conn.execute("COMMIT")
