"""Running the emulator with uvicorn: in a background thread (tests) or in the foreground (CLI)."""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path

import uvicorn

from .app import create_app
from .soql.parser import warm_up
from .state import EmulatorState
from .tls import ensure_certificates

SERVER_FILE = "server.json"


def bind_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


class EmulatorServer:
    """uvicorn serving one `EmulatorState` on a bound socket."""

    def __init__(
        self, state: EmulatorState, host: str = "127.0.0.1", port: int = 8443, *, tls: bool = True,
        log_level: str = "warning",
    ) -> None:  # fmt: skip
        self.state = state
        self.host = host
        self.tls = tls
        self.sock = bind_socket(host, port)
        self.port = self.sock.getsockname()[1]
        self.ca_cert: Path | None = None
        ssl = {}
        if tls:
            self.ca_cert, cert, key = ensure_certificates(state.data_dir)
            ssl = {"ssl_certfile": str(cert), "ssl_keyfile": str(key)}
        config = uvicorn.Config(
            create_app(state), log_level=log_level, access_log=False, lifespan="off", http="h11",
            loop="asyncio", timeout_keep_alive=60, timeout_graceful_shutdown=1,
            h11_max_incomplete_event_size=1024 * 1024,  # long SOQL in the query string
            **ssl,
        )  # fmt: skip
        self.server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None
        warm_up()  # build the SOQL parser before the first request needs it

    @property
    def instance_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}"

    def describe(self) -> dict:
        return self.state.instance_info(
            self.instance_url, str(self.ca_cert.resolve()) if self.ca_cert else None
        )

    def write_server_file(self) -> None:
        (self.state.data_dir / SERVER_FILE).write_text(
            json.dumps({"instance_url": self.instance_url, "tls": self.tls}) + "\n", "utf-8"
        )

    def run(self) -> None:
        """Serve in the foreground until interrupted."""
        self.write_server_file()
        try:
            self.server.run(sockets=[self.sock])
        finally:
            (self.state.data_dir / SERVER_FILE).unlink(missing_ok=True)

    def start(self, timeout: float = 15.0) -> None:
        """Serve from a daemon thread; return once it accepts connections."""
        self._thread = threading.Thread(
            target=self.server.run,
            kwargs={"sockets": [self.sock]},
            name="salesforce-emulator",
            daemon=True,
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the Salesforce emulator did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self.server.should_exit = True
        self.server.force_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.sock.close()
