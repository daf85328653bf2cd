"""The gateway's read-ahead: the next query page is asked for while the caller works on
this one, and the pages, their order and the handling of failures stay what they were."""

from __future__ import annotations

import itertools
import time

import pytest

from orderhub.integrations.salesforce.connection import gateway_for

pytestmark = pytest.mark.django_db
SOQL = "SELECT Id FROM Order ORDER BY Id"
LOCATORS = "*/query/01g*"  # nextRecordsUrl requests, not the first query


@pytest.fixture
def gateway(connected, org, settings):
    settings.ORDERHUB_SALESFORCE_BATCH_SIZE = 200
    settings.ORDERHUB_SALESFORCE_BACKOFF_SECONDS = 0.01
    org.seed(orders=700, items_per_order=1, seed=3)
    return gateway_for(connected)


def ids(pages) -> list[str]:
    return [record["Id"] for page in pages for record in page["records"]]


def becomes_true(check, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.02)
    return False


def test_the_next_page_is_requested_while_the_caller_holds_this_one(gateway, org):
    expected = ids(gateway.query_pages(SOQL))
    assert len(expected) == 700
    org.reset_api_calls()
    pages = gateway.query_pages(SOQL, read_ahead=True)
    first = next(pages)
    # Page 2 reaches Salesforce although the caller has not asked for it yet.
    assert becomes_true(lambda: org.api_calls(path=LOCATORS) == 1)
    assert ids(itertools.chain([first], pages)) == expected
    assert org.api_calls(path=LOCATORS) == 3  # 700 records, 200 a page: one request each


def test_a_page_read_ahead_that_failed_is_asked_again_by_the_caller(gateway, org):
    expected = ids(gateway.query_pages(SOQL))
    sent_before = gateway.calls
    org.add_fault("drop", path=LOCATORS, times=2)  # the connection drops on two page reads
    assert ids(gateway.query_pages(SOQL, read_ahead=True)) == expected
    assert gateway.calls - sent_before == 4 + 2  # four pages, two of them read twice


def test_a_session_expired_under_the_read_ahead_is_refreshed_once(gateway, org):
    pages = gateway.query_pages(SOQL, read_ahead=True)
    first = next(pages)
    assert becomes_true(lambda: org.api_calls(path=LOCATORS) == 1)  # page 2 already read
    org.expire_sessions()  # page 3, read ahead once page 2 is handed over, meets a 401
    rest = list(pages)
    assert len(ids([first, *rest])) == 700
