"""`orderhub rules export STORE FILE` and `orderhub rules import STORE FILE`."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, ManagementUtility, call_command

from orderhub.rules.models import Rule
from orderhub.stores.services import create_folder

pytestmark = pytest.mark.django_db(transaction=True)


def build_rules(store, folders, make_rule):
    make_rule(
        [{"action": "change_folder", "params": {"folder_id": folders["Gifts"].id}}],
        event="order_imported",
        name="Gifts",
        filters=[
            {"field": "checkout_data", "key": "Gift Message", "operator": "is_not_empty"},
            {
                "field": "folder",
                "operator": "is_one_of",
                "value": f"{folders['New'].id},{folders['Hold'].id}",
            },
        ],
    )
    make_rule(
        [{"action": "tag_order", "params": {"color": "red", "name": "late"}}],
        event="custom_schedule",
        name="Nightly",
        event_options={"name": "Nightly", "folder_id": folders["Hold"].id, "time_of_day": "02:00"},
        stop_processing=True,
        enabled=False,
    )


def test_export_then_import_into_another_store_maps_folders_by_name(
    store, other_store, folders, make_rule, tmp_path, capsys
):
    build_rules(store, folders, make_rule)
    path = tmp_path / "rules.json"
    call_command("rules", "export", str(store.id), str(path))
    data = json.loads(path.read_text())
    assert [r["name"] for r in data["rules"]] == ["Gifts", "Nightly"]
    assert data["rules"][0]["actions"][0]["params"]["folder_id"] == "Gifts"

    theirs = {name: create_folder(other_store, name, actor=None) for name in ("Gifts", "Hold")}
    call_command("rules", "import", other_store.name, str(path))
    assert "Imported 2 rules" in capsys.readouterr().out
    copied = list(Rule.objects.filter(store=other_store).order_by("position"))
    assert [r.name for r in copied] == ["Gifts", "Nightly"]
    assert copied[0].actions[0]["params"]["folder_id"] == theirs["Gifts"].id
    new_folder = other_store.folders.get(name="New")
    assert copied[0].filters[1]["value"] == f"{new_folder.id},{theirs['Hold'].id}"
    assert copied[1].event_options["folder_id"] == theirs["Hold"].id
    assert (copied[1].enabled, copied[1].stop_processing) == (False, True)
    # Export of the copy equals the original export (apart from the store name).
    call_command("rules", "export", str(other_store.id), str(tmp_path / "copy.json"))
    copy = json.loads((tmp_path / "copy.json").read_text())
    assert copy["rules"] == data["rules"]


def test_import_replace(store, folders, make_rule, tmp_path):
    build_rules(store, folders, make_rule)
    path = tmp_path / "rules.json"
    call_command("rules", "export", str(store.id), str(path))
    call_command("rules", "import", str(store.id), str(path))
    assert Rule.objects.filter(store=store).count() == 4
    call_command("rules", "import", str(store.id), str(path), "--replace")
    assert Rule.objects.filter(store=store).count() == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON (line 1"),
        ('{"rules": []}', "not an OrderHub rules export"),
        (
            '{"format": "orderhub-rules", "version": 1, "rules": [{"name": "x", "event": "order_exploded", '
            '"actions": [{"action": "tag_order", "params": {"color": "red"}}]}]}',
            "unknown event 'order_exploded'",
        ),
        (
            '{"format": "orderhub-rules", "version": 1, "rules": ['
            '{"name": "good", "event": "order_imported", "actions": [{"action": "tag_order", "params": {"color": "red"}}]},'
            '{"name": "bad", "event": "order_imported", "actions": [{"action": "launch_rocket"}]}]}',
            "rule 2 (bad): action 1: unknown action 'launch_rocket'",
        ),
        (
            '{"format": "orderhub-rules", "version": 1, "rules": [{"name": "x", "event": "order_imported", '
            '"actions": [{"action": "change_folder", "params": {"folder_id": "Nowhere"}}]}]}',
            "folder 'Nowhere' does not exist",
        ),
    ],
)
def test_bad_imports_fail_clearly_and_import_nothing(store, tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(CommandError) as caught:
        call_command("rules", "import", str(store.id), str(path))
    assert message in str(caught.value)
    assert not Rule.objects.filter(store=store).exists()


def test_import_cli_exits_non_zero(store, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("[1, 2")
    # run_from_argv turns CommandError into a message on stderr and exit status 1.
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["orderhub", "rules", "import", str(store.id), str(path)]).execute()
    assert exited.value.code == 1
    assert not Rule.objects.exists()


def test_unknown_store(tmp_path):
    with pytest.raises(CommandError, match="No store 'Nope'"):
        call_command("rules", "export", "Nope", str(tmp_path / "x.json"))


def test_export_to_stdout(store, folders, make_rule, capsys):
    build_rules(store, folders, make_rule)
    call_command("rules", "export", str(store.id), "-")
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == "orderhub-rules" and len(data["rules"]) == 2
