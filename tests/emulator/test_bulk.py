"""Bulk API 2.0 query jobs through simple-salesforce's bulk2 handler."""

import csv
import io

import pytest
from simple_salesforce.exceptions import SalesforceMalformedRequest

pytestmark = pytest.mark.emulator


def rows(pages):
    out = []
    for page in pages:
        out += list(csv.DictReader(io.StringIO(page)))
    return out


def test_bulk_query_pages_csv(sf_org, sf):
    sf_org.settings(bulk_job_delay_seconds=0)
    pages = list(sf.bulk2.Order.query(
        "SELECT Id, OrderNumber, Is_Gift__c, CreatedDate, Account.Name FROM Order ORDER BY OrderNumber",
        max_records=12, wait=0.05))  # fmt: skip
    assert len(pages) == 3
    records = rows(pages)
    assert len(records) == 30
    assert list(records[0]) == ["Id", "OrderNumber", "Is_Gift__c", "CreatedDate", "Account.Name"]
    assert records[0]["OrderNumber"] == "00000100" and records[0]["Is_Gift__c"] in ("true", "false")
    assert records[0]["CreatedDate"].endswith("+0000")


def test_bulk_job_lifecycle(sf_org, sf):
    sf_org.settings(bulk_job_delay_seconds=30)
    session = sf_org.requests_session()
    headers = {"Authorization": f"Bearer {sf.session_id}", "Content-Type": "application/json"}
    base = f"{sf_org.instance_url}/services/data/v59.0/jobs/query"
    job = session.post(
        base, json={"operation": "query", "query": "SELECT Id FROM Order"}, headers=headers
    ).json()
    assert job["state"] == "UploadComplete" and job["id"].startswith("750")
    assert session.get(f"{base}/{job['id']}", headers=headers).json()["state"] == "InProgress"
    early = session.get(f"{base}/{job['id']}/results", headers=headers)
    assert early.status_code == 412 and early.json()[0]["errorCode"] == "JOB_NOT_COMPLETE"
    aborted = session.patch(
        f"{base}/{job['id']}", json={"state": "Aborted"}, headers=headers
    ).json()
    assert aborted["state"] == "Aborted"
    assert session.delete(f"{base}/{job['id']}", headers=headers).status_code == 204
    assert session.get(f"{base}/{job['id']}", headers=headers).status_code == 404


@pytest.mark.parametrize(
    "soql",
    [
        "SELECT Id, (SELECT Id FROM OrderItems) FROM Order",
        "SELECT COUNT() FROM Order",
        "SELECT Id FROM Order LIMIT 5 OFFSET 2",
        "SELECT BillingAddress FROM Account",
    ],
)
def test_bulk_refuses_what_salesforce_refuses(sf, soql):
    with pytest.raises(SalesforceMalformedRequest):
        next(iter(sf.bulk2.Order.query(soql, wait=0.05)))
