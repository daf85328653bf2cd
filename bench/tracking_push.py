"""Benchmark: shipment write-back — 1,000 shipments on 1,000 Salesforce orders of 3 items each.

    .venv/bin/python bench/tracking_push.py
    .venv/bin/python bench/tracking_push.py --orders 1000 --faults   # 503s and dropped connections

Seeds the emulator (served from a child `salesforce-emulator serve`, HTTPS) with the orders,
connects a store with client credentials, turns Sync Tracking Numbers on (OrderItem
Tracking_Number__c), imports the orders, adds one whole-order shipment to each with
`orders.services.add_shipments` (the outbox rows are written in that transaction), then
drains the store's outbox once and counts the API calls the emulator received. The bound is
ceil(items / 200) + 2 calls. Every item record is read back (not counted) to check its text.
Results go in docs/performance.md ("## Shipment write-back").
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path


def configure(var_dir: Path) -> None:
    os.environ["ORDERHUB_VAR_DIR"] = str(var_dir)
    os.environ["DATABASE_URL"] = f"sqlite:///{var_dir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orderhub.settings")
    os.environ["ORDERHUB_LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def connect_and_import(handle, orders: int):
    from orderhub.integrations.salesforce import importer
    from orderhub.integrations.salesforce.connection import connect_with_client_credentials
    from orderhub.integrations.salesforce.models import ImportRun
    from orderhub.integrations.salesforce.services import settings_of, update_settings
    from orderhub.orders.models import Order
    from orderhub.stores.services import create_store

    store = create_store("Bench Store", actor=None)
    integration = connect_with_client_credentials(
        store,
        endpoint_url=handle.instance_url,
        client_id=handle.client_id,
        client_secret=handle.client_secret,
        ca_bundle=handle.ca_cert,
        actor=None,
    )
    data = settings_of(integration).model_dump(mode="json")
    data.update(sync_tracking_numbers=True, shipment_details_field="Tracking_Number__c")
    update_settings(integration, data, actor=None)
    run = ImportRun.objects.create(
        integration=integration, trigger=ImportRun.Trigger.COMMAND, since=date(2000, 1, 1)
    )
    run = importer.execute(run)
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    imported = list(Order.objects.filter(store=store).order_by("id"))
    assert len(imported) == orders, f"imported {len(imported)} of {orders}"
    integration.refresh_from_db()
    return integration, imported


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--items-per-order", type=int, default=3)
    parser.add_argument(
        "--faults", action="store_true", help="inject 503s (20%%) and dropped connections (10%%)"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="orderhub-bench-") as tmp:
        configure(Path(tmp))
        from django.utils import timezone

        from orderhub.integrations.salesforce import tracking
        from orderhub.integrations.salesforce.models import TrackingPush
        from orderhub.orders import events, services
        from orderhub.orders.drafts import ShipmentDraft
        from salesforce_emulator.state import EmulatorState
        from salesforce_emulator.testing import emulator_subprocess

        data_dir = Path(tmp) / "org"
        data_dir.mkdir()
        # Seeded before it is served: exactly --items-per-order items on every order.
        state = EmulatorState(data_dir)
        state.seed(
            orders=args.orders, items_per_order=args.items_per_order, seed=7, big_orders=False
        )
        state.close()
        with emulator_subprocess(data_dir) as handle:
            integration, orders = connect_and_import(handle, args.orders)
            items = sum(o.items.count() for o in orders)
            began = time.perf_counter()
            services.add_shipments(
                [
                    (o, ShipmentDraft(tracking_number=f"1Z{o.id:08d}", carrier_code="UPS"))
                    for o in orders
                ],
                actor=None,
                source="Bench",
            )
            add_seconds = time.perf_counter() - began
            outbox_rows = TrackingPush.objects.filter(status="pending").count()
            if args.faults:
                handle.set_faults(
                    {"kind": "503", "path": "/services/data/*", "rate": 0.2},
                    {"kind": "drop", "path": "/services/data/*", "rate": 0.1},
                    seed=3,
                )
            handle.reset_api_calls()
            began = time.perf_counter()
            result = tracking.drain(integration)
            drain_seconds = time.perf_counter() - began
            calls = handle.api_calls()
            handle.clear_faults()
            rounds = 1
            while TrackingPush.objects.filter(status="pending").exists() and rounds < 10:
                tracking.drain(integration, now=timezone.now() + timezone.timedelta(hours=3))
                rounds += 1
            written = {
                row["Id"]: row["Tracking_Number__c"]
                for row in handle.query("SELECT Id, Tracking_Number__c FROM OrderItem")
            }
            # The same batch again without the outbox writer, for comparison.
            for event_type in tracking.CHANGES:
                events.unsubscribe_in_transaction(
                    event_type, dispatch_uid=f"salesforce-tracking-{event_type.__name__}"
                )
            began = time.perf_counter()
            services.add_shipments(
                [(o, ShipmentDraft(tracking_number=f"2Z{o.id:08d}")) for o in orders],
                actor=None,
                source="Bench",
            )
            baseline_seconds = time.perf_counter() - began
            wrong = [
                item.metadata["salesforce_id"]
                for o in orders
                for item in o.items.all()
                if written.get(item.metadata["salesforce_id"])
                != f"UPS, 1Z{o.id:08d}, shipped {timezone.now().date().isoformat()}"
            ]

    bound = math.ceil(items / 200) + 2
    print(f"\n{len(orders):,} orders, {items:,} item records, 1 whole-order shipment each")
    print(f"Python {sys.version.split()[0]}, SQLite, emulator over HTTPS in a child process")
    print(f"Faults: {'503 20%, dropped connection 10%' if args.faults else 'none'}\n")
    print("| Step | Result |")
    print("|---|---|")
    print(f"| add_shipments (1 transaction, {outbox_rows:,} outbox rows) | {add_seconds:.2f} s |")
    print(f"| the same add_shipments without the outbox writer | {baseline_seconds:.2f} s |")
    print(f"| drain: records sent | {result.records:,} in {result.calls} PATCH calls |")
    print(f"| drain: API calls received by the emulator | {calls} (bound {bound}) |")
    print(f"| drain: HTTP requests sent, gateway retries included | {result.requests} |")
    print(f"| drain: wall time | {drain_seconds:.2f} s |")
    print(f"| item records with the wrong text afterwards | {len(wrong)} |")
    if calls > bound and not args.faults:
        print("\nOver the bound")
        return 1
    return 1 if wrong else 0


if __name__ == "__main__":
    raise SystemExit(main())
