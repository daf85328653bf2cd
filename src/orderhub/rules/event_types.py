"""The events a rule can run on, by key (what rules store) and label (what people see)."""

from __future__ import annotations

ORDER_IMPORTED = "order_imported"
ORDER_CREATED_MANUALLY = "order_created_manually"
FOLDER_CHANGED = "folder_changed"
SHIPMENT_ADDED = "shipment_added"
ORDER_DETAILS_CHANGED = "order_details_changed"
ORDER_ADDRESS_CHANGED = "order_address_changed"
CUSTOM_BUTTON = "custom_button"
CUSTOM_SCHEDULE = "custom_schedule"

EVENTS: dict[str, str] = {
    ORDER_IMPORTED: "Order is Imported",
    ORDER_CREATED_MANUALLY: "Order is Created Manually",
    FOLDER_CHANGED: "Folder is Changed",
    SHIPMENT_ADDED: "Shipment is Added",
    ORDER_DETAILS_CHANGED: "Order Details Changed",
    ORDER_ADDRESS_CHANGED: "Order Address Changed",
    CUSTOM_BUTTON: "Custom Button",
    CUSTOM_SCHEDULE: "Custom Scheduled Event",
}
# Custom events are named by the rule (event_options["name"]); several rules can share a name.
CUSTOM_EVENTS = (CUSTOM_BUTTON, CUSTOM_SCHEDULE)

ORDER_RULE, ITEM_RULE = "order", "item"
RULE_TYPES: dict[str, str] = {ORDER_RULE: "Order Rule", ITEM_RULE: "Order Item Rule"}
