"""Forms of the pages: they validate input and turn it into what a service takes.

Views bind a form, call one service with `form.cleaned_data` (or a draft the form
builds), and report a domain error back onto the form with `form.add_error`.
"""

from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from pydantic import ValidationError as DraftError

from orderhub.orders.drafts import ItemDraft, OrderDraft
from orderhub.orders.queries import SORTABLE_FIELDS
from orderhub.stores.models import Folder, Store


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
    """Gives every widget Bootstrap's class, and marks the fields that have errors.

    Forms edited inside a card of the order page set `compact` for the small controls.
    """

    compact = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{css} {css}-sm" if self.compact else css

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
