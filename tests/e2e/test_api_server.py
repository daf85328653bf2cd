"""The README's minute with the API, for real: `orderhub createstore`, `orderhub serve`, HTTP.

Runs the production server (waitress, its thread pool) in a child process on a free port,
with its own var directory and SQLite database, and talks to it over HTTP as curl would.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ORDERHUB = str(Path(sys.executable).with_name("orderhub"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def call(url: str, method: str = "GET", body: object = None, headers: dict | None = None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


@pytest.fixture
def server(tmp_path):
    env = {**os.environ, "ORDERHUB_VAR_DIR": str(tmp_path), "ORDERHUB_RUN_JOBS": "false"}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run([ORDERHUB, "migrate", "-v", "0"], env=env, check=True, timeout=120)
    created = subprocess.run(
        [ORDERHUB, "createstore", "X"], env=env, check=True, capture_output=True, text=True
    ).stdout
    store_id = re.search(r"^Store id: (\d+)$", created, re.M)[1]
    key = re.search(r"^API key:\s+(\S+)$", created, re.M)[1]
    port = free_port()
    process = subprocess.Popen(
        [ORDERHUB, "serve", "--port", str(port), "--no-migrate"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/api/v2"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("orderhub serve did not start")
        yield base, {"ORDERDESK-STORE-ID": store_id, "ORDERDESK-API-KEY": key}
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_createstore_then_the_api_over_http(server):
    base, headers = server
    status, response_headers, body = call(f"{base}/test", headers=headers)
    assert status == 200
    assert (body["status"], body["message"]) == ("success", "Connection Successful")
    assert response_headers["X-Tokens-Remaining"] == "19"

    order = {"shipping": {"first_name": "A", "last_name": "B"}, "order_items": [{"name": "x"}]}
    status, _, created = call(f"{base}/orders", "POST", order, headers)
    assert status == 200 and created["message"] == "Order Created"
    order_id = created["order"]["id"]
    # No CSRF token, a POST standing in for DELETE: as Order Desk's own examples do it.
    override = {**headers, "X-HTTP-Method-Override": "DELETE"}
    status, _, deleted = call(f"{base}/orders/{order_id}", "POST", {}, override)
    assert (status, deleted["message"]) == (200, f"Order {order_id} Deleted")

    status, _, denied = call(f"{base}/test", headers={**headers, "ORDERDESK-API-KEY": "wrong"})
    assert status == 401 and denied["status"] == "error"


def test_the_rate_limit_holds_across_the_servers_threads(server):
    base, headers = server
    began = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: call(f"{base}/test", headers=headers), range(40)))
    elapsed = time.monotonic() - began
    statuses = [status for status, _, _ in answers]
    # 20 tokens, plus those that dripped back (3 a second) while the 40 requests ran.
    assert 20 <= statuses.count(200) <= 20 + int(elapsed * 3) + 1
    limited = [h for status, h, _ in answers if status == 429]
    assert limited and all(int(h["X-Retry-After"]) >= 1 for h in limited)
