"""An import plan: which Salesforce fields an import reads, and what each one becomes.

Built from the settings and the two objects' describe data, so every field name that
reaches SOQL exists on its object ("fields that do not exist are never sent"). The
default mappings for Order/OrderItem and Opportunity/OpportunityLineItem list candidate
fields; only those the org has are kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from orderhub.integrations.errors import ConfigurationError
from orderhub.integrations.salesforce.config import SalesforceSettings
from orderhub.integrations.salesforce.schema import OrgSchema, UnknownField, UnknownObject

ADDRESS_PARTS = ("Street", "City", "State", "PostalCode", "Country")

# Roles of the default mapping -> candidate paths, first present value wins.
ORDER_ROLES: dict[str, dict[str, list[str]]] = {
    "Order": {
        "number": ["OrderNumber"],
        "email": ["BillToContact.Email", "ShipToContact.Email"],
        "bill_first_name": ["BillToContact.FirstName"],
        "bill_last_name": ["BillToContact.LastName"],
        "bill_phone": ["BillToContact.Phone"],
        "ship_first_name": ["ShipToContact.FirstName", "BillToContact.FirstName"],
        "ship_last_name": ["ShipToContact.LastName", "BillToContact.LastName"],
        "ship_phone": ["ShipToContact.Phone", "BillToContact.Phone"],
        "company": ["Account.Name"],
        "description": ["Description"],
        **{f"billing_{p}": [f"Billing{p}"] for p in ADDRESS_PARTS},
        **{f"shipping_{p}": [f"Shipping{p}"] for p in ADDRESS_PARTS},
        **{f"account_billing_{p}": [f"Account.Billing{p}"] for p in ADDRESS_PARTS},
        **{f"account_shipping_{p}": [f"Account.Shipping{p}"] for p in ADDRESS_PARTS},
    },
    "Opportunity": {
        "number": ["Name"],
        "email": ["Contact.Email"],
        "bill_first_name": ["Contact.FirstName"],
        "bill_last_name": ["Contact.LastName"],
        "bill_phone": ["Contact.Phone", "Account.Phone"],
        "ship_first_name": ["Contact.FirstName"],
        "ship_last_name": ["Contact.LastName"],
        "ship_phone": ["Contact.Phone", "Account.Phone"],
        "company": ["Account.Name"],
        "description": ["Description"],
        **{f"account_billing_{p}": [f"Account.Billing{p}"] for p in ADDRESS_PARTS},
        **{f"account_shipping_{p}": [f"Account.Shipping{p}"] for p in ADDRESS_PARTS},
    },
}
ITEM_ROLES: dict[str, dict[str, list[str]]] = {
    "OrderItem": {
        "name": ["Product2.Name"],
        "code": ["Product2.ProductCode"],
        "price": ["UnitPrice"],
        "quantity": ["Quantity"],
        "description": ["Description"],
    },
    "OpportunityLineItem": {
        "name": ["Product2.Name", "Name"],
        "code": ["ProductCode", "Product2.ProductCode"],
        "price": ["UnitPrice"],
        "quantity": ["Quantity"],
        "description": ["Description"],
    },
}


@dataclass
class ImportPlan:
    order_object: str
    item_object: str
    item_relationship: str
    # role -> paths present in the org, in preference order
    order_roles: dict[str, list[str]] = field(default_factory=dict)
    item_roles: dict[str, list[str]] = field(default_factory=dict)
    # path -> describe type, for every path read
    order_types: dict[str, str] = field(default_factory=dict)
    item_types: dict[str, str] = field(default_factory=dict)
    filter_field: str = ""
    filter_type: str = ""

    def order_fields(self) -> list[str]:
        return list(self.order_types)

    def item_fields(self) -> list[str]:
        return list(self.item_types)


def _present(schema: OrgSchema, object_name: str, path: str) -> tuple[str, str] | None:
    try:
        canonical, described = schema.resolve_path(object_name, path)
    except (UnknownField, UnknownObject):
        return None
    return canonical, described["type"]


def _require(schema: OrgSchema, object_name: str, path: str, setting: str) -> tuple[str, str]:
    try:
        canonical, described = schema.resolve_path(object_name, path)
    except (UnknownField, UnknownObject):
        raise ConfigurationError(
            f"Field {path} no longer exists on {object_name} — update {setting}"
        ) from None
    return canonical, described["type"]


def build_plan(settings: SalesforceSettings, schema: OrgSchema) -> ImportPlan:
    """Check every mapped field against describe; a missing one stops with a clear message."""
    order = schema.describe(settings.order_object)
    item = schema.describe(settings.order_item_object)
    relationship = order.child_relationship_to(item.name)
    if relationship is None:
        raise ConfigurationError(
            f"{item.name} is no longer a child of {order.name} — update Default Order Item Object"
        )
    plan = ImportPlan(order.name, item.name, relationship)
    plan.order_types.update({"Id": "id", "SystemModstamp": "datetime", "CreatedDate": "datetime"})
    plan.item_types["Id"] = "id"

    def add_roles(object_name, roles, target_roles, target_types):
        for role, candidates in roles.items():
            found = [hit for path in candidates if (hit := _present(schema, object_name, path))]
            if found:
                target_roles[role] = [path for path, _ in found]
                target_types.update(dict(found))

    add_roles(order.name, ORDER_ROLES.get(order.name, {}), plan.order_roles, plan.order_types)
    add_roles(item.name, ITEM_ROLES.get(item.name, {}), plan.item_roles, plan.item_types)

    essentials = {
        ("order", "number"): (
            settings.order_number_field,
            "Advanced Settings (order number field)",
        ),
        ("item", "name"): (settings.item_name_field, "Advanced Settings (item name field)"),
        ("item", "price"): (settings.item_price_field, "Advanced Settings (item price field)"),
        ("item", "quantity"): (
            settings.item_quantity_field,
            "Advanced Settings (item quantity field)",
        ),
        ("item", "code"): (settings.item_code_field, "Advanced Settings (item code field)"),
    }
    for (level, role), (path, setting) in essentials.items():
        if not path:
            continue
        object_name = order.name if level == "order" else item.name
        canonical, kind = _require(schema, object_name, path, setting)
        roles, types = (
            (plan.order_roles, plan.order_types)
            if level == "order"
            else (plan.item_roles, plan.item_types)
        )
        roles[role] = [canonical]
        types[canonical] = kind
    if "number" not in plan.order_roles:
        raise ConfigurationError(
            f"{order.name} has no default order number: choose one in Advanced Settings"
        )
    for role in ("name", "price", "quantity"):
        if role not in plan.item_roles:
            raise ConfigurationError(
                f"{item.name} has no default item {role}: choose one in Advanced Settings"
            )

    for row in settings.custom_order_fields:
        canonical, kind = _require(schema, order.name, row.field, "Custom Order Fields")
        plan.order_types[canonical] = kind
    for row in settings.custom_item_fields:
        canonical, kind = _require(schema, item.name, row.field, "Custom Order Item Fields")
        plan.item_types[canonical] = kind
    if settings.filter_field:
        canonical, kind = _require(schema, order.name, settings.filter_field, "Order Filter Field")
        plan.filter_field, plan.filter_type = canonical, kind
        plan.order_types[canonical] = kind
    return plan
