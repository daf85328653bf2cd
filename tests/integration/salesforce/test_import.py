"""Importing orders from the emulated org: each setting changes the result as documented,
and nothing is missed or duplicated."""

from __future__ import annotations

from datetime import date

import pytest

from integration.salesforce.factory import OrgFactory
from orderhub.integrations.salesforce import importer
from orderhub.integrations.salesforce.models import ImportFailure, ImportRun
from orderhub.integrations.salesforce.services import settings_of, update_settings
from orderhub.orders import events
from orderhub.orders.models import HistoryKind, Order
from orderhub.stores.services import create_folder

pytestmark = pytest.mark.django_db
LONG_AGO = date(2000, 1, 1)


def configure(integration, **changes):
    data = settings_of(integration).model_dump(mode="json")
    data.update(changes)
    return update_settings(integration, data, actor=None)


def run_import(integration, *, since: date | None = LONG_AGO) -> ImportRun:
    run = ImportRun.objects.create(
        integration=integration, trigger=ImportRun.Trigger.COMMAND, since=since
    )
    run = importer.execute(run)
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    return run


def scheduled(integration) -> ImportRun:
    integration.refresh_from_db()
    run = importer.run_scheduled_import(integration.id)
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    return run


@pytest.fixture
def factory(org):
    return OrgFactory.build(org)


def test_imported_order_has_everything_the_issue_lists(connected, factory, capture_events):
    order_id = factory.order(items=2, Description="Ring twice", Gift_Message__c="It's for you 🎁")
    gifts = create_folder(connected.store, "Gifts", actor=None)
    configure(
        connected,
        order_prefix="SF-",
        folder_id=gifts.id,
        custom_order_fields=[
            {"field": "Gift_Message__c", "destination": "checkout_data", "key": "Gift Message"},
            {"field": "Account.Name", "destination": "metadata", "key": "account"},
        ],
        custom_item_fields=[
            {"field": "Product2.ProductCode", "destination": "variation", "key": "SKU"},
            {"field": "Product2.Name", "destination": "item_metadata", "key": "product"},
        ],
    )
    run, published = capture_events(run_import, connected)
    assert (run.imported, run.skipped, run.failed) == (1, 0, 0)
    order = Order.objects.get(store=connected.store)
    number = factory.sf.Order.get(order_id)["OrderNumber"]
    assert order.source_name == "Salesforce"
    assert order.source_id == f"SF-{number}"
    assert order.folder == gifts
    assert order.order_metadata["salesforce_id"] == order_id
    assert order.order_metadata["salesforce_object"] == "Order"
    assert order.order_metadata["account"] == "O'Brien & Sons"
    assert order.checkout_data == {"Gift Message": "It's for you 🎁"}
    assert order.shipping_city == "Dublin"  # the account's address: the order has none
    assert order.order_notes[0]["content"] == "Ring twice"
    items = list(order.items.order_by("position"))
    assert [(i.name, i.quantity, str(i.price)) for i in items] == [
        ("Mug", 1, "12.50"),
        ("Café Crème 🎁", 2, "12.50"),
    ]
    assert items[1].variation_list == {"SKU": "CAFE-2"}
    assert items[1].metadata["product"] == "Café Crème 🎁"
    assert items[0].metadata["salesforce_id"].startswith("802")
    assert (
        order.history.filter(kind=HistoryKind.IMPORTED, note="Imported from Salesforce").count()
        == 1
    )
    assert [type(e) for e in published] == [events.OrderImported]


def test_second_run_imports_nothing_again(connected, factory):
    factory.order(items=1)
    assert run_import(connected).imported == 1
    again = run_import(connected)
    assert (again.imported, again.skipped) == (0, 1)
    assert Order.objects.filter(store=connected.store).count() == 1


@pytest.mark.parametrize(
    ("field", "value", "matching"),
    [
        ("Status", "Activated", {"activated"}),
        ("Is_Gift__c", "true", {"gift"}),
        ("Channel__c", "Phone", {"phone"}),
        ("Priority__c", "2", {"priority"}),
        ("Ship_By_Date__c", "2024-06-01", {"date"}),
        ("PoNumber", "O'Brien \\ said: ' OR Name != '", {"quotes"}),
    ],
)
def test_filters_on_each_field_type(connected, factory, field, value, matching):
    made = {
        "activated": factory.order(items=1),
        "draft": factory.order(items=1, status="Draft"),
        "gift": factory.order(items=1, status="Draft", Is_Gift__c=True),
        "phone": factory.order(items=1, status="Draft", Channel__c="Phone"),
        "priority": factory.order(items=1, status="Draft", Priority__c=2),
        "date": factory.order(items=1, status="Draft", Ship_By_Date__c="2024-06-01"),
        "quotes": factory.order(
            items=1, status="Draft", PoNumber="O'Brien \\ said: ' OR Name != '"
        ),
    }
    configure(connected, filter_field=field, filter_value=value)
    run_import(connected)
    imported = set(
        Order.objects.filter(store=connected.store).values_list(
            "order_metadata__salesforce_id", flat=True
        )
    )
    assert imported == {made[name] for name in matching}


def test_order_with_250_items_and_order_without_items(connected, factory, org):
    big = factory.order(items=250)
    empty = factory.order(items=0, status="Draft")
    run = run_import(connected)
    assert run.imported == 2
    by_id = {
        o.order_metadata["salesforce_id"]: o for o in Order.objects.filter(store=connected.store)
    }
    assert by_id[big].items.count() == 250
    assert by_id[big].quantity_total == sum(range(1, 251))
    assert by_id[empty].items.count() == 0


def test_opportunity_pair(connected, factory):
    sf = factory.sf
    opportunity = sf.Opportunity.create(
        {
            "Name": "Big deal",
            "AccountId": factory.account_id,
            "StageName": "Closed Won",
            "CloseDate": "2024-05-01",
            "Pricebook2Id": factory.pricebook_id,
        }
    )["id"]
    sf.OpportunityLineItem.create(
        {
            "OpportunityId": opportunity,
            "PricebookEntryId": factory.entries[0],
            "Quantity": 3,
            "UnitPrice": 9,
        }
    )
    configure(
        connected,
        order_object="Opportunity",
        order_item_object="OpportunityLineItem",
        order_prefix="OPP-",
    )
    run_import(connected)
    order = Order.objects.get(store=connected.store)
    assert order.source_id == "OPP-Big deal"
    assert order.order_metadata["salesforce_object"] == "Opportunity"
    assert order.shipping_city == "Dublin"
    [item] = order.items.all()
    assert (item.name, item.quantity, str(item.price)) == ("Mug", 3, "9.00")


def test_custom_pair_needs_its_essentials(connected, factory):
    from orderhub.integrations.services import InvalidSettings

    with pytest.raises(InvalidSettings) as problem:
        configure(connected, order_object="Sales_Order__c", order_item_object="Sales_Order_Line__c")
    assert set(problem.value.errors) >= {
        "order_number_field",
        "item_name_field",
        "item_price_field",
        "item_quantity_field",
    }
    assert settings_of(connected).order_object == "Order"  # nothing was saved
    sf = factory.sf
    sales_order = sf.Sales_Order__c.create({"Customer_Email__c": "zoe@example.com"})["id"]
    number = sf.Sales_Order__c.get(sales_order)["Name"]
    product = sf.Product2.create({"Name": "Robot 🤖 Kit", "ProductCode": "ROBOT"})["id"]
    sf.Sales_Order_Line__c.create(
        {
            "Sales_Order__c": sales_order,
            "Product__c": product,
            "SKU__c": "RB-1",
            "Quantity__c": 2,
            "Unit_Price__c": 5,
        }
    )
    configure(
        connected,
        order_object="Sales_Order__c",
        order_item_object="Sales_Order_Line__c",
        order_number_field="Name",
        item_name_field="Product__r.Name",
        item_code_field="SKU__c",
        item_price_field="Unit_Price__c",
        item_quantity_field="Quantity__c",
        custom_order_fields=[
            {"field": "Customer_Email__c", "destination": "checkout_data", "key": "Email"}
        ],
    )
    run_import(connected)
    order = Order.objects.get(store=connected.store)
    assert order.source_id == number and order.checkout_data == {"Email": "zoe@example.com"}
    assert [(i.name, i.code, i.quantity) for i in order.items.all()] == [
        ("Robot 🤖 Kit", "RB-1", 2)
    ]


def test_scheduled_runs_import_changes_between_polls_exactly_once(connected, factory, org):
    configure(connected, filter_field="Status", filter_value="Activated", check_interval_minutes=5)
    first = factory.order(items=1)
    draft = factory.order(items=1, status="Draft")
    scheduled(connected)
    assert set(Order.objects.values_list("order_metadata__salesforce_id", flat=True)) == {first}
    # Between polls: a new order, and the draft becomes Activated (it now matches).
    second = factory.order(items=1)
    factory.sf.Order.update(draft, {"Status": "Activated"})
    factory.sf.Order.update(first, {"Description": "changed after import"})
    scheduled(connected)
    scheduled(connected)
    ids = list(Order.objects.values_list("order_metadata__salesforce_id", flat=True))
    assert sorted(ids) == sorted([first, second, draft])
    # A record that changed after import does not overwrite the order.
    assert Order.objects.get(order_metadata__salesforce_id=first).order_notes == []


def test_next_check_is_scheduled_and_manual_only_has_none(connected):
    configure(connected, check_interval_minutes=30)
    connected.refresh_from_db()
    assert connected.next_check_at is not None
    configure(connected, check_interval_minutes=0)
    connected.refresh_from_db()
    assert connected.next_check_at is None


def test_manual_import_only_takes_records_created_since_the_date(connected, factory, org):
    from datetime import UTC, datetime

    org.set_clock(datetime(2024, 1, 10, 12, tzinfo=UTC))
    old = factory.order(items=1)
    org.set_clock(datetime(2024, 3, 10, 12, tzinfo=UTC))
    new = factory.order(items=1)
    assert importer.preview_count(connected, date(2024, 2, 1)) == 1
    run_import(connected, since=date(2024, 2, 1))
    assert list(Order.objects.values_list("order_metadata__salesforce_id", flat=True)) == [new]
    assert old != new


def test_manual_import_runs_as_a_background_job(connected, factory):
    from orderhub.jobs.queue import run_due_jobs

    factory.order(items=1)
    run = importer.start_manual_import(connected, LONG_AGO, actor=None, expected=1)
    assert run.status == ImportRun.Status.QUEUED
    assert run_due_jobs() == 1
    run.refresh_from_db()
    assert (run.status, run.imported, run.pages) == (ImportRun.Status.SUCCEEDED, 1, 1)
    assert run.api_calls >= 3


def test_api_calls_stay_within_the_budget(connected, org):
    org.seed(orders=300, items_per_order=3, seed=7)
    configure(connected)
    org.reset_api_calls()
    run = run_import(connected)
    # Describe of the two objects (+ parents on first use), one query per 2,000 records,
    # and the child locators of orders with more items than fit inline.
    assert run.imported == Order.objects.count() > 0
    assert org.api_calls() == run.api_calls
    assert run.api_calls <= 1 + 5 + 1


def test_a_mapped_field_deleted_in_salesforce_stops_the_run_with_a_message(
    connected, factory, org, client, user
):
    from orderhub.integrations.models import StoreIntegration

    factory.order(items=1, Gift_Message__c="Hello")
    configure(
        connected,
        custom_order_fields=[
            {"field": "Gift_Message__c", "destination": "checkout_data", "key": "Gift Message"}
        ],
    )
    assert run_import(connected).imported == 1
    org.remove_field("Order", "Gift_Message__c")  # an admin deletes it in Setup
    factory.order(items=1)
    run = ImportRun.objects.create(
        integration=connected, trigger=ImportRun.Trigger.COMMAND, since=LONG_AGO
    )
    run = importer.execute(run)
    assert run.status == ImportRun.Status.FAILED
    assert run.error == (
        "Field Gift_Message__c no longer exists on Order — update Custom Order Fields"
    )
    assert run.imported == 0 and Order.objects.count() == 1
    connected.refresh_from_db()
    assert connected.status == StoreIntegration.Status.ERROR
    # The settings page flags the row that needs fixing.
    client.force_login(user)
    page = client.get(f"/stores/{connected.store_id}/integrations/salesforce/")
    assert 'data-testid="row-error"' in page.content.decode()
    assert "Order has no field Gift_Message__c" in page.content.decode()


def test_a_value_too_long_for_orderhub_fails_that_record_only(connected, factory):
    long_number = "N" * 300
    bad = factory.order(items=1, Description=long_number)
    good = factory.order(items=1, Description="short")
    configure(connected, order_number_field="Description")
    run = run_import(connected)
    assert (run.imported, run.failed) == (1, 1)
    assert list(Order.objects.values_list("order_metadata__salesforce_id", flat=True)) == [good]
    failure = run.failures.get()
    assert failure.record_id == bad
    assert failure.reason == "source_id: 300 characters, at most 255"


def test_a_failed_record_is_retried_by_id_and_its_failure_resolved(connected, factory):
    bad = factory.order(items=1, Description="N" * 300)
    factory.order(items=1, Description="short")
    configure(connected, order_number_field="Description")
    first = scheduled(connected)
    assert (first.imported, first.failed) == (1, 1)
    # Fixed on OrderHub's side: the record did not change in Salesforce, so only its Id
    # brings it back into the next check.
    configure(connected, order_number_field="")
    second = scheduled(connected)
    assert (second.imported, second.failed) == (1, 0)
    assert Order.objects.filter(order_metadata__salesforce_id=bad).count() == 1
    assert list(ImportFailure.objects.values_list("record_id", "resolved")) == [(bad, True)]
    third = scheduled(connected)  # the lookback window re-reads both: skipped, not failed
    assert (third.imported, third.failed) == (0, 0)
