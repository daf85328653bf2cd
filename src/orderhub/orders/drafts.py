"""What a caller hands to `orders.services`: validated, typed order data.

The API parses Order Desk JSON into these models (tolerantly: `[]` for an empty map,
numbers as strings); pages and importers build them directly. Read-only totals are not
fields here, so they can never be taken from input.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from orderhub.orders.models import PAYMENT_STATUSES


def _empty_list_is_empty_map(value: Any) -> Any:
    # Order Desk's PHP backend serialises an empty key->value map as [].
    if value is None or value == [] or value == "":
        return {}
    return value


def _scalar_to_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, str):
        return _none_is_blank(value)
    raise ValueError("must be text or a number")


def _none_is_blank(value: Any) -> Any:
    if isinstance(value, str) and "\x00" in value:
        # PostgreSQL cannot store NUL in text; refuse it here, naming the field.
        raise ValueError("must not contain a NUL character")
    return "" if value is None else value


def _blank_is_zero(value: Any) -> Any:
    # Not `value in (None, "")`: comparing a Decimal with "" is slow, and imports do it a lot.
    return 0 if value is None or (isinstance(value, str) and value == "") else value


Text = Annotated[str, BeforeValidator(_none_is_blank)]
# Constraints before the BeforeValidator: so placed, pydantic-core checks them natively
# instead of in Python (2-3x faster, which an import of thousands of orders feels).
Money = Annotated[Decimal, Field(max_digits=14, decimal_places=2), BeforeValidator(_blank_is_zero)]
Weight = Annotated[Decimal, Field(max_digits=14, decimal_places=4), BeforeValidator(_blank_is_zero)]
# Bounded so that a quantity always fits the column and quantity x price fits a total.
Quantity = Annotated[int, Field(ge=-(10**9), le=10**9), BeforeValidator(_blank_is_zero)]
TextMap = Annotated[
    dict[str, Annotated[str, BeforeValidator(_scalar_to_text)]],
    BeforeValidator(_empty_list_is_empty_map),
]
AnyMap = Annotated[dict[str, Any], BeforeValidator(_empty_list_is_empty_map)]


class Draft(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False, frozen=False)


class AddressDraft(Draft):
    first_name: Text = ""
    last_name: Text = ""
    company: Text = ""
    address1: Text = ""
    address2: Text = ""
    address3: Text = ""
    address4: Text = ""
    city: Text = ""
    state: Text = ""
    postal_code: Text = ""
    country: Text = ""
    phone: Text = ""

    def is_empty(self) -> bool:
        return not any(self.__dict__.values())  # the fields' values, without a model_dump

    def has_name(self) -> bool:
        return bool(self.first_name or self.last_name or self.company)


class ReturnAddressDraft(Draft):
    title: Text = ""
    name: Text = ""
    company: Text = ""
    address1: Text = ""
    address2: Text = ""
    city: Text = ""
    state: Text = ""
    postal_code: Text = ""
    country: Text = ""
    phone: Text = ""


class DiscountDraft(Draft):
    name: Text = ""
    code: Text = ""
    amount: Money = Decimal("0")

    @field_validator("amount")
    @classmethod
    def positive(cls, value: Decimal) -> Decimal:
        # Order Desk stores discounts as positive amounts, whatever sign was sent.
        return abs(value)


class NoteDraft(Draft):
    date_added: datetime | None = None
    username: Text = ""
    content: Annotated[str, Field(max_length=2000)]


class ItemDraft(Draft):
    id: int | None = None
    name: Text = ""
    code: Text = ""
    price: Money = Decimal("0")
    quantity: Quantity = 1
    weight: Weight = Decimal("0")
    delivery_type: Literal["ship", "noship", "download", "future"] = "ship"
    category_code: Text = ""
    fulfillment_method: Text = ""
    variation_list: TextMap = Field(default_factory=dict)
    metadata: AnyMap = Field(default_factory=dict)

    @field_validator("delivery_type", mode="before")
    @classmethod
    def default_delivery(cls, value: Any) -> Any:
        return value or "ship"


class ShipmentDraft(Draft):
    tracking_number: Annotated[str, Field(min_length=1, max_length=255)]
    carrier_code: Text = ""
    shipment_method: Text = ""
    weight: Weight = Decimal("0")
    cost: Money = Decimal("0")
    status: Text = ""
    tracking_url: Text = ""
    label_format: Text = ""
    label_image: Text = ""
    print_status: Literal["0", "1"] = "0"
    cart_shipment_id: Text = ""
    label_shipment_id: Text = ""
    order_items: list[int] = Field(default_factory=list)
    date_shipped: date | None = None

    @field_validator("tracking_number", mode="before")
    @classmethod
    def strip_tracking(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value

    @field_validator("print_status", mode="before")
    @classmethod
    def print_status_text(cls, value: Any) -> Any:
        return "0" if value in (None, "", 0, False) else ("1" if value in (1, True) else value)

    @field_validator("order_items", mode="before")
    @classmethod
    def item_ids(cls, value: Any) -> Any:
        # Accept "", "12,13", [12, 13], ["12"] and [{"id": 12}].
        if value in (None, "", []):
            return []
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        if isinstance(value, list):
            return [entry.get("id") if isinstance(entry, dict) else entry for entry in value]
        return value


class OrderDraft(Draft):
    email: Text = ""
    source_name: Text = "Order Desk"
    source_id: Text = ""
    customer_id: Text = ""
    ip_address: Text = ""
    shipping_method: Text = ""
    shipping_total: Money = Decimal("0")
    handling_total: Money = Decimal("0")
    tax_total: Money = Decimal("0")
    processor_balance: Money | None = None
    refund_total: Money = Decimal("0")
    cc_number: Text = ""
    cc_exp: Text = ""
    processor_response: Text = ""
    payment_type: Text = ""
    payment_status: Text = "Captured"
    tag_color: Text = ""
    tag_name: Text = ""
    fulfillment_name: Text = ""
    fulfillment_id: Text = ""
    folder_id: int | None = None
    date_added: datetime | None = None
    shipping: AddressDraft = Field(default_factory=AddressDraft)
    customer: AddressDraft = Field(default_factory=AddressDraft)
    return_address: ReturnAddressDraft = Field(default_factory=ReturnAddressDraft)
    checkout_data: TextMap = Field(default_factory=dict)
    order_metadata: AnyMap = Field(default_factory=dict)
    discount_list: list[DiscountDraft] = Field(default_factory=list)
    order_notes: list[NoteDraft] = Field(default_factory=list)
    order_items: list[ItemDraft] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def masked_card_as_input(cls, data: Any) -> Any:
        # An order read from the API and sent back (PUT needs the whole order) carries
        # cc_number_masked, not cc_number: keep the card rather than lose it.
        if isinstance(data, dict) and not data.get("cc_number") and data.get("cc_number_masked"):
            return {**data, "cc_number": data["cc_number_masked"]}
        return data

    @field_validator("shipping", "customer", "return_address", mode="before")
    @classmethod
    def empty_address(cls, value: Any) -> Any:
        return _empty_list_is_empty_map(value)

    @field_validator("discount_list", "order_notes", "order_items", mode="before")
    @classmethod
    def empty_list(cls, value: Any) -> Any:
        return [] if value in (None, "", {}) else value

    @field_validator("date_added")
    @classmethod
    def utc_when_naive(cls, value: datetime | None) -> datetime | None:
        # Order Desk's dates are UTC and carry no offset ("2014-10-08 12:10:00").
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value

    @field_validator("payment_status")
    @classmethod
    def known_payment_status(cls, value: str) -> str:
        if value == "":
            return "Captured"
        if value not in PAYMENT_STATUSES:
            raise ValueError(f"must be one of {', '.join(PAYMENT_STATUSES)}")
        return value

    def with_addresses_completed(self) -> OrderDraft:
        """Order Desk copies the shipping address into an empty customer address and back."""
        if self.customer.is_empty() and not self.shipping.is_empty():
            customer = self.shipping.model_copy(update={"address3": "", "address4": ""})
            return self.model_copy(update={"customer": customer})
        if self.shipping.is_empty() and not self.customer.is_empty():
            return self.model_copy(update={"shipping": self.customer.model_copy()})
        return self


class ImportDraft(OrderDraft):
    """An order from an integration, carrying the identity of the record it came from."""

    external_id: Annotated[str, Field(min_length=1, max_length=255)]
