"""Forms of the pages: they validate input and turn it into what a service takes.

Views bind a form, call one service with `form.cleaned_data` (or a draft the form
builds), and report a domain error back onto the form with `form.add_error`.
"""

from __future__ import annotations

import json
import zoneinfo
from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from pydantic import ValidationError as DraftError

from orderhub.orders.drafts import ItemDraft, OrderDraft, ShipmentDraft
from orderhub.orders.models import (
    ADDRESS_PARTS,
    CUSTOMER_PARTS,
    PAYMENT_STATUSES,
    RETURN_ADDRESS_PARTS,
    Order,
    OrderItem,
)
from orderhub.orders.queries import SORTABLE_FIELDS
from orderhub.stores.models import Folder, Store

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


def draft_errors(error: DraftError) -> list[str]:
    """A pydantic error as sentences a person can act on."""
    return [
        f"{'.'.join(str(p) for p in problem['loc']) or 'order'}: "
        f"{problem['msg'].removeprefix('Value error, ')}"
        for problem in error.errors()
    ]


def folder_choices(store: Store, *, exclude: Folder | None = None) -> list[tuple[int, str]]:
    folders = Folder.objects.filter(store=store).order_by("position", "id")
    return [(f.id, f.name) for f in folders if exclude is None or f.id != exclude.id]


class BootstrapForm(forms.Form):
    """Gives every widget Bootstrap's class, and marks the fields that have errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = css

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"


class FolderChoiceField(forms.TypedChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(coerce=int, **kwargs)


# --- orders list ----------------------------------------------------------------------------


class OrderListForm(forms.Form):
    """The list's query string: search text, sort column and direction, page."""

    q = forms.CharField(required=False, max_length=200)
    sort = forms.ChoiceField(required=False, choices=[(f, f) for f in sorted(SORTABLE_FIELDS)])
    dir = forms.ChoiceField(required=False, choices=[("desc", "desc"), ("asc", "asc")])
    page = forms.IntegerField(required=False, min_value=1)

    def value(self, name: str, default: Any) -> Any:
        """A parameter's value, or `default` when it is missing or invalid (others still count)."""
        self.is_valid()
        return self.cleaned_data.get(name) or default


class MoveOrdersForm(BootstrapForm):
    order_ids = forms.TypedMultipleChoiceField(coerce=int, error_messages={"required": ""})
    folder = FolderChoiceField(label="Move to")

    def __init__(self, *args: Any, store: Store, order_ids: list[int] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["folder"].choices = folder_choices(store)
        # Any id is accepted here; ids of other stores' orders simply match nothing.
        self.fields["order_ids"].choices = [(i, i) for i in order_ids]
        self.fields["order_ids"].error_messages["required"] = "Select at least one order"


# --- order page -----------------------------------------------------------------------------


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
                "weight": item.weight.normalize() if item.weight else None,
                "variations": "\n".join(f"{k}: {v}" for k, v in item.variation_list.items()),
            }
        super().__init__(*args, **kwargs)
        self.item = item
        for field in self.fields.values():
            field.widget.attrs["class"] += " form-control-sm"

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
    note = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class MoveOrderForm(BootstrapForm):
    folder = FolderChoiceField(label="Folder")

    def __init__(self, *args: Any, store: Store, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["folder"].choices = folder_choices(store)


class OrderDetailsForm(BootstrapForm):
    """Edit Order Details: the scalar fields a person changes by hand."""

    email = forms.EmailField(required=False, max_length=255)
    shipping_method = forms.CharField(required=False, max_length=255)
    payment_status = forms.ChoiceField(choices=[(s, s) for s in PAYMENT_STATUSES])
    tag_color = forms.ChoiceField(
        label="Tag colour", required=False, choices=[(c, c.title() or "None") for c in TAG_COLORS]
    )
    tag_name = forms.CharField(label="Tag", required=False, max_length=100)

    @classmethod
    def for_order(cls, order: Order) -> OrderDetailsForm:
        return cls(initial={name: getattr(order, name) for name in cls.base_fields})


ADD_ORDER_ADDRESS_PARTS = (
    *("first_name", "last_name", "company", "address1"),
    *("city", "state", "postal_code", "country"),
)


class AddOrderForm(BootstrapForm):
    """Add Order: a customer and one item; more can be added on the order page later."""

    first_name = forms.CharField(max_length=255, required=False)
    last_name = forms.CharField(max_length=255, required=False)
    company = forms.CharField(max_length=255, required=False)
    email = forms.EmailField(max_length=255, required=False)
    address1 = forms.CharField(label="Address", max_length=255, required=False)
    city = forms.CharField(max_length=255, required=False)
    state = forms.CharField(max_length=255, required=False)
    postal_code = forms.CharField(max_length=255, required=False)
    country = forms.CharField(max_length=255, required=False, initial="US")
    item_name = forms.CharField(label="Item", max_length=500)
    item_code = forms.CharField(label="SKU", max_length=255, required=False)
    item_price = forms.DecimalField(label="Price", max_digits=14, decimal_places=2, min_value=0)
    item_quantity = forms.IntegerField(label="Quantity", min_value=1, initial=1)
    shipping_total = forms.DecimalField(
        label="Shipping", max_digits=14, decimal_places=2, min_value=0, required=False
    )
    folder = FolderChoiceField()

    # The page's sections: a title and (field, Bootstrap column width) pairs.
    LAYOUT = (
        (
            "Customer",
            (
                *(("first_name", 3), ("last_name", 3), ("company", 6)),
                *(("email", 6), ("address1", 6)),
                *(("city", 4), ("state", 2), ("postal_code", 3), ("country", 3)),
            ),
        ),
        (
            "Item",
            (
                *(("item_name", 6), ("item_code", 3), ("item_price", 3)),
                *(("item_quantity", 3), ("shipping_total", 3), ("folder", 6)),
            ),
        ),
    )

    def __init__(self, *args: Any, store: Store, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["folder"].choices = folder_choices(store)

    def sections(self) -> list[tuple[str, list[tuple[forms.BoundField, int]]]]:
        return [
            (title, [(self[name], width) for name, width in fields])
            for title, fields in self.LAYOUT
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (data.get("first_name") or data.get("last_name") or data.get("company")):
            raise ValidationError("An order needs a first and last name or a company")
        return data

    def draft(self) -> OrderDraft:
        data = self.cleaned_data
        address = {part: data[part] for part in ADD_ORDER_ADDRESS_PARTS}
        item = ItemDraft(
            name=data["item_name"],
            code=data["item_code"],
            price=data["item_price"],
            quantity=data["item_quantity"],
        )
        return OrderDraft(
            email=data["email"],
            shipping=address,
            shipping_total=data["shipping_total"] or 0,
            folder_id=data["folder"],
            order_items=[item],
        )


class PasswordChangeForm(BootstrapForm, auth_forms.PasswordChangeForm):
    pass


# --- store settings -------------------------------------------------------------------------


class StoreDetailsForm(BootstrapForm):
    name = forms.CharField(label="Store name", max_length=200)
    timezone = forms.ChoiceField(label="Time zone")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = [
            (name, name) for name in sorted(zoneinfo.available_timezones())
        ]


class FolderForm(BootstrapForm):
    name = forms.CharField(label="Folder name", max_length=100)


class DeleteFolderForm(BootstrapForm):
    move_to = FolderChoiceField(label="Move its orders to", required=False)

    def __init__(self, *args: Any, folder: Folder, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["move_to"].choices = [("", "—"), *folder_choices(folder.store, exclude=folder)]
