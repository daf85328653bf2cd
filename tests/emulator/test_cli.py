"""The `salesforce-emulator` command line."""

import json

import pytest
from simple_salesforce import Salesforce

from salesforce_emulator.cli import main
from salesforce_emulator.testing import emulator_subprocess

pytestmark = pytest.mark.emulator


def run(capsys, *argv):
    with pytest.raises(SystemExit) as info:
        main(list(argv))
    assert info.value.code == 0
    return capsys.readouterr().out


def test_seed_info_reset(tmp_path, capsys):
    data = str(tmp_path / "org")
    counts = json.loads(
        run(capsys, "seed", "--data", data, "--orders", "40", "--items-per-order", "2")
    )
    assert counts["Order"] == 40 and counts["OrderItem"] == 2 * 37 + 250
    info = json.loads(run(capsys, "info", "--data", data))
    assert info["instance_url"] == "https://127.0.0.1:8443"
    assert info["ca_cert"].endswith("ca.pem")
    assert (
        info["connected_apps"][0]["client_id"]
        and info["users"][0]["username"] == "admin@orderhub.emulator"
    )
    assert json.loads(run(capsys, "reset", "--data", data))["reset"] is True


def test_serve_as_a_child_process(tmp_path, capsys):
    data = tmp_path / "org"
    run(capsys, "seed", "--data", str(data), "--orders", "5")
    with emulator_subprocess(data) as handle:
        sf = Salesforce(
            username=handle.username,
            password=handle.password,
            security_token=handle.security_token,
            domain=handle.domain,
            session=handle.requests_session(),
        )
        assert sf.query("SELECT COUNT() FROM Order")["totalSize"] == 5
        out = run(
            capsys, "faults", "add", "--data", str(data), "--kind", "503", "--path", "*/limits"
        )
        assert json.loads(out)["faults"][0]["kind"] == "SERVER_UNAVAILABLE"
        assert handle.api_calls() == 1
        assert len(handle.records("Order")) == 5
        # While it runs, `seed` goes through the server (its id counters stay right).
        counts = json.loads(run(capsys, "seed", "--data", str(data), "--orders", "3"))
        assert counts["Order"] == 3
        created = sf.Account.create({"Name": "After seeding"})
        assert sf.Account.get(created["id"])["Name"] == "After seeding"
        assert len(handle.records("Order")) == 8
        drafts = handle.records("Order", Status="Draft", Is_Gift__c=False)
        assert drafts and all(not r["Is_Gift__c"] and r["Status"] == "Draft" for r in drafts)
        run(capsys, "faults", "clear", "--data", str(data))


def test_plain_http_when_asked(tmp_path):
    import requests

    from salesforce_emulator.testing import running_emulator

    with running_emulator(tmp_path / "plain", tls=False) as handle:
        assert handle.instance_url.startswith("http://") and handle.ca_cert is None
        versions = requests.get(f"{handle.instance_url}/services/data", timeout=10).json()
        assert versions[-1]["version"] == "62.0"
        assert not (tmp_path / "plain" / "tls").exists()
