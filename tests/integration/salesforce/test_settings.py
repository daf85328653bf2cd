"""The settings page and `orderhub salesforce-settings`: options from the org's describe
data, every setting validated, nothing saved while anything is wrong."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from orderhub.integrations.salesforce.services import settings_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(client, user, connected):
    client.force_login(user)
    return client


def url(name, integration):
    return reverse(f"salesforce:{name}", kwargs={"store_id": integration.store_id})


def form_data(**overrides):
    data = {
        "check_interval_minutes": "15",
        "order_object": "Order",
        "order_item_object": "OrderItem",
        "filter_field": "",
        "order_prefix": "",
        "shipment_details_field": "",
        "sync_tracking_numbers-present": "1",
        "advanced_enabled-present": "1",
        "custom_order_fields-present": "1",
        "custom_item_fields-present": "1",
    }
    data.update(overrides)
    return data


def test_page_offers_the_orgs_objects_and_fields(page, connected):
    html = page.get(url("settings", connected)).content.decode()
    for offered in ("Opportunity", "Sales_Order__c", "Sales_Order_Line__c", "OrderItem"):
        assert f'value="{offered}"' in html
    assert 'value="Tracking_Number__c"' in html  # an updateable text field of OrderItem
    assert "Need Help Getting Started?" in html


def test_picklist_values_are_offered_for_a_picklist_filter_field(page, connected):
    html = page.post(url("form", connected), form_data(filter_field="Status")).content.decode()
    assert 'data-testid="filter-value-picklist"' in html
    assert '<option value="Draft"' in html and '<option value="Activated"' in html
    html = page.post(url("form", connected), form_data(filter_field="Is_Gift__c")).content.decode()
    assert '<option value="true"' in html and '<option value="false"' in html


def test_changing_the_order_object_reloads_its_filter_fields(page, connected):
    html = page.post(
        url("form", connected),
        form_data(order_object="Opportunity", order_item_object="OpportunityLineItem"),
    ).content.decode()
    assert 'value="StageName"' in html and 'value="Channel__c"' not in html


def test_saving_a_full_valid_configuration(page, connected, store):
    gifts_folder = store.folders.get(name="Prepared")
    response = page.post(
        url("save", connected),
        form_data(
            check_interval_minutes="60",
            folder_id=str(gifts_folder.id),
            filter_field="Status",
            filter_value="Activated",
            sync_tracking_numbers="on",
            order_prefix="SF-",
            shipment_details_field="Tracking_Number__c",
            advanced_enabled="on",
            **{
                "rule_builder_order_objects-present": "1",
                "rule_builder_order_objects": ["Sales_Order__c"],
                "rule_builder_item_objects-present": "1",
                "rule_builder_item_objects": ["Sales_Order_Line__c"],
                "custom_order_fields-field": ["Gift_Message__c", "account.name"],
                "custom_order_fields-destination": ["checkout_data", "metadata"],
                "custom_order_fields-key": ["Gift Message", "account"],
                "custom_item_fields-field": ["Gift_Wrap__c"],
                "custom_item_fields-destination": ["variation"],
                "custom_item_fields-key": ["Gift wrap"],
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = settings_of(connected.__class__.objects.get(pk=connected.pk))
    assert saved.check_interval_minutes == 60 and saved.folder_id == gifts_folder.id
    assert (saved.filter_field, saved.filter_value) == ("Status", "Activated")
    assert saved.sync_tracking_numbers and saved.shipment_details_field == "Tracking_Number__c"
    assert saved.item_relationship == "OrderItems"
    # Names are stored as describe spells them.
    assert [row.field for row in saved.custom_order_fields] == ["Gift_Message__c", "Account.Name"]
    assert saved.rule_builder_item_objects == ["Sales_Order_Line__c"]


@pytest.mark.parametrize(
    ("overrides", "key", "message"),
    [
        ({"order_object": "Nope__c"}, "order_object", "no object called Nope__c"),
        ({"order_item_object": "Account"}, "order_item_object", "not a child of Order"),
        (
            {"filter_field": "Status", "filter_value": "Shipped"},
            "filter_value",
            "not a value of Status",
        ),
        ({"filter_field": "Gift_Message__c", "filter_value": "x"}, "filter_field", "cannot filter"),
        ({"order_prefix": "X" * 21}, "order_prefix", "at most 20"),
        ({"check_interval_minutes": "7"}, "check_interval_minutes", "must be one of"),
        (
            {"sync_tracking_numbers": "on", "shipment_details_field": ""},
            "shipment_details_field",
            "choose the item field",
        ),
        ({"shipment_details_field": "TotalPrice"}, "shipment_details_field", "cannot receive"),
        (
            {
                "custom_order_fields-field": ["No_Such__c"],
                "custom_order_fields-destination": ["metadata"],
                "custom_order_fields-key": ["x"],
            },
            "custom_order_fields.0.field",
            "no field No_Such__c",
        ),
        (
            {"order_object": "Sales_Order__c", "order_item_object": "Sales_Order_Line__c"},
            "item_name_field",
            "no default mapping",
        ),
    ],
)
def test_each_setting_is_validated_and_nothing_is_saved(page, connected, overrides, key, message):
    before = dict(connected.__class__.objects.get(pk=connected.pk).config)
    response = page.post(url("save", connected), form_data(**overrides))
    assert response.status_code == 400
    assert message in response.context["errors"][key]
    assert message.split(" ")[0] in response.content.decode()
    assert connected.__class__.objects.get(pk=connected.pk).config == before


def test_cli_show_and_set(connected, capsys):
    call_command("salesforce-settings", str(connected.store_id), "--show")
    assert json.loads(capsys.readouterr().out)["order_object"] == "Order"
    call_command(
        "salesforce-settings",
        connected.store.name,
        "--set",
        "order_prefix=SF-",
        'filter_field="Status"',
        "filter_value=Activated",
        'custom_order_fields=[{"field":"Channel__c","destination":"metadata","key":"channel"}]',
    )
    shown = json.loads(capsys.readouterr().out)
    assert shown["order_prefix"] == "SF-" and shown["filter_value"] == "Activated"
    assert shown["custom_order_fields"][0]["key"] == "channel"


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        ("order_prefix", "key=value"),
        ("colour=blue", "not a Salesforce setting"),
        ("filter_field=Nope__c", "filter_field: Order has no field Nope__c"),
        ("check_interval_minutes=7", "check_interval_minutes"),
    ],
)
def test_cli_refuses_bad_values_and_changes_nothing(connected, assignment, message):
    before = dict(connected.config)
    with pytest.raises(CommandError, match=message):
        call_command("salesforce-settings", str(connected.store_id), "--set", assignment)
    connected.refresh_from_db()
    assert connected.config == before


def test_cli_connect_with_client_credentials(store, org, capsys):
    call_command(
        "salesforce-connect",
        str(store.id),
        "--endpoint",
        org.instance_url,
        "--client-id",
        org.client_id,
        "--client-secret",
        org.client_secret,
        "--ca-bundle",
        org.ca_cert,
    )
    assert "Connected store" in capsys.readouterr().out
    with pytest.raises(CommandError, match="invalid_client"):
        call_command(
            "salesforce-connect", str(store.id), "--endpoint", org.instance_url,
            "--client-id", org.client_id, "--client-secret", "nope", "--ca-bundle", org.ca_cert,
        )  # fmt: skip
