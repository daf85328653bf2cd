"""The Order Shipment Details text: readable lines, newest kept when the field is short."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from orderhub.integrations.salesforce.shipment_details import covers, details_text, shipment_line


@dataclass
class Parcel:
    tracking_number: str
    carrier_code: str = ""
    shipment_method: str = ""
    tracking_url: str = ""
    date_shipped: date | None = date(2024, 5, 2)
    order_items: list = field(default_factory=list)


def test_a_line_has_carrier_method_number_url_and_date_leaving_out_blanks():
    full = Parcel("1Z9", "UPS", "Ground", "https://ups.example/1Z9")
    assert shipment_line(full) == "UPS Ground, 1Z9, https://ups.example/1Z9, shipped 2024-05-02"
    assert shipment_line(Parcel("1Z9", date_shipped=None)) == "1Z9"
    assert shipment_line(Parcel("1Z9", shipment_method="Priority")) == (
        "Priority, 1Z9, shipped 2024-05-02"
    )


def test_everything_fits():
    text, cut = details_text([Parcel("A"), Parcel("B")], length=255, separator="; ")
    assert text == "A, shipped 2024-05-02; B, shipped 2024-05-02" and cut == []


def test_too_long_keeps_the_newest_in_order_and_names_the_cut():
    parcels = [Parcel(f"T{n}") for n in range(5)]  # each line is 21 characters
    text, cut = details_text(parcels, length=50, separator="\n")
    assert text == "T3, shipped 2024-05-02\nT4, shipped 2024-05-02"
    assert cut == ["T0", "T1", "T2"]


def test_a_single_line_longer_than_the_field_is_shortened():
    text, cut = details_text([Parcel("old"), Parcel("X" * 40)], length=20)
    assert len(text) == 20 and text.startswith("XXXX") and text.endswith("…")
    assert cut == ["old"]


def test_a_shipment_naming_no_items_covers_them_all():
    assert covers(Parcel("A"), 7)
    assert covers(Parcel("A", order_items=[7]), 7) and not covers(Parcel("A", order_items=[8]), 7)


@given(
    numbers=st.lists(st.text(alphabet="ABC123", min_size=1, max_size=30), max_size=12),
    length=st.integers(min_value=5, max_value=300),
)
def test_never_longer_than_the_field_and_cut_plus_kept_is_everything(numbers, length):
    parcels = [Parcel(f"{n}-{i}") for i, n in enumerate(numbers)]
    text, cut = details_text(parcels, length=length, separator="; ")
    assert len(text) <= length
    kept = [p.tracking_number for p in parcels if p.tracking_number not in cut]
    assert cut == [p.tracking_number for p in parcels[: len(cut)]]  # only the oldest are cut
    for number in kept[:-1] if text.endswith("…") else kept:
        assert number in text
