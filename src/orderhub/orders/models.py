"""Orders, their items, shipments and history — the Order Desk data model.

Totals that Order Desk documents as read-only (quantity, weight, product, discount and
order totals) are stored for sorting and searching but only ever computed by
`orders.services`, never taken from input.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from orderhub.stores.models import Folder, Store

MONEY = {"max_digits": 14, "decimal_places": 2, "default": Decimal("0")}
ADDRESS_PARTS = (
    "first_name",
    "last_name",
    "company",
    "address1",
    "address2",
    "address3",
    "address4",
    "city",
    "state",
    "postal_code",
    "country",
    "phone",
)
CUSTOMER_PARTS = tuple(p for p in ADDRESS_PARTS if p not in ("address3", "address4"))
RETURN_ADDRESS_PARTS = (
    "title",
    "name",
    "company",
    "address1",
    "address2",
    "city",
    "state",
    "postal_code",
    "country",
    "phone",
)
PAYMENT_STATUSES = (
    "Approved",
    "Authorized",
    "Captured",
    "Fully Refunded",
    "Partially Refunded",
    "Pending",
    "Rejected",
    "Voided",
)


def _address_fields(prefix: str, parts: tuple[str, ...]) -> dict[str, models.Field]:
    return {
        f"{prefix}_{part}": models.CharField(max_length=255, blank=True, default="")
        for part in parts
    }


class Order(models.Model):
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="orders")
    folder = models.ForeignKey(Folder, on_delete=models.PROTECT, related_name="orders")
    source_name = models.CharField(max_length=100, default="Order Desk")
    source_id = models.CharField(max_length=255, blank=True, default="")
    # Identity of the record an integration imported this order from; unique per store so
    # a record can never become two orders, however many imports race.
    external_source = models.CharField(max_length=100, null=True, blank=True)
    external_id = models.CharField(max_length=255, null=True, blank=True)

    email = models.CharField(max_length=255, blank=True, default="")
    customer_id = models.CharField(max_length=255, blank=True, default="")
    ip_address = models.CharField(max_length=64, blank=True, default="")
    shipping_method = models.CharField(max_length=255, blank=True, default="")

    quantity_total = models.IntegerField(default=0)
    weight_total = models.DecimalField(max_digits=14, decimal_places=4, default=Decimal("0"))
    product_total = models.DecimalField(**MONEY)
    shipping_total = models.DecimalField(**MONEY)
    handling_total = models.DecimalField(**MONEY)
    tax_total = models.DecimalField(**MONEY)
    discount_total = models.DecimalField(**MONEY)
    order_total = models.DecimalField(**MONEY)
    processor_balance = models.DecimalField(**MONEY)
    refund_total = models.DecimalField(**MONEY)

    cc_number_masked = models.CharField(max_length=32, blank=True, default="")
    cc_exp = models.CharField(max_length=16, blank=True, default="")
    processor_response = models.CharField(max_length=500, blank=True, default="")
    payment_type = models.CharField(max_length=100, blank=True, default="")
    payment_status = models.CharField(max_length=32, default="Captured")

    tag_color = models.CharField(max_length=32, blank=True, default="")
    tag_name = models.CharField(max_length=100, blank=True, default="")
    fulfillment_name = models.CharField(max_length=255, blank=True, default="")
    fulfillment_id = models.CharField(max_length=255, blank=True, default="")

    # shipping_<part> and customer_<part> columns are added below the class: one column per
    # address part keeps every Order Desk address search an indexed-column query.
    return_address = models.JSONField(default=dict, blank=True)

    checkout_data = models.JSONField(default=dict, blank=True)
    order_metadata = models.JSONField(default=dict, blank=True)
    discount_list = models.JSONField(default=list, blank=True)
    order_notes = models.JSONField(default=list, blank=True)

    date_added = models.DateTimeField(db_index=True)
    date_updated = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-date_added", "-id"]
        indexes = [
            models.Index(
                fields=["store", "folder", "-date_added"], name="order_store_folder_added"
            ),
            models.Index(fields=["store", "-date_added"], name="order_store_added"),
            models.Index(fields=["store", "email"], name="order_store_email"),
            models.Index(fields=["store", "source_id"], name="order_store_source_id"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["store", "external_source", "external_id"],
                condition=Q(external_id__isnull=False),
                name="order_external_record_once_per_store",
            )
        ]

    def __str__(self) -> str:
        return f"Order {self.source_id or self.id}"

    @property
    def display_number(self) -> str:
        return self.source_id or str(self.id)

    def address(self, prefix: str) -> dict[str, str]:
        parts = ADDRESS_PARTS if prefix == "shipping" else CUSTOMER_PARTS
        return {part: getattr(self, f"{prefix}_{part}") for part in parts}


for _prefix, _parts in (("shipping", ADDRESS_PARTS), ("customer", CUSTOMER_PARTS)):
    for _name, _field in _address_fields(_prefix, _parts).items():
        Order.add_to_class(_name, _field)


class OrderItem(models.Model):
    DELIVERY_TYPES = ("ship", "noship", "download", "future")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=500, blank=True, default="")
    code = models.CharField(max_length=255, blank=True, default="")
    price = models.DecimalField(**MONEY)
    quantity = models.IntegerField(default=1)
    weight = models.DecimalField(max_digits=14, decimal_places=4, default=Decimal("0"))
    delivery_type = models.CharField(max_length=16, default="ship")
    category_code = models.CharField(max_length=100, blank=True, default="")
    fulfillment_method = models.CharField(max_length=100, blank=True, default="")
    variation_list = models.JSONField(default=dict, blank=True)
    metadata = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["position", "id"]


class Shipment(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="shipments")
    tracking_number = models.CharField(max_length=255)
    carrier_code = models.CharField(max_length=100, blank=True, default="")
    shipment_method = models.CharField(max_length=255, blank=True, default="")
    weight = models.DecimalField(max_digits=14, decimal_places=4, default=Decimal("0"))
    cost = models.DecimalField(**MONEY)
    status = models.CharField(max_length=100, blank=True, default="")
    tracking_url = models.CharField(max_length=1000, blank=True, default="")
    label_format = models.CharField(max_length=32, blank=True, default="")
    label_image = models.TextField(blank=True, default="")
    print_status = models.CharField(max_length=1, default="0")
    cart_shipment_id = models.CharField(max_length=255, blank=True, default="")
    label_shipment_id = models.CharField(max_length=255, blank=True, default="")
    # Ids of the order's items this shipment covers; empty means the whole order.
    order_items = models.JSONField(default=list, blank=True)
    date_shipped = models.DateField()
    date_added = models.DateTimeField()

    class Meta:
        ordering = ["date_added", "id"]
        constraints = [
            # "n/a" is Order Desk's placeholder for a shipment without tracking; several may exist.
            models.UniqueConstraint(
                fields=["order", "tracking_number"],
                condition=~Q(tracking_number__iexact="n/a"),
                name="shipment_tracking_once_per_order",
            )
        ]


class HistoryKind(models.TextChoices):
    CREATED = "created", "Order created"
    IMPORTED = "imported", "Order imported"
    UPDATED = "updated", "Order updated"
    MOVED = "moved", "Moved to folder"
    ITEM_ADDED = "item_added", "Item added"
    ITEM_UPDATED = "item_updated", "Item updated"
    ITEM_DELETED = "item_deleted", "Item deleted"
    SHIPMENT_ADDED = "shipment_added", "Shipment added"
    SHIPMENT_UPDATED = "shipment_updated", "Shipment updated"
    SHIPMENT_DELETED = "shipment_deleted", "Shipment deleted"
    NOTE = "note", "Note"
    DATA_CHANGED = "data_changed", "Order data changed"
    ADDRESS_CHANGED = "address_changed", "Address changed"
    RULE = "rule", "Rule ran"
    INTEGRATION = "integration", "Integration"


class OrderHistory(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="history")
    kind = models.CharField(max_length=32, choices=HistoryKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    # Who or what made the change as Order Desk names it: "Web", "API", "Auto", "Salesforce"...
    source_name = models.CharField(max_length=100)
    note = models.TextField()
    details = models.JSONField(default=dict, blank=True)
    date_added = models.DateTimeField()

    class Meta:
        ordering = ["date_added", "id"]
        verbose_name_plural = "order history"
