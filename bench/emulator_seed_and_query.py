"""Benchmark: seed the Salesforce emulator, then page every order with its items via simple-salesforce.

    .venv/bin/python bench/emulator_seed_and_query.py --orders 100000 --items-per-order 5

Seeds a fresh data dir in this process (timed), serves it from a child process
(`salesforce-emulator serve`, HTTPS), and pages `SELECT ... (SELECT ... FROM OrderItems) FROM Order`
with the unmodified simple-salesforce client, following child `nextRecordsUrl`s too. Reports
records/second (parents + children) and the server's peak memory. Results go in docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

QUERY = (
    "SELECT Id, OrderNumber, Status, EffectiveDate, TotalAmount, SystemModstamp, Account.Name, "
    "(SELECT Id, Quantity, UnitPrice, TotalPrice, Product2.Name, Product2.ProductCode FROM OrderItems) "
    "FROM Order ORDER BY SystemModstamp, Id"
)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (load-independent, unlike wall time)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def seed(data_dir: Path, orders: int, items: int) -> dict:
    from salesforce_emulator.state import EmulatorState

    state = EmulatorState(data_dir)
    began, cpu = time.perf_counter(), time.process_time()
    counts = state.seed(orders=orders, items_per_order=items, seed=1)
    counts["seconds"] = time.perf_counter() - began
    counts["cpu_seconds"] = time.process_time() - cpu
    state.close()
    return counts


def page_everything(data_dir: Path, batch_size: int) -> dict:
    from simple_salesforce import Salesforce

    from salesforce_emulator.testing import emulator_subprocess

    with emulator_subprocess(data_dir) as handle:
        sf = Salesforce(
            username=handle.username, password=handle.password, security_token=handle.security_token,
            domain=handle.domain, session=handle.requests_session(),
        )  # fmt: skip
        headers = {"Sforce-Query-Options": f"batchSize={batch_size}"}
        parents = children = pages = 0
        server_cpu = cpu_seconds(handle.process_id)
        client_cpu = time.process_time()
        began = time.perf_counter()
        result = sf.query(QUERY, headers=headers)
        while True:
            pages += 1
            for record in result["records"]:
                parents += 1
                child = record["OrderItems"]
                while child is not None:
                    children += len(child["records"])
                    if child["done"]:
                        break
                    child = sf.query_more(child["nextRecordsUrl"], identifier_is_url=True)
                    pages += 1
            if result["done"]:
                break
            result = sf.query_more(
                result["nextRecordsUrl"], identifier_is_url=True, headers=headers
            )
        seconds = time.perf_counter() - began
        client_cpu = time.process_time() - client_cpu
        server_cpu = cpu_seconds(handle.process_id) - server_cpu
        return {
            "parents": parents,
            "children": children,
            "pages": pages,
            "seconds": seconds,
            "records_per_second": (parents + children) / seconds,
            "server_cpu_seconds": server_cpu,
            "client_cpu_seconds": client_cpu,
            "records_per_cpu_second": (parents + children) / (server_cpu + client_cpu),
            "server_peak_rss_mb": peak_rss_mb(handle.process_id),
            "api_calls": handle.api_calls(),
        }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--orders", type=int, nargs="+", default=[100_000])
    parser.add_argument("--items-per-order", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=2000)
    args = parser.parse_args()
    rows = []
    for orders in args.orders:
        with tempfile.TemporaryDirectory(prefix="sf-bench-") as tmp:
            data_dir = Path(tmp)
            seeded = seed(data_dir, orders, args.items_per_order)
            paged = page_everything(data_dir, args.batch_size)
            db_mb = sum(p.stat().st_size for p in data_dir.glob("org.sqlite3*")) / 1e6
        row = {
            "orders": seeded["Order"],
            "items": seeded["OrderItem"],
            "seed_seconds": round(seeded["seconds"], 1),
            "seed_cpu_seconds": round(seeded["cpu_seconds"], 1),
            "db_mb": round(db_mb, 1),
            **{k: (round(v, 1) if isinstance(v, float) else v) for k, v in paged.items()},
        }
        rows.append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)
    load = os.getloadavg()[0]
    print(f"load average at the end: {load:.1f} on {os.cpu_count()} CPUs")
    print(
        "| orders | items | seed wall (s) | seed CPU (s) | SQLite (MB) | pages | paging wall (s) "
        "| records/s (wall) | CPU s (server + client) | records/CPU s | server peak RSS (MB) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['orders']:,} | {r['items']:,} | {r['seed_seconds']} | {r['seed_cpu_seconds']} "
            f"| {r['db_mb']} | {r['pages']:,} | {r['seconds']} | {r['records_per_second']:,.0f} "
            f"| {r['server_cpu_seconds']} + {r['client_cpu_seconds']} "
            f"| {r['records_per_cpu_second']:,.0f} | {r['server_peak_rss_mb']:.0f} |"
        )


if __name__ == "__main__":
    main()
