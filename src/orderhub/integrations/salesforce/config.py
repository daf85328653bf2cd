"""SalesforceSettings: the settings page's model, and the JSON keys scripts rely on.

This model checks what can be checked without Salesforce (types, choices, lengths).
Names of objects and fields are checked against the org's describe data in
`validation.py` before anything is saved.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

CHECK_INTERVALS = {
    0: "Manual only",
    5: "Every 5 minutes",
    10: "Every 10 minutes",
    15: "Every 15 minutes",
    30: "Every 30 minutes",
    60: "Every hour",
    120: "Every 2 hours",
    360: "Every 6 hours",
    720: "Every 12 hours",
    1440: "Every 24 hours",
}
ORDER_DESTINATIONS = ("checkout_data", "metadata")
ITEM_DESTINATIONS = ("item_metadata", "variation")
DEFAULT_VISIBLE_OBJECTS = ("Order", "OrderItem", "Opportunity", "OpportunityLineItem")
# The pairs OrderHub knows how to map without help (docs/salesforce.md, "Default mapping").
STANDARD_PAIRS = {("Order", "OrderItem"), ("Opportunity", "OpportunityLineItem")}


class FieldMapping(BaseModel):
    model_config = ConfigDict(extra="forbid")

    field: str = Field(min_length=1, max_length=255)
    destination: Literal["checkout_data", "metadata", "item_metadata", "variation"]
    key: str = Field(min_length=1, max_length=100)

    @field_validator("field", "key")
    @classmethod
    def stripped(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("cannot be empty")
        return value


class SalesforceSettings(BaseModel):
    """Every setting of the Salesforce integration (names are part of the interface)."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    check_interval_minutes: int = 15
    folder_id: int | None = None
    order_object: str = "Order"
    order_item_object: str = "OrderItem"
    # Kept from describe when the pair is saved: the child relationship for the subquery.
    item_relationship: str = "OrderItems"
    filter_field: str = ""
    filter_value: str | bool | int | float | None = None
    sync_tracking_numbers: bool = False
    order_prefix: str = Field(default="", max_length=20)
    shipment_details_field: str = ""
    advanced_enabled: bool = False
    rule_builder_order_objects: list[str] = Field(default_factory=list)
    rule_builder_item_objects: list[str] = Field(default_factory=list)
    custom_order_fields: list[FieldMapping] = Field(default_factory=list)
    custom_item_fields: list[FieldMapping] = Field(default_factory=list)
    # The essentials of an object pair OrderHub has no default mapping for.
    order_number_field: str = ""
    item_name_field: str = ""
    item_price_field: str = ""
    item_quantity_field: str = ""
    item_code_field: str = ""
    # Which org objects the two object dropdowns offer (the gear icon).
    visible_objects: list[str] = Field(default_factory=list)
    # Records changed up to this long before the cursor are read again, so a record whose
    # transaction committed late, or that shares the cursor's timestamp, is never missed.
    lookback_minutes: int = Field(default=5, ge=0, le=1440)

    @field_validator("check_interval_minutes")
    @classmethod
    def known_interval(cls, value: int) -> int:
        if value not in CHECK_INTERVALS:
            allowed = ", ".join(str(v) for v in CHECK_INTERVALS)
            raise ValueError(f"must be one of {allowed} (minutes; 0 = manual only)")
        return value

    @field_validator("order_prefix")
    @classmethod
    def printable_prefix(cls, value: str) -> str:
        if any(not ch.isprintable() for ch in value):
            raise ValueError("may contain only printable characters")
        return value

    @field_validator("order_object", "order_item_object")
    @classmethod
    def object_named(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("choose an object")
        return value

    @model_validator(mode="after")
    def destinations_fit(self) -> SalesforceSettings:
        for index, row in enumerate(self.custom_order_fields):
            if row.destination not in ORDER_DESTINATIONS:
                raise ValueError(
                    f"custom_order_fields[{index}].destination must be checkout_data or metadata"
                )
        for index, row in enumerate(self.custom_item_fields):
            if row.destination not in ITEM_DESTINATIONS:
                raise ValueError(
                    f"custom_item_fields[{index}].destination must be item_metadata or variation"
                )
        return self

    @property
    def is_standard_pair(self) -> bool:
        return (self.order_object, self.order_item_object) in STANDARD_PAIRS
