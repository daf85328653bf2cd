"""Architecture rules that keep the codebase the shape DESIGN.md describes."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "orderhub"
ORDER_MODELS = ("Order", "OrderItem", "Shipment", "OrderHistory")
WRITE_CALL = re.compile(
    r"\b(?:" + "|".join(ORDER_MODELS) + r")\.objects\.(?:create|update|bulk_create|bulk_update|"
    r"update_or_create|get_or_create)\("
)


def python_files(root: Path = SRC):
    return [p for p in root.rglob("*.py") if "migrations" not in p.parts]


def test_order_models_are_written_only_in_orders_services():
    offenders = []
    for path in python_files():
        if path == SRC / "orders" / "services.py":
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if WRITE_CALL.search(line):
                offenders.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert offenders == []


def test_queries_modules_never_write():
    for path in SRC.rglob("queries.py"):
        text = path.read_text()
        assert not re.search(r"\.(save|delete)\(|\.objects\.(create|update)\(", text), path


def test_orders_imports_nothing_from_integrations_or_rules():
    for path in python_files(SRC / "orders"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith(("orderhub.integrations", "orderhub.rules")), path


def test_no_post_save_receivers_for_domain_logic():
    signal = re.compile(r"\b(post_save|pre_save|post_delete|pre_delete)\b(?!\()")
    for path in python_files():
        assert not signal.search(path.read_text()), path


def test_orderhub_never_imports_the_emulator_outside_demo():
    for path in python_files():
        if "demo" in path.name:
            continue
        assert "salesforce_emulator" not in path.read_text(), path


@pytest.mark.parametrize("module_name", ["orderhub.orders.services", "orderhub.stores.services"])
def test_every_public_service_takes_keyword_only_actor(module_name):
    import importlib

    module = importlib.import_module(module_name)
    for name, fn in inspect.getmembers(module, inspect.isfunction):
        if name.startswith("_") or fn.__module__ != module_name or name == "hash_api_key":
            continue
        parameter = inspect.signature(fn).parameters.get("actor")
        assert parameter is not None, f"{name} has no actor"
        assert parameter.kind is inspect.Parameter.KEYWORD_ONLY, f"{name}: actor not keyword-only"
