"""GET /orders query parameters (Order Desk's names) and their translation to OrderSearch."""

from __future__ import annotations

from datetime import UTC, datetime, time, tzinfo
from typing import Any

from ninja import Field
from pydantic import ValidationInfo, field_validator

from orderhub.api.errors import BadRequest
from orderhub.api.schemas import ApiSchema
from orderhub.orders.queries import ADDRESS_SEARCH_PARTS, SORTABLE_FIELDS, OrderSearch, parse_id
from orderhub.stores.models import Store

MAX_LIMIT = 500
DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")
ADDRESS_PARAMS = tuple(
    f"{prefix}_{part}" for prefix in ("customer", "shipping") for part in ADDRESS_SEARCH_PARTS
)


class OrderListParams(ApiSchema):
    folder_id: str | None = Field(None, description="One folder id or a comma list: 1004,1009")
    folder_name: str | None = Field(None, description="Exact folder name")
    source_id: str | None = None
    source_name: str | None = None
    search_start_date: str | None = Field(None, description="Added on or after (UTC)")
    search_end_date: str | None = Field(
        None, description="Added on or before (UTC); a bare date covers its whole day"
    )
    search_start_date_local: str | None = Field(None, description="Added from (store time)")
    search_end_date_local: str | None = Field(None, description="Added until (store time)")
    modified_start_date: str | None = Field(None, description="Modified on or after (UTC)")
    modified_end_date: str | None = Field(None, description="Modified on or before (UTC)")
    email: str | None = None
    customer_id: str | None = None
    customer_first_name: str | None = None
    customer_last_name: str | None = None
    customer_company: str | None = None
    customer_address1: str | None = None
    customer_phone: str | None = None
    shipping_first_name: str | None = None
    shipping_last_name: str | None = None
    shipping_company: str | None = None
    shipping_address1: str | None = None
    shipping_phone: str | None = None
    get_order_history: str | None = Field(None, description="1 to include order_history")
    order_by: str = Field("date_added", description="Any order field")
    order: str = Field("DESC", description="ASC or DESC, any case")
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description="At most 500")
    offset: int = Field(0, ge=0)

    @field_validator("limit", "offset", "order_by", "order", mode="before")
    @classmethod
    def blank_is_default(cls, value: Any, info: ValidationInfo) -> Any:
        # Clients that build query strings from every field send "limit=" for "no limit".
        if value is None or (isinstance(value, str) and not value.strip()):
            return cls.model_fields[info.field_name].default
        return value

    def wants_history(self) -> bool:
        return is_yes(self.get_order_history)

    def to_search(self, store: Store) -> OrderSearch:
        """The OrderSearch these parameters ask for; BadRequest naming a bad parameter."""
        direction = self.order.strip().upper()
        if direction not in ("ASC", "DESC"):
            raise BadRequest("order: must be ASC or DESC")
        if self.order_by not in SORTABLE_FIELDS:
            raise BadRequest(f"order_by: {self.order_by!r} is not an order field")
        local = store.tz
        added_from = _latest(
            _when("search_start_date", self.search_start_date, UTC, end=False),
            _when("search_start_date_local", self.search_start_date_local, local, end=False),
        )
        added_to = _earliest(
            _when("search_end_date", self.search_end_date, UTC, end=True),
            _when("search_end_date_local", self.search_end_date_local, local, end=True),
        )
        return OrderSearch(
            folder_ids=_folder_ids(self.folder_id),
            folder_name=self.folder_name,
            source_id=self.source_id,
            source_name=self.source_name,
            added_from=added_from,
            added_to=added_to,
            modified_from=_when("modified_start_date", self.modified_start_date, UTC, end=False),
            modified_to=_when("modified_end_date", self.modified_end_date, UTC, end=True),
            email=self.email,
            customer_id=self.customer_id,
            address={name: getattr(self, name) for name in ADDRESS_PARAMS if getattr(self, name)},
            order_by=self.order_by,
            descending=direction == "DESC",
        )


def is_yes(value: str | None) -> bool:
    """A flag as PHP clients send it: "1", "true", "yes"."""
    return (value or "").strip().lower() in {"1", "true", "yes"}


def _folder_ids(value: str | None) -> list[int]:
    if value is None or not value.strip():
        return []
    ids = []
    for part in value.split(","):
        folder_id = parse_id(part)
        if folder_id is None:
            raise BadRequest(f"folder_id: {part.strip()!r} is not a folder id")
        ids.append(folder_id)
    return ids


def _when(name: str, value: str | None, zone: tzinfo, *, end: bool) -> datetime | None:
    """A date parameter as an aware UTC datetime; a bare end date covers its whole day."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    for fmt in DATE_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        if fmt == "%Y-%m-%d" and end:
            parsed = datetime.combine(parsed.date(), time.max)
        return parsed.replace(tzinfo=zone).astimezone(UTC)
    try:
        # Also ISO 8601 with an offset ("2015-04-15T12:05:06Z"); the offset then wins.
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parsed = None
    if parsed is not None:
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)).astimezone(UTC)
    raise BadRequest(f"{name}: {text!r} is not a date like 2015-04-15 or 2015-04-15 12:05:06")


def _latest(*values: datetime | None) -> datetime | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def _earliest(*values: datetime | None) -> datetime | None:
    present = [v for v in values if v is not None]
    return min(present) if present else None
