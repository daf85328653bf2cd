"""Exit 0 when the PostgreSQL server in argv[1] accepts connections, 1 otherwise."""

import sys

import psycopg

try:
    psycopg.connect(sys.argv[1], connect_timeout=3).close()
except psycopg.OperationalError as exc:
    print(f"PostgreSQL at {sys.argv[1]} is not reachable: {exc}".strip(), file=sys.stderr)
    sys.exit(1)
