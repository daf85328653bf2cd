"""The REST API driven by unmodified simple-salesforce over HTTPS, trusting the generated CA."""

from datetime import UTC, datetime, timedelta

import pytest
import requests
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import (
    SalesforceExpiredSession,
    SalesforceMalformedRequest,
    SalesforceRefusedRequest,
    SalesforceResourceNotFound,
)

pytestmark = pytest.mark.emulator

ORDER_QUERY = (
    "SELECT Id, OrderNumber, Status, TotalAmount, Account.Name, "
    "(SELECT Id, Quantity, UnitPrice, Product2.Name FROM OrderItems) FROM Order ORDER BY OrderNumber"
)


def test_query_shapes_and_nested_results(sf):
    result = sf.query(ORDER_QUERY)
    assert result["totalSize"] == 30 and result["done"] is True
    first = result["records"][0]
    assert first["attributes"]["url"] == f"/services/data/v59.0/sobjects/Order/{first['Id']}"
    assert first["Account"]["attributes"]["type"] == "Account" and first["Account"]["Name"]
    assert first["OrderItems"]["totalSize"] == 3
    assert first["OrderItems"]["records"][0]["Product2"]["Name"]
    empty = next(
        r for r in result["records"] if r["OrderNumber"] == "00000119"
    )  # every 20th has no items
    assert empty["OrderItems"] is None


def test_query_all_iter_and_query_more_follow_locators(sf):
    headers = {"Sforce-Query-Options": "batchSize=200"}
    first = sf.query("SELECT Id FROM OrderItem ORDER BY Id", headers=headers)
    assert len(first["records"]) == 200 and not first["done"]
    again = sf.query_more(first["nextRecordsUrl"], identifier_is_url=True)
    second = sf.query_more(first["nextRecordsUrl"].rsplit("/", 1)[1])  # a bare locator works too
    assert again == second and second["done"] and len(second["records"]) == 134
    assert second["records"][0]["Id"] > first["records"][-1]["Id"]
    everything = list(sf.query_all_iter("SELECT Id FROM OrderItem"))
    assert len(everything) == first["totalSize"] == 3 * 28 + 250


def test_child_locator_for_an_order_with_250_items(sf):
    result = sf.query(
        "SELECT Id, (SELECT Id, Quantity FROM OrderItems ORDER BY Id) FROM Order WHERE OrderNumber = '00000101'"
    )
    child = result["records"][0]["OrderItems"]
    assert child["totalSize"] == 250 and child["done"] is False and len(child["records"]) == 200
    rest = sf.query_more(child["nextRecordsUrl"], identifier_is_url=True)
    assert rest["done"] and len(rest["records"]) == 50
    ids = [r["Id"] for r in child["records"] + rest["records"]]
    assert ids == sorted(ids) and len(set(ids)) == 250


def test_inline_child_cap_is_configurable(sf_org, sf):
    sf_org.settings(child_inline_cap=2)
    result = sf.query(
        "SELECT Id, (SELECT Id FROM OrderItems) FROM Order WHERE OrderNumber = '00000100'"
    )
    assert len(result["records"][0]["OrderItems"]["records"]) == 2


def test_soql_errors_come_back_as_salesforce_errors(sf):
    with pytest.raises(SalesforceMalformedRequest) as info:
        sf.query("SELECT Id FROM Order WHERE Status = 'Draft' AND Name = 'x' OR Id = null")
    assert info.value.content[0]["errorCode"] == "MALFORMED_QUERY"
    with pytest.raises(SalesforceMalformedRequest) as info:
        sf.query("SELECT Nope__c FROM Order")
    assert info.value.content[0]["errorCode"] == "INVALID_FIELD"
    with pytest.raises(SalesforceMalformedRequest) as info:
        sf.query("SELECT Id FROM Nope__c")
    assert info.value.content[0]["errorCode"] == "INVALID_TYPE"


def test_describe(sf):
    names = {o["name"] for o in sf.describe()["sobjects"]}
    assert {"Order", "OrderItem", "Sales_Order__c"} <= names
    order = sf.Order.describe()
    assert any(r["relationshipName"] == "OrderItems" for r in order["childRelationships"])
    assert sf.Order.metadata()["objectDescribe"]["keyPrefix"] == "801"


def test_record_crud(sf):
    account = sf.query("SELECT Id FROM Account LIMIT 1")["records"][0]["Id"]
    created = sf.Order.create(
        {"AccountId": account, "EffectiveDate": "2024-05-05", "Gift_Message__c": "Hi"}
    )
    assert created["success"] and created["id"].startswith("801") and len(created["id"]) == 18
    assert sf.Order.update(created["id"], {"Tracking_Number__c": "1Z999AA10123456784"}) == 204
    record = sf.Order.get(created["id"][:15])
    assert record["Tracking_Number__c"] == "1Z999AA10123456784" and record["Status"] == "Draft"
    assert record["ShippingAddress"] is None
    assert sf.Order.delete(created["id"]) == 204
    with pytest.raises(SalesforceResourceNotFound) as info:
        sf.Order.get(created["id"])
    assert info.value.content[0]["errorCode"] == "ENTITY_IS_DELETED"
    with pytest.raises(SalesforceResourceNotFound):
        sf.Order.get("8018d00000ZZZZZAAA")
    with pytest.raises(SalesforceMalformedRequest) as info:
        sf.Order.create({"AccountId": account})
    assert info.value.content == [
        {"message": "Required fields are missing: [EffectiveDate]", "errorCode": "REQUIRED_FIELD_MISSING",
         "fields": ["EffectiveDate"]}
    ]  # fmt: skip


def test_collections_with_all_or_none(sf, sf_org):
    orders = sf.query("SELECT Id FROM Order ORDER BY OrderNumber LIMIT 2")["records"]
    body = {
        "allOrNone": True,
        "records": [
            {"attributes": {"type": "Order"}, "id": orders[0]["Id"], "Tracking_Number__c": "T1"},
            {"attributes": {"type": "Order"}, "id": orders[1]["Id"], "Status": "Shipped"},
        ],
    }
    results = sf.restful("composite/sobjects", method="PATCH", json=body)
    assert results[0]["errors"][0]["statusCode"] == "ALL_OR_NONE_OPERATION_ROLLED_BACK"
    assert results[1]["errors"][0]["statusCode"] == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"
    assert sf_org.record("Order", orders[0]["Id"])["Tracking_Number__c"] is None
    body["allOrNone"] = False
    results = sf.restful("composite/sobjects", method="PATCH", json=body)
    assert results[0] == {"id": orders[0]["Id"], "success": True, "errors": []}
    assert sf_org.record("Order", orders[0]["Id"])["Tracking_Number__c"] == "T1"
    deleted = sf.restful("composite/sobjects", method="DELETE", params={"ids": orders[1]["Id"]})
    assert deleted[0]["success"]


def test_composite_with_references(sf):
    account = sf.query("SELECT Id FROM Account LIMIT 1")["records"][0]["Id"]
    entry = sf.query("SELECT Id FROM PricebookEntry LIMIT 1")["records"][0]["Id"]
    body = {
        "allOrNone": True,
        "compositeRequest": [
            {"method": "POST", "url": "/services/data/v59.0/sobjects/Order", "referenceId": "ord",
             "body": {"AccountId": account, "EffectiveDate": "2024-06-01"}},
            {"method": "POST", "url": "/services/data/v59.0/sobjects/OrderItem", "referenceId": "item",
             "body": {"OrderId": "@{ord.id}", "PricebookEntryId": entry, "Quantity": 2, "UnitPrice": 3}},
            {"method": "GET", "url": "/services/data/v59.0/sobjects/Order/@{ord.id}?fields=TotalAmount",
             "referenceId": "read"},
        ],
    }  # fmt: skip
    responses = sf.restful("composite", method="POST", json=body)["compositeResponse"]
    assert [r["httpStatusCode"] for r in responses] == [201, 201, 200]
    assert responses[2]["body"]["TotalAmount"] == 6.0
    body["compositeRequest"][1]["body"]["Quantity"] = "lots"
    responses = sf.restful("composite", method="POST", json=body)["compositeResponse"]
    assert responses[0]["body"][0]["errorCode"] == "PROCESSING_HALTED"
    assert responses[1]["body"][0]["errorCode"] == "JSON_PARSER_ERROR"


def test_updated_and_deleted(sf, sf_org):
    start = datetime.now(UTC) - timedelta(minutes=5)
    end = datetime.now(UTC) + timedelta(minutes=5)
    order = sf.query("SELECT Id FROM Order LIMIT 1")["records"][0]["Id"]
    sf.Order.delete(order)
    updated = sf.Order.updated(start, end)
    assert order not in updated["ids"] and len(updated["ids"]) == 29
    deleted = sf.Order.deleted(start, end)
    assert [d["id"] for d in deleted["deletedRecords"]] == [order]


def test_versions_resources_and_trailing_slashes(sf_org, sf):
    session = sf_org.requests_session()
    listing = session.get(f"{sf_org.instance_url}/services/data/")
    assert listing.headers["Sforce-Limit-Info"].startswith("api-usage=")
    versions = listing.json()
    assert versions[0]["version"] == "52.0" and versions[-1]["version"] == "62.0"
    assert "sobjects" in sf.restful("")
    headers = {"Authorization": f"Bearer {sf.session_id}"}
    assert (
        session.get(
            f"{sf_org.instance_url}/services/data/v62.0/limits/", headers=headers
        ).status_code
        == 200
    )
    latest = session.get(f"{sf_org.instance_url}/services/data/latest/limits", headers=headers)
    assert latest.status_code == 200 and "DailyApiRequests" in latest.json()
    missing = session.get(f"{sf_org.instance_url}/services/data/v99.0/limits", headers=headers)
    assert missing.status_code == 404 and missing.json()[0]["errorCode"] == "NOT_FOUND"


def test_limits_usage_header_and_request_limit(sf_org, sf):
    sf.query("SELECT Id FROM Account LIMIT 1")
    used, limit = sf_org.api_usage()
    assert sf.api_usage["api-usage"].used == used and sf.api_usage["api-usage"].total == limit
    assert sf.limits()["DailyApiRequests"]["Remaining"] == limit - used - 1
    sf_org.set_api_usage(limit)
    with pytest.raises(SalesforceRefusedRequest) as info:
        sf.query("SELECT Id FROM Account LIMIT 1")
    assert info.value.content[0]["errorCode"] == "REQUEST_LIMIT_EXCEEDED"


def test_session_expiry(sf_org):
    token = sf_org.login()
    direct = Salesforce(
        instance_url=sf_org.instance_url, session_id=token, session=sf_org.requests_session()
    )
    direct.query("SELECT Id FROM Account LIMIT 1")
    sf_org.expire_sessions()
    with pytest.raises(SalesforceExpiredSession) as info:
        direct.query("SELECT Id FROM Account LIMIT 1")
    assert info.value.content == [
        {"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID", "fields": []}
    ]
    relogging = sf_org.salesforce()  # username/password mode logs in again by itself on 401
    sf_org.expire_sessions()
    assert relogging.query("SELECT COUNT() FROM Account")["totalSize"] == 5


def test_tokens_expire_after_the_ttl(sf_org):
    sf_org.settings(session_ttl_seconds=60)
    direct = Salesforce(
        instance_url=sf_org.instance_url,
        session_id=sf_org.login(),
        session=sf_org.requests_session(),
    )
    sf_org.set_clock(datetime.now(UTC))
    sf_org.advance_clock(timedelta(seconds=61))
    with pytest.raises(SalesforceExpiredSession):
        direct.query("SELECT Id FROM Account LIMIT 1")


def test_api_calls_are_counted(sf_org, sf):
    sf_org.reset_api_calls()
    sf.query("SELECT Id FROM Account")
    sf.query("SELECT Id FROM Order")
    sf.Order.describe()
    assert sf_org.api_calls() == 3
    assert sf_org.api_calls("*/query") == 2
    assert sf_org.api_calls(method="GET") == 3


def test_direct_data_access_is_not_counted(sf_org):
    sf_org.reset_api_calls()
    orders = sf_org.records("Order")
    assert (
        len(orders) == 30
        and orders[0]["IsDeleted"] is False
        and orders[0]["Is_Gift__c"] in (True, False)
    )
    first = orders[0]["Id"]
    items = sf_org.records("OrderItem", where=f"OrderId = '{first}'")
    assert len(items) == 3 and {i["OrderId"] for i in items} == {first}
    assert sf_org.record("Order", first)["OrderNumber"] == orders[0]["OrderNumber"]
    assert sf_org.record("Order", "bad'id") is None
    rows = sf_org.query(
        "SELECT Id, (SELECT Id FROM OrderItems) FROM Order WHERE OrderNumber = '00000100'"
    )
    assert rows[0]["OrderItems"]["totalSize"] == 3
    assert sf_org.api_calls() == 0


def test_unknown_path_is_a_json_404(sf_org):
    response = requests.Session()
    response.trust_env = False
    r = response.get(f"{sf_org.instance_url}/nope", verify=sf_org.ca_cert)
    assert r.status_code == 404 and r.json()[0]["errorCode"] == "NOT_FOUND"


def test_external_id_get_and_upsert(sf, sf_org):
    account = sf.query("SELECT Id FROM Account LIMIT 1")["records"][0]["Id"]
    created = sf.Order.upsert(
        "External_Order_Id__c/WEB-1001", {"AccountId": account, "EffectiveDate": "2024-07-01"}
    )
    assert created == 201
    assert (
        sf.Order.get_by_custom_id("External_Order_Id__c", "WEB-1001")["EffectiveDate"]
        == "2024-07-01"
    )
    updated = sf.Order.upsert("External_Order_Id__c/WEB-1001", {"Tracking_Number__c": "TRK 1"})
    assert updated == 200
    [row] = sf_org.records("Order", where="External_Order_Id__c = 'WEB-1001'")
    assert row["Tracking_Number__c"] == "TRK 1"
    with pytest.raises(SalesforceResourceNotFound):
        sf.Order.get_by_custom_id("Name", "x")
    assert sf.restful("sobjects/Order/External_Order_Id__c/WEB-1001", method="DELETE") is None
    with pytest.raises(SalesforceResourceNotFound):
        sf.Order.get_by_custom_id("External_Order_Id__c", "WEB-1001")


def test_request_size_limits(sf):
    too_many = {
        "records": [{"attributes": {"type": "Account"}, "Name": f"A{i}"} for i in range(201)]
    }
    with pytest.raises(SalesforceMalformedRequest) as info:
        sf.restful("composite/sobjects", method="POST", json=too_many)
    assert info.value.content[0]["errorCode"] == "EXCEEDED_ID_LIMIT"
    subrequests = [
        {"method": "GET", "url": "/services/data/v59.0/limits", "referenceId": f"r{i}"}
        for i in range(26)
    ]
    with pytest.raises(SalesforceMalformedRequest):
        sf.restful("composite", method="POST", json={"compositeRequest": subrequests})


def test_bad_json_is_a_json_parser_error(sf_org, sf):
    session = sf_org.requests_session()
    response = session.post(
        f"{sf_org.instance_url}/services/data/v59.0/sobjects/Account/",
        data="{not json",
        headers={"Authorization": f"Bearer {sf.session_id}", "Content-Type": "application/json"},
    )
    assert response.status_code == 400 and response.json()[0]["errorCode"] == "JSON_PARSER_ERROR"
    wrong_method = session.put(
        f"{sf_org.instance_url}/services/data/v59.0/sobjects/Account/",
        headers={"Authorization": f"Bearer {sf.session_id}"},
    )
    assert (
        wrong_method.status_code == 405
        and wrong_method.json()[0]["errorCode"] == "METHOD_NOT_ALLOWED"
    )


def test_records_filter_by_field_values(sf_org):
    activated = sf_org.records("Order", Status="Activated")
    assert activated and all(r["Status"] == "Activated" for r in activated)
    gifts = sf_org.records("Order", Is_Gift__c=True, EffectiveDate="2024-01-01")
    assert [r["OrderNumber"] for r in gifts] == ["00000100"]
    assert sf_org.records("Account", Name="O'Brien & Sons")[0]["Name"] == "O'Brien & Sons"
    assert sf_org.records("Order", where="Status = 'Draft'", Is_Gift__c=False)


def test_organization_record(sf, sf_org):
    [org] = sf.query("SELECT Id, Name, IsSandbox FROM Organization")["records"]
    assert org["Id"] == sf_org.info()["org_id"] and org["IsSandbox"] is False
    with pytest.raises(SalesforceMalformedRequest):
        sf.Organization.create({"Name": "x"})


def test_conditional_describe_and_last_modified(sf_org, sf):
    session = sf_org.requests_session()
    headers = {"Authorization": f"Bearer {sf.session_id}"}
    url = f"{sf_org.instance_url}/services/data/v59.0/sobjects/Order/describe"
    first = session.get(url, headers=headers)
    assert first.status_code == 200
    again = session.get(
        url, headers={**headers, "If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert again.status_code == 304
    stale = session.get(
        url, headers={**headers, "If-Modified-Since": "Wed, 03 Jul 2013 19:43:09 GMT"}
    )
    assert stale.status_code == 200
    order = sf.query("SELECT Id FROM Order LIMIT 1")["records"][0]["Id"]
    record = session.get(
        f"{sf_org.instance_url}/services/data/v59.0/sobjects/Order/{order}", headers=headers
    )
    assert record.headers["Last-Modified"].endswith("GMT")


def test_composite_tree_creates_an_order_with_items(sf, sf_org):
    account = sf.query("SELECT Id FROM Account LIMIT 1")["records"][0]["Id"]
    entry = sf.query("SELECT Id FROM PricebookEntry LIMIT 1")["records"][0]["Id"]
    item = {"attributes": {"type": "OrderItem", "referenceId": "item1"}, "PricebookEntryId": entry,
            "Quantity": 1, "UnitPrice": 2}  # fmt: skip
    body = {"records": [{"attributes": {"type": "Order", "referenceId": "ord1"}, "AccountId": account,
                         "EffectiveDate": "2024-08-01", "OrderItems": {"records": [item]}}]}  # fmt: skip
    result = sf.restful("composite/tree/Order", method="POST", json=body)
    assert result["hasErrors"] is False and [r["referenceId"] for r in result["results"]] == [
        "ord1",
        "item1",
    ]
    order_id = result["results"][0]["id"]
    assert sf_org.record("Order", order_id)["TotalAmount"] == 2.0
    before = len(sf_org.records("Order"))
    item["Quantity"] = "many"
    with pytest.raises(SalesforceMalformedRequest) as info:
        sf.restful("composite/tree/Order", method="POST", json=body)
    assert info.value.content["hasErrors"] is True
    assert info.value.content["results"][0]["referenceId"] == "item1"
    assert len(sf_org.records("Order")) == before  # all or nothing


def test_composite_batch(sf):
    order = sf.query("SELECT Id FROM Order LIMIT 1")["records"][0]["Id"]
    body = {
        "haltOnError": True,
        "batchRequests": [
            {
                "method": "PATCH",
                "url": f"v59.0/sobjects/Order/{order}",
                "richInput": {"Tracking_Number__c": "B1"},
            },
            {"method": "GET", "url": f"v59.0/sobjects/Order/{order}?fields=Tracking_Number__c"},
            {
                "method": "PATCH",
                "url": f"v59.0/sobjects/Order/{order}",
                "richInput": {"Status": "Lost"},
            },
            {"method": "GET", "url": "v59.0/query?q=SELECT+Id+FROM+Account"},
        ],
    }
    result = sf.restful("composite/batch", method="POST", json=body)
    assert result["hasErrors"] is True
    assert [r["statusCode"] for r in result["results"]] == [204, 200, 400, 412]
    assert result["results"][1]["result"]["Tracking_Number__c"] == "B1"


def test_long_soql_in_the_query_string(sf):
    ids = ", ".join(f"'8018d{n:010x}AAA'" for n in range(1500))
    result = sf.query(f"SELECT Id FROM Order WHERE Id IN ({ids})")
    assert result["done"] is True
