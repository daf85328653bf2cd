"""Benchmark: an initial Salesforce import into OrderHub, against its fetch floor and a naive importer.

    .venv/bin/python bench/salesforce_import.py --orders 5000 20000 --items-per-order 5

For each size, in one run: seeds a fresh emulator org (all orders Activated-or-not as the
seed makes them; the import has no filter), serves it from a child process over HTTPS, and
measures on a fresh SQLite database, `--repeat` times alternated (medians reported)
  - the import: `importer.execute` (the code a scheduled check runs) into a fresh store —
    wall time, API calls, the process's peak resident memory and orders/second;
  - the fetch floor: simple-salesforce paging through the very same SOQL and throwing the
    records away;
  - a naive importer: one query for the orders, then one query per order for its items, each
    order saved with orders.services.create_order (what peers do) — on the first
    `--naive-orders` orders only, reported per order and extrapolated.
Results go in docs/performance.md ("Salesforce import").
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

SINCE = date(2000, 1, 1)
WORK = Path(tempfile.mkdtemp(prefix="orderhub-bench-"))
os.environ["ORDERHUB_VAR_DIR"] = str(WORK / "var")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orderhub.settings")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from orderhub.integrations.salesforce import importer  # noqa: E402
from orderhub.integrations.salesforce.connection import (  # noqa: E402
    connect_with_client_credentials,
    gateway_for,
)
from orderhub.integrations.salesforce.models import ImportRun  # noqa: E402
from orderhub.integrations.salesforce.plan import build_plan  # noqa: E402
from orderhub.integrations.salesforce.query import build_import_query  # noqa: E402
from orderhub.integrations.salesforce.schema import OrgSchema  # noqa: E402
from orderhub.integrations.salesforce.services import settings_of, update_settings  # noqa: E402
from orderhub.orders import services as order_services  # noqa: E402
from orderhub.orders.drafts import OrderDraft  # noqa: E402
from orderhub.stores.services import create_store  # noqa: E402


def seed_org(data_dir: Path, orders: int, items: int) -> None:
    # In a child process, so this process's peak memory is OrderHub's alone.
    subprocess.run(
        [sys.executable, "-m", "salesforce_emulator", "seed", "--data", str(data_dir),
         "--orders", str(orders), "--items-per-order", str(items), "--seed", "1"],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip


def fresh_store(org, name: str):
    store = create_store(name, actor=None)
    integration = connect_with_client_credentials(
        store,
        endpoint_url=org.instance_url,
        client_id=org.client_id,
        client_secret=org.client_secret,
        ca_bundle=org.ca_cert,
        actor=None,
    )
    update_settings(integration, settings_of(integration).model_dump(mode="json"), actor=None)
    integration.refresh_from_db()
    return store, integration


def measure_import(org, integration) -> dict:
    org.reset_api_calls()
    run = ImportRun.objects.create(integration=integration, trigger="command", since=SINCE)
    began = time.perf_counter()
    run = importer.execute(run)
    seconds = time.perf_counter() - began
    assert run.status == "succeeded", run.error
    return {
        "seconds": seconds,
        "orders": run.imported,
        "pages": run.pages,
        "api_calls": org.api_calls(),
        # The process's peak resident memory so far (the emulator runs in another process):
        # flat across sizes means memory does not grow with the number of orders.
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def measure_fetch_floor(org, integration) -> dict:
    gateway = gateway_for(integration)
    settings = settings_of(integration)
    plan = build_plan(settings, OrgSchema(integration, lambda: gateway))
    soql = build_import_query(plan, created_since=importer.local_midnight(SINCE, integration))
    began = time.perf_counter()
    records = 0
    for page in gateway.query_pages(soql):
        for record in page["records"]:
            records += 1
            children = record.get(plan.item_relationship)
            while children and not children.get("done", True):
                children = gateway.query_more(children["nextRecordsUrl"])
    return {"seconds": time.perf_counter() - began, "orders": records}


def measure_naive(org, store, integration, limit: int) -> dict:
    gateway = gateway_for(integration)
    began = time.perf_counter()
    calls_before = gateway.calls
    orders = gateway.query(
        "SELECT Id, OrderNumber, Account.Name, BillingCity FROM Order ORDER BY SystemModstamp, Id "
        f"LIMIT {limit}"
    )["records"]
    for record in orders:
        items = gateway.query(
            "SELECT Id, Product2.Name, Product2.ProductCode, UnitPrice, Quantity FROM OrderItem "
            f"WHERE OrderId = '{record['Id']}'"
        )["records"]
        draft = OrderDraft.model_validate(
            {
                "source_name": "Salesforce",
                "source_id": record["OrderNumber"],
                "shipping": {"company": (record.get("Account") or {}).get("Name", "")},
                "order_items": [
                    {
                        "name": i["Product2"]["Name"],
                        "code": i["Product2"]["ProductCode"],
                        "price": i["UnitPrice"],
                        "quantity": int(i["Quantity"]),
                    }
                    for i in items
                ],
            }
        )
        order_services.create_order(store, draft, actor=None, source="Salesforce")
    seconds = time.perf_counter() - began
    return {
        "seconds": seconds,
        "orders": len(orders),
        "api_calls": gateway.calls - calls_before,
        "per_order_ms": 1000 * seconds / max(len(orders), 1),
    }


def median_of(results: list[dict]) -> dict:
    return sorted(results, key=lambda r: r["seconds"])[len(results) // 2]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, nargs="+", default=[5000, 20000])
    parser.add_argument("--items-per-order", type=int, default=5)
    parser.add_argument("--naive-orders", type=int, default=500)
    parser.add_argument(
        "--repeat", type=int, default=3,
        help="imports (each into a fresh store) and fetch floors, alternated; medians reported",
    )  # fmt: skip
    args = parser.parse_args()

    from salesforce_emulator.testing import emulator_subprocess

    call_command("migrate", verbosity=0)
    for size in args.orders:
        data_dir = WORK / f"org-{size}"
        seed_org(data_dir, size, args.items_per_order)
        imports, floors = [], []
        with emulator_subprocess(data_dir) as org:
            # Alternated, so a noisy moment on the machine weighs on both sides alike.
            for attempt in range(args.repeat):
                store, integration = fresh_store(org, f"Bench {size} #{attempt + 1}")
                imports.append(measure_import(org, integration))
                floors.append(measure_fetch_floor(org, integration))
            naive_store, naive_integration = fresh_store(org, f"Naive {size}")
            naive = measure_naive(org, naive_store, naive_integration, args.naive_orders)
        imported, floor = median_of(imports), median_of(floors)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM orders_orderitem JOIN orders_order o ON o.id = order_id "
                "WHERE o.store_id = %s",
                [store.id],
            )
            item_rows = cursor.fetchone()[0]
        budget = math.ceil((imported["orders"] + item_rows) / 2000) + 5
        ratios = sorted(i["seconds"] / f["seconds"] for i, f in zip(imports, floors, strict=True))
        print(
            f"{size:>7} orders | import {imported['seconds']:6.2f} s "
            f"({imported['orders'] / imported['seconds']:7.0f} orders/s, {imported['api_calls']} API calls, "
            f"budget {budget}, {imported['pages']} pages, peak {imported['peak_mb']:.1f} MB) | "
            f"fetch floor {floor['seconds']:6.2f} s | import / floor {imported['seconds'] / floor['seconds']:.2f} "
            f"(pairs {', '.join(f'{r:.2f}' for r in ratios)}) | "
            f"naive {naive['per_order_ms']:.1f} ms/order, {naive['api_calls']} calls for {naive['orders']} orders "
            f"(≈{naive['per_order_ms'] * size / 1000:.0f} s and {size + 1} calls for all)",
            flush=True,
        )


if __name__ == "__main__":
    main()
