"""SalesforceSettings: what can be checked without Salesforce."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from orderhub.integrations.salesforce.config import SalesforceSettings
from orderhub.integrations.salesforce.validation import FilterValueError, typed_filter_value


def test_defaults_are_the_standard_pair():
    settings = SalesforceSettings()
    assert (settings.order_object, settings.order_item_object) == ("Order", "OrderItem")
    assert settings.is_standard_pair and settings.check_interval_minutes == 15


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"check_interval_minutes": 7}, "check_interval_minutes"),
        ({"order_prefix": "X" * 21}, "order_prefix"),
        ({"order_prefix": "SF\n"}, "order_prefix"),
        ({"unknown_key": 1}, "unknown_key"),
        (
            {"custom_order_fields": [{"field": "A", "destination": "variation", "key": "k"}]},
            "custom_order_fields[0].destination",
        ),
        ({"custom_item_fields": [{"field": " ", "destination": "variation", "key": "k"}]}, "field"),
    ],
)
def test_bad_settings_name_the_setting(data, problem):
    with pytest.raises(ValidationError) as error:
        SalesforceSettings.model_validate(data)
    assert problem in str(error.value)


PICKLIST = {
    "name": "Status",
    "type": "picklist",
    "picklistValues": [{"value": "Draft", "active": True}, {"value": "Activated", "active": True}],
}


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ({"name": "Is_Gift__c", "type": "boolean"}, "yes", True),
        ({"name": "Is_Gift__c", "type": "boolean"}, False, False),
        ({"name": "Priority__c", "type": "double"}, "2", 2),
        ({"name": "Priority__c", "type": "double"}, "2.5", 2.5),
        ({"name": "Ship_By_Date__c", "type": "date"}, "2024-05-01", "2024-05-01"),
        ({"name": "X", "type": "datetime"}, "2024-05-01T10:00:00+00:00", "2024-05-01T10:00:00Z"),
        (PICKLIST, "Activated", "Activated"),
        ({"name": "Channel__c", "type": "string"}, "  web ", "web"),
    ],
)
def test_typed_filter_values(field, value, expected):
    assert typed_filter_value(field, value) == expected


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ({"name": "Is_Gift__c", "type": "boolean"}, "maybe", "true or false"),
        ({"name": "Priority__c", "type": "double"}, "high", "is not one"),
        ({"name": "Ship_By_Date__c", "type": "date"}, "05/01/2024", "YYYY-MM-DD"),
        (PICKLIST, "Shipped", "choose one of: Draft, Activated"),
        ({"name": "Channel__c", "type": "string"}, None, "Choose the value"),
    ],
)
def test_bad_filter_values_say_what_to_do(field, value, message):
    with pytest.raises(FilterValueError, match=message):
        typed_filter_value(field, value)
