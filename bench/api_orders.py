"""Benchmark: API v2 over a SQLite database of 100,000 orders.

    .venv/bin/python bench/api_orders.py            # 100,000 orders (about 2 minutes)
    .venv/bin/python bench/api_orders.py --orders 10000
    .venv/bin/python bench/api_orders.py --db var/bench-api.sqlite3   # keep, and reuse next time

Builds a fresh SQLite database in a temporary directory through `orders.services`
(`import_orders` in batches, `add_shipments` for the newest orders), then drives the API
in-process through Django's full request stack (middleware, auth, rate limit, envelope):
GET /api/v2/orders median latency and SQL queries per request at limit 50 and 500 (they
must be equal: no N+1), and POST /api/v2/orders requests per second. Prints a table;
the results are recorded in docs/performance.md ("## API v2").
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

BATCH = 2000


def configure(var_dir: Path, database: Path) -> None:
    os.environ["ORDERHUB_VAR_DIR"] = str(var_dir)
    (var_dir / "static").mkdir(exist_ok=True)  # whitenoise warns about a missing STATIC_ROOT
    os.environ["DATABASE_URL"] = f"sqlite:///{database.resolve()}"
    # The benchmark measures the API, not the rate limit: give it a bottomless bucket.
    os.environ["ORDERHUB_API_BUCKET_SIZE"] = "100000000"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orderhub.settings")
    os.environ["ORDERHUB_LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def order_data(n: int, when: datetime) -> dict:
    return {
        "email": f"customer{n % 5000}@example.com",
        "source_id": f"B{n}",
        "date_added": when,
        "shipping_total": "4.95",
        "tax_total": "1.10",
        "shipping": {
            "first_name": f"First{n}",
            "last_name": f"Last{n % 997}",
            "address1": f"{n} Main St",
            "city": "Nashville",
            "state": "TN",
            "postal_code": "37201",
            "country": "US",
        },
        "checkout_data": {"Gift Message": "Happy Birthday"},
        "order_items": [
            {"name": "Crazy Glue", "code": "crzyg-554", "price": "10", "quantity": 1,
             "variation_list": {"Size": "Small"}},
            {"name": "Tape", "code": "tape-1", "price": "2.50", "quantity": 2, "weight": "0.5"},
        ],
    }  # fmt: skip


def existing(orders: int) -> tuple | None:
    """The store of a database kept by an earlier run, when it holds enough orders."""
    from orderhub.orders.models import Order
    from orderhub.stores.models import Store
    from orderhub.stores.services import regenerate_api_key

    store = Store.objects.filter(name="Bench Store").first()
    if store is None or Order.objects.filter(store=store).count() < orders:
        return None
    return store, regenerate_api_key(store, actor=None), None


def build(orders: int) -> tuple:
    from orderhub.orders import events

    # Building the data set is set-up, not what is measured: detach the event subscribers
    # (rule triggers cost a few ms per event) while it runs, and re-attach them after, so
    # that POST /orders is measured with everything a real request does.
    subscribers = {kind: dict(handlers) for kind, handlers in events._subscribers.items()}
    events._subscribers.clear()
    try:
        return _build(orders)
    finally:
        events._subscribers.update(subscribers)


def _build(orders: int) -> tuple:
    from orderhub.orders import services
    from orderhub.orders.drafts import ImportDraft, ShipmentDraft
    from orderhub.orders.models import Order
    from orderhub.stores.models import Folder
    from orderhub.stores.services import create_store, regenerate_api_key

    store = create_store("Bench Store", actor=None)
    key = regenerate_api_key(store, actor=None)
    folder = Folder.objects.get(store=store, name="New")
    start = datetime(2024, 1, 1, tzinfo=UTC)
    began, began_cpu = time.perf_counter(), time.process_time()
    for first in range(0, orders, BATCH):
        drafts = [
            ImportDraft.model_validate(
                {**order_data(n, start + timedelta(minutes=n)), "external_id": f"rec{n}"}
            )
            for n in range(first, min(first + BATCH, orders))
        ]
        services.import_orders(
            store, drafts, actor=None, folder=folder, external_source="bench",
            source="Bench", history_note="Imported by the benchmark",
        )  # fmt: skip
    # The newest orders (the first page) also carry a shipment each.
    newest = list(Order.objects.filter(store=store).order_by("-date_added")[:500])
    pairs = [(o, ShipmentDraft(tracking_number=f"1Z{o.id}", carrier_code="UPS")) for o in newest]
    services.add_shipments(pairs, actor=None, source="Bench")
    return store, key, (time.perf_counter() - began, time.process_time() - began_cpu)


def measure_get(client, headers, limit: int, runs: int) -> tuple[float, float, int]:
    """Median wall and CPU milliseconds of one page, and its SQL query count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = f"/api/v2/orders?limit={limit}"
    assert client.get(url, headers=headers).status_code == 200  # warm up
    wall, cpu = [], []
    for _ in range(runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        response = client.get(url, headers=headers)
        wall.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
        assert response.status_code == 200
        assert len(response.json()["orders"]) == limit
    with CaptureQueriesContext(connection) as queries:
        client.get(url, headers=headers)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000, len(queries)


def measure_post(client, headers, count: int) -> tuple[float, float]:
    """POST /orders per wall second and per CPU second (one client, one after another)."""
    import json

    body = order_data(0, datetime.now(UTC))
    body["date_added"] = None
    payload = json.dumps(body)
    began, began_cpu = time.perf_counter(), time.process_time()
    for _ in range(count):
        response = client.post(
            "/api/v2/orders", payload, content_type="application/json", headers=headers
        )
        assert response.status_code == 200, response.content
    return count / (time.perf_counter() - began), count / (time.process_time() - began_cpu)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15, help="GET requests per page size")
    parser.add_argument("--posts", type=int, default=300, help="POST /orders requests")
    parser.add_argument("--db", type=Path, help="SQLite file to keep and reuse across runs")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="orderhub-bench-") as tmp:
        configure(Path(tmp), args.db or Path(tmp) / "bench.sqlite3")
        from django.test import Client

        store, key, build_seconds = (args.db and existing(args.orders)) or build(args.orders)
        gc.collect()  # requests should not pay for the build's garbage
        headers = {"ORDERDESK-STORE-ID": str(store.id), "ORDERDESK-API-KEY": key}
        client = Client()
        rows = []
        for limit in (50, 500):
            wall, cpu, queries = measure_get(client, headers, limit, args.runs)
            rows.append(
                (f"GET /api/v2/orders?limit={limit}", f"{wall:.1f} ms", f"{cpu:.1f} ms", queries)
            )
        per_wall, per_cpu = measure_post(client, headers, args.posts)
        rows.append(("POST /api/v2/orders", f"{per_wall:.0f} req/s", f"{per_cpu:.0f} req/s", "-"))

    if build_seconds:
        wall, cpu = build_seconds
        print(
            f"\n{args.orders:,} orders built through orders.services in {wall:.1f} s "
            f"({cpu:.1f} s CPU)"
        )
    else:
        print(f"\nReused the {args.orders:,}-order database in {args.db}")
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(
        f"Python {sys.version.split()[0]}, SQLite, in-process Django client, load average {load}\n"
    )
    print(f"| {'Request':<32} | {'wall (median)':<14} | {'CPU (median)':<13} | SQL queries |")
    print(f"|{'-' * 34}|{'-' * 16}|{'-' * 15}|-------------|")
    for request, wall, cpu, queries in rows:
        print(f"| {request:<32} | {wall:<14} | {cpu:<13} | {queries!s:>11} |")
    if rows[0][3] != rows[1][3]:
        print("\nN+1: the query count grows with the page size")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
