"""Forms of the order page: addresses, checkout data and metadata, items, shipments, notes,
details and folder. Each validates input into what one `orders.services` call takes."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from orderhub.orders.drafts import ItemDraft, ShipmentDraft
from orderhub.orders.models import (
    ADDRESS_PARTS,
    CUSTOMER_PARTS,
    PAYMENT_STATUSES,
    RETURN_ADDRESS_PARTS,
    Order,
    OrderItem,
)
from orderhub.stores.models import Store
from orderhub.web.forms import BootstrapForm, FolderChoiceField, folder_choices

# Order Desk's documented size caps for the two maps, as JSON text.
CHECKOUT_DATA_MAX_CHARS = 3500
METADATA_MAX_CHARS = 2000
TAG_COLORS = ("", "red", "orange", "yellow", "green", "blue", "purple", "gray")
ADDRESS_LABELS = {
    "first_name": "First name",
    "last_name": "Last name",
    "company": "Company",
    "address1": "Address",
    "address2": "Address 2",
    "address3": "Address 3",
    "address4": "Address 4",
    "city": "City",
    "state": "State",
    "postal_code": "Postal code",
    "country": "Country",
    "phone": "Phone",
    "title": "Title",
    "name": "Name",
}
ADDRESS_KINDS = {
    "shipping": ("Shipping address", ADDRESS_PARTS),
    "customer": ("Customer address", CUSTOMER_PARTS),
    "return_address": ("Return address", RETURN_ADDRESS_PARTS),
}


class KeyValueForm(forms.Form):
    """Edits a key -> value map (checkout data, metadata) posted as parallel key/value lists.

    A row with an empty key is dropped, so clearing a row's key removes it. Metadata values
    that were not text (numbers, lists) are kept as they were unless their text changed.
    """

    def __init__(
        self,
        data: Any = None,
        *,
        current: dict[str, Any],
        max_chars: int,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.current = current
        self.max_chars = max_chars
        self.rows: list[tuple[str, str]] = [(k, display_value(v)) for k, v in current.items()]
        if data is not None:
            self.rows = list(zip(data.getlist("key"), data.getlist("value"), strict=False))

    def clean(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        errors = []
        for key, text in self.rows:
            key = key.strip()
            if not key:
                if text.strip():
                    errors.append(f"The value {text!r} needs a name")
                continue
            if key in result:
                errors.append(f"{key!r} appears twice")
                continue
            original = self.current.get(key)
            keep = original is not None and display_value(original) == text
            result[key] = original if keep else text
        if errors:
            raise ValidationError(errors)
        if len(json.dumps(result)) > self.max_chars:
            raise ValidationError(f"Too much data: at most {self.max_chars} characters in all")
        self.cleaned_data["map"] = result
        return self.cleaned_data


def display_value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


class AddressForm(BootstrapForm):
    """One of the order's three addresses; its fields depend on which."""

    def __init__(self, *args: Any, which: str, order: Order | None = None, **kwargs: Any):
        if order is not None and "initial" not in kwargs:
            kwargs["initial"] = address_of(order, which)
        super().__init__(*args, **kwargs)
        self.which = which
        self.title, parts = ADDRESS_KINDS[which]
        for part in parts:
            self.fields[part] = forms.CharField(
                label=ADDRESS_LABELS[part],
                required=False,
                max_length=255,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            )


def address_of(order: Order, which: str) -> dict[str, str]:
    if which == "return_address":
        return {part: order.return_address.get(part, "") for part in RETURN_ADDRESS_PARTS}
    return order.address(which)


class ShipmentForm(BootstrapForm):
    compact = True

    tracking_number = forms.CharField(
        max_length=255, help_text='Use "n/a" when the parcel has no tracking number'
    )
    carrier_code = forms.CharField(label="Carrier", required=False, max_length=100)
    shipment_method = forms.CharField(label="Method", required=False, max_length=255)
    order_items = forms.TypedMultipleChoiceField(
        label="Items",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None selected: the whole order",
    )

    def __init__(self, *args: Any, order: Order, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["order_items"].choices = [
            (item.id, f"{item.quantity} × {item.name or item.code}") for item in order.items.all()
        ]

    def draft(self) -> ShipmentDraft:
        return ShipmentDraft(**self.cleaned_data)


class ItemForm(BootstrapForm):
    """Add or edit one item. Its hidden metadata and other fields stay as they were."""

    compact = True

    name = forms.CharField(max_length=500)
    code = forms.CharField(label="SKU", required=False, max_length=255)
    price = forms.DecimalField(max_digits=14, decimal_places=2)
    quantity = forms.IntegerField(min_value=0, initial=1)
    weight = forms.DecimalField(max_digits=14, decimal_places=4, required=False, min_value=0)
    variations = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One option a line, e.g. Size: Large",
    )
    LAYOUT = (("name", 6), ("code", 2), ("price", 2), ("quantity", 2), ("weight", 2))
    LAYOUT += (("variations", 10),)

    def __init__(self, *args: Any, item: OrderItem | None = None, **kwargs: Any) -> None:
        if item is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": item.name,
                "code": item.code,
                "price": item.price,
                "quantity": item.quantity,
                "weight": Decimal(f"{item.weight.normalize():f}"),  # 100, not 1E+2
                "variations": "\n".join(f"{k}: {v}" for k, v in item.variation_list.items()),
            }
        super().__init__(*args, **kwargs)
        self.item = item

    @property
    def layout(self) -> list[tuple[forms.BoundField, int]]:
        return [(self[name], width) for name, width in self.LAYOUT]

    def clean_variations(self) -> dict[str, str]:
        variations: dict[str, str] = {}
        for line in self.cleaned_data["variations"].splitlines():
            if not line.strip():
                continue
            name, colon, value = line.partition(":")
            if not colon or not name.strip():
                raise ValidationError(f"Write {line.strip()!r} as Name: Value")
            variations[name.strip()] = value.strip()
        return variations

    def draft(self) -> ItemDraft:
        data = dict(self.cleaned_data)
        variations = data.pop("variations")
        data["weight"] = data["weight"] or 0
        kept = {}
        if self.item is not None:
            kept = {
                name: getattr(self.item, name)
                for name in ("delivery_type", "category_code", "fulfillment_method", "metadata")
            }
        return ItemDraft(**data, **kept, variation_list=variations)


class NoteForm(BootstrapForm):
    compact = True

    note = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class MoveOrderForm(BootstrapForm):
    folder = FolderChoiceField(label="Folder")

    def __init__(self, *args: Any, store: Store, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["folder"].choices = folder_choices(store)


class OrderDetailsForm(BootstrapForm):
    """Edit Order Details: the scalar fields a person changes by hand."""

    compact = True

    email = forms.EmailField(required=False, max_length=255)
    shipping_method = forms.CharField(required=False, max_length=255)
    payment_status = forms.ChoiceField(choices=[(s, s) for s in PAYMENT_STATUSES])
    tag_color = forms.ChoiceField(
        label="Tag colour", required=False, choices=[(c, c.title() or "None") for c in TAG_COLORS]
    )
    tag_name = forms.CharField(label="Tag", required=False, max_length=100)

    def __init__(self, *args: Any, order: Order, **kwargs: Any) -> None:
        kwargs["initial"] = {name: getattr(order, name) for name in self.base_fields}
        super().__init__(*args, **kwargs)

    def changes(self) -> dict[str, Any]:
        """Only the fields the person changed, so history names just those."""
        return {name: self.cleaned_data[name] for name in self.changed_data}
