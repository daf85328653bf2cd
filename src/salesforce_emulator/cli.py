"""`salesforce-emulator`: serve, seed, reset, info, and control-plane commands for a running org."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .config import DEFAULT_DATA_DIR

DEFAULT_PORT = 8443


def _data_dir(args: argparse.Namespace) -> Path:
    return Path(args.data)


def cmd_serve(args: argparse.Namespace) -> int:
    from .server import EmulatorServer
    from .state import EmulatorState

    state = EmulatorState(_data_dir(args))
    server = EmulatorServer(
        state, args.host, args.port, tls=not args.no_tls, log_level=args.log_level
    )
    described = server.describe()
    if args.ready_json:
        # One JSON line on stdout so a parent process knows where to connect.
        print(json.dumps(described), flush=True)
    else:
        print(f"Salesforce emulator serving {server.instance_url}", file=sys.stderr)
        if server.ca_cert:
            print(f"Trust this CA: {server.ca_cert.resolve()}", file=sys.stderr)
    try:
        server.run()
    finally:
        state.close()
    return 0


def _running(data_dir: Path):
    """(requests session, control URL) of a server running on this data dir, or None."""
    from .server import SERVER_FILE

    if not (data_dir / SERVER_FILE).exists():
        return None
    import requests

    args = argparse.Namespace(data=str(data_dir), url=None)
    session, base = _control(args)
    try:
        session.get(base + "info", timeout=2).raise_for_status()
    except requests.RequestException:
        return None
    return session, base


def cmd_seed(args: argparse.Namespace) -> int:
    import time

    from .state import EmulatorState

    running = _running(_data_dir(args))
    if running is not None:
        # A server owns this data dir: seed through it so its id counters stay right.
        session, base = running
        began = time.perf_counter()
        if args.reset:
            session.post(base + "reset", timeout=60).raise_for_status()
        body = {"orders": args.orders, "items_per_order": args.items_per_order, "seed": args.seed,
                "products": args.products}  # fmt: skip
        response = session.post(base + "seed", json=body, timeout=3600)
        response.raise_for_status()
        counts = response.json()
        counts["seconds"] = round(time.perf_counter() - began, 2)
        print(json.dumps(counts, indent=2))
        return 0
    state = EmulatorState(_data_dir(args))
    try:
        if args.reset:
            state.reset()
        began = time.perf_counter()
        counts = state.seed(
            orders=args.orders,
            items_per_order=args.items_per_order,
            seed=args.seed,
            products=args.products,
        )
        counts["seconds"] = round(time.perf_counter() - began, 2)
        print(json.dumps(counts, indent=2))
    finally:
        state.close()
    return 0


def cmd_reset(args: argparse.Namespace) -> int:
    from .state import EmulatorState

    running = _running(_data_dir(args))
    if running is not None:
        session, base = running
        session.post(base + "reset", timeout=60).raise_for_status()
        print(json.dumps({"reset": True, "data_dir": str(_data_dir(args).resolve())}))
        return 0
    state = EmulatorState(_data_dir(args))
    state.reset()
    state.close()
    print(json.dumps({"reset": True, "data_dir": str(_data_dir(args).resolve())}))
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    from .server import SERVER_FILE
    from .state import EmulatorState
    from .tls import ensure_certificates

    data_dir = _data_dir(args)
    state = EmulatorState(data_dir)
    try:
        served = data_dir / SERVER_FILE
        # server.json can outlive a killed server: trust it only when that server answers.
        if _running(data_dir) is not None:
            instance_url = json.loads(served.read_text("utf-8"))["instance_url"]
            tls = instance_url.startswith("https")
        else:
            tls = not args.no_tls
            instance_url = f"{'https' if tls else 'http'}://{args.host}:{args.port}"
        ca_cert = str(ensure_certificates(data_dir)[0].resolve()) if tls else None
        print(json.dumps(state.instance_info(instance_url, ca_cert), indent=2))
    finally:
        state.close()
    return 0


def _control(args: argparse.Namespace):
    import requests

    from .server import SERVER_FILE

    data_dir = _data_dir(args)
    url = args.url
    if url is None:
        served = data_dir / SERVER_FILE
        url = (
            json.loads(served.read_text("utf-8"))["instance_url"]
            if served.exists()
            else f"https://127.0.0.1:{DEFAULT_PORT}"
        )
    session = requests.Session()
    session.trust_env = False
    ca = data_dir / "tls" / "ca.pem"
    session.verify = str(ca) if ca.exists() else True
    return session, url.rstrip("/") + "/__emulator__/"


def cmd_faults(args: argparse.Namespace) -> int:
    session, base = _control(args)
    if args.action == "clear":
        response = session.delete(base + "faults", timeout=30)
    elif args.action == "add":
        fault = {
            "kind": args.kind,
            "path": args.path,
            "rate": args.rate,
            "latency_ms": args.latency_ms,
        }
        if args.times is not None:
            fault["times"] = args.times
        if args.method:
            fault["methods"] = args.method
        response = session.post(base + "faults", json=fault, timeout=30)
    else:
        response = session.get(base + "faults", timeout=30)
    print(json.dumps(response.json(), indent=2))
    return 0 if response.ok else 1


def cmd_control(args: argparse.Namespace) -> int:
    session, base = _control(args)
    if args.command == "expire-sessions":
        response = session.post(base + "expire-sessions", timeout=30)
    elif args.command == "set-usage":
        response = session.put(base + "usage", json={"used": args.used}, timeout=30)
    else:  # clock
        body = (
            {"now": args.now}
            if args.now
            else {"advance_seconds": args.advance}
            if args.advance
            else {}
        )
        if args.real:
            body = {"real": True}
        response = session.post(base + "clock", json=body, timeout=30)
    print(json.dumps(response.json(), indent=2))
    return 0 if response.ok else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="salesforce-emulator", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def with_data(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument(
            "--data", default=str(DEFAULT_DATA_DIR), help="data dir (default: %(default)s)"
        )
        return p

    serve = with_data(sub.add_parser("serve", help="serve the org over HTTPS"))
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help="0 picks a free port")
    serve.add_argument(
        "--no-tls", action="store_true", help="plain HTTP (simple-salesforce needs HTTPS)"
    )
    serve.add_argument("--log-level", default="warning")
    serve.add_argument("--ready-json", action="store_true", help="print one JSON line when ready")
    serve.set_defaults(func=cmd_serve)

    seed = with_data(sub.add_parser("seed", help="add deterministic data"))
    seed.add_argument("--orders", type=int, default=50)
    seed.add_argument("--items-per-order", type=int, default=3)
    seed.add_argument("--seed", type=int, default=1)
    seed.add_argument("--products", type=int, default=20)
    seed.add_argument("--reset", action="store_true", help="delete existing records first")
    seed.set_defaults(func=cmd_seed)

    reset = with_data(sub.add_parser("reset", help="delete every record"))
    reset.set_defaults(func=cmd_reset)

    info = with_data(sub.add_parser("info", help="print instance URL, CA, apps and users as JSON"))
    info.add_argument("--host", default="127.0.0.1")
    info.add_argument("--port", type=int, default=DEFAULT_PORT)
    info.add_argument("--no-tls", action="store_true")
    info.set_defaults(func=cmd_info)

    faults = with_data(
        sub.add_parser("faults", help="list, add or clear faults on a running emulator")
    )
    faults.add_argument("action", choices=["list", "add", "clear"])
    faults.add_argument("--url", help="running emulator (default: from the data dir)")
    faults.add_argument("--kind", default="503", help="503, 500, lock, drop or latency")
    faults.add_argument("--path", default="/services/*", help="path glob")
    faults.add_argument("--rate", type=float, default=1.0)
    faults.add_argument("--latency-ms", type=int, default=0)
    faults.add_argument("--times", type=int)
    faults.add_argument("--method", action="append")
    faults.set_defaults(func=cmd_faults)

    for name, help_text in (("expire-sessions", "expire all access tokens now"),
                            ("set-usage", "set the daily API usage counter"),
                            ("clock", "set, advance or unfreeze the org clock")):  # fmt: skip
        p = with_data(sub.add_parser(name, help=help_text))
        p.add_argument("--url")
        if name == "set-usage":
            p.add_argument("used", type=int)
        if name == "clock":
            p.add_argument("--now", help="ISO datetime to freeze at")
            p.add_argument("--advance", type=float, help="seconds to move forward")
            p.add_argument("--real", action="store_true", help="back to real time")
        p.set_defaults(func=cmd_control)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    raise SystemExit(args.func(args))
