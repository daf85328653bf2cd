"""GET /orders parameters: dates in UTC or store time, folder id lists, sort checks."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from orderhub.api.errors import BadRequest
from orderhub.api.order_search import OrderListParams, _folder_ids, _when
from orderhub.stores.models import Store

NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("text", "zone", "end", "expected"),
    [
        ("2015-04-15 12:05:06", UTC, False, datetime(2015, 4, 15, 12, 5, 6, tzinfo=UTC)),
        ("2015-04-15", UTC, False, datetime(2015, 4, 15, tzinfo=UTC)),
        ("2015-04-15", UTC, True, datetime(2015, 4, 15, 23, 59, 59, 999999, tzinfo=UTC)),
        ("2015-04-15 12:05", UTC, False, datetime(2015, 4, 15, 12, 5, tzinfo=UTC)),
        ("2015-04-15T12:05:06", UTC, False, datetime(2015, 4, 15, 12, 5, 6, tzinfo=UTC)),
        ("2015-04-15 20:00:00", NEW_YORK, False, datetime(2015, 4, 16, 0, 0, tzinfo=UTC)),
        ("2015-01-15 20:00:00", NEW_YORK, False, datetime(2015, 1, 16, 1, 0, tzinfo=UTC)),
        ("2015-04-15T12:00:00+02:00", NEW_YORK, False, datetime(2015, 4, 15, 10, 0, tzinfo=UTC)),
        ("2015-04-15T12:00:00Z", NEW_YORK, False, datetime(2015, 4, 15, 12, 0, tzinfo=UTC)),
        ("  ", UTC, False, None),
    ],
)
def test_dates(text, zone, end, expected):
    assert _when("search_start_date", text, zone, end=end) == expected


@pytest.mark.parametrize("text", ["yesterday", "2015-02-30", "15/04/2015", "2015-04-15 25:00"])
def test_bad_dates_name_the_parameter(text):
    with pytest.raises(BadRequest) as error:
        _when("modified_end_date", text, UTC, end=True)
    assert error.value.message.startswith(f"modified_end_date: {text!r} is not a date")


def test_folder_ids():
    assert _folder_ids("1004,1009, 1010") == [1004, 1009, 1010]
    assert _folder_ids("") == [] and _folder_ids(None) == []
    for bad in ("1,,2", "x", "-3", str(2**64)):
        with pytest.raises(BadRequest, match="folder_id"):
            _folder_ids(bad)


def test_local_and_utc_bounds_combine_to_the_narrower_range():
    store = Store(name="S", timezone="America/New_York")
    params = OrderListParams(
        search_start_date="2024-01-01 00:00:00",
        search_start_date_local="2024-01-01 00:00:00",  # 05:00 UTC, the later start
        search_end_date="2024-01-31",
        search_end_date_local="2024-01-10",
        order="asc",
        customer_last_name="Dean",
    )
    search = params.to_search(store)
    assert search.added_from == datetime(2024, 1, 1, 5, 0, tzinfo=UTC)
    assert search.added_to == datetime(2024, 1, 11, 4, 59, 59, 999999, tzinfo=UTC)
    assert search.descending is False
    assert search.address == {"customer_last_name": "Dean"}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"order": "up"}, "order: must be ASC or DESC"),
        ({"order_by": "checkout_data"}, "order_by: 'checkout_data' is not an order field"),
        ({"order_by": "store_id"}, "order_by: 'store_id' is not an order field"),
    ],
)
def test_bad_sorting_is_refused(params, message):
    with pytest.raises(BadRequest) as error:
        OrderListParams(**params).to_search(Store(name="S"))
    assert error.value.message == message
