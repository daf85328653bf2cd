"""Injected faults reach simple-salesforce as a real org's failures would."""

import time

import pytest
import requests
from simple_salesforce.exceptions import SalesforceGeneralError, SalesforceMalformedRequest

pytestmark = pytest.mark.emulator

Q = "SELECT Id FROM Account LIMIT 1"


def test_server_unavailable_and_internal_error(sf_org, sf):
    sf_org.set_faults({"kind": "503", "path": "*/query", "times": 1})
    with pytest.raises(SalesforceGeneralError) as info:
        sf.query(Q)
    assert info.value.status == 503 and info.value.content[0]["errorCode"] == "SERVER_UNAVAILABLE"
    assert sf.query(Q)["totalSize"] == 1  # `times` used up
    sf_org.set_faults({"kind": "500", "path": "*/query"})
    with pytest.raises(SalesforceGeneralError) as info:
        sf.query(Q)
    assert info.value.status == 500 and info.value.content[0]["errorCode"] == "UNKNOWN_EXCEPTION"


def test_unable_to_lock_row_only_on_writes(sf_org, sf):
    order = sf.query("SELECT Id FROM Order LIMIT 1")["records"][0]["Id"]
    sf_org.set_faults({"kind": "lock", "path": "*/sobjects/Order/*", "methods": ["PATCH"]})
    with pytest.raises(SalesforceMalformedRequest) as info:
        sf.Order.update(order, {"Tracking_Number__c": "x"})
    assert info.value.content[0]["errorCode"] == "UNABLE_TO_LOCK_ROW"
    assert sf.Order.get(order)["Id"] == order


def test_dropped_connection(sf_org, sf):
    sf_org.set_faults({"kind": "drop", "path": "*/query", "times": 1})
    with pytest.raises(requests.exceptions.RequestException):
        sf.query(Q)
    assert sf.query(Q)["totalSize"] == 1


def test_latency_and_rate(sf_org, sf):
    sf_org.set_faults({"kind": "latency", "path": "*/query", "latency_ms": 300})
    began = time.perf_counter()
    sf.query(Q)
    assert time.perf_counter() - began >= 0.3
    sf_org.set_faults({"kind": "503", "path": "*/query", "rate": 0.5}, seed=3)
    outcomes = []
    for _ in range(40):
        try:
            sf.query(Q)
            outcomes.append(True)
        except SalesforceGeneralError:
            outcomes.append(False)
    assert 8 < outcomes.count(False) < 32


def test_faults_are_listed_and_cleared(sf_org):
    faults = sf_org.add_fault("503", "*/limits", rate=0.25)
    assert faults[0]["kind"] == "SERVER_UNAVAILABLE" and faults[0]["rate"] == 0.25
    sf_org.clear_faults()
    assert sf_org.set_faults() == []
