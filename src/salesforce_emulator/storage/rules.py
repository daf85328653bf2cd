"""Object-specific behaviour of standard objects: derived fields, integrity checks and roll-ups.

Each hook receives the org, the pending field values (storage form) and, on update, the current
row. Hooks run inside the write's transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import errors

if TYPE_CHECKING:
    from .org import Org


def _full_name(values: dict, existing: dict | None) -> str:
    merged = {**(existing or {}), **values}
    return " ".join(p for p in (merged.get("FirstName"), merged.get("LastName")) if p)


def person_name(org: Org, values: dict, existing: dict | None) -> None:
    if "FirstName" in values or "LastName" in values or existing is None:
        values["Name"] = _full_name(values, existing)


def order(org: Org, values: dict, existing: dict | None) -> None:
    if "Status" in values:
        values["StatusCode"] = values["Status"]
        was_active = existing is not None and existing.get("Status") == "Activated"
        if values["Status"] == "Activated" and not was_active:
            values["ActivatedDate"] = org.clock.now_ms()
    if existing is not None and existing.get("Status") == "Activated":
        locked = {"AccountId", "Pricebook2Id"} & set(values)
        if any(values[k] != existing.get(k) for k in locked):
            raise errors.FieldIntegrityException(
                "You can't edit this field on an activated order.", sorted(locked)
            )


def _price_book_entry(org: Org, pbe_id: str) -> dict:
    pbe = org.fetch_row("PricebookEntry", pbe_id)
    if pbe is None or pbe["IsDeleted"]:
        raise errors.InvalidCrossReferenceKey("invalid cross reference id", ["PricebookEntryId"])
    return pbe


def order_item(org: Org, values: dict, existing: dict | None) -> None:
    merged = {**(existing or {}), **values}
    if existing is None:
        pbe = _price_book_entry(org, values["PricebookEntryId"])
        parent = org.fetch_row("Order", values["OrderId"])
        if parent is None:
            raise errors.InvalidCrossReferenceKey("invalid cross reference id", ["OrderId"])
        if parent["Status"] == "Activated":
            raise errors.FieldIntegrityException(
                "You can't add products to an activated order.", ["OrderId"]
            )
        if parent["Pricebook2Id"] is None:
            org.set_fields("Order", parent["Id"], {"Pricebook2Id": pbe["Pricebook2Id"]})
        elif parent["Pricebook2Id"] != pbe["Pricebook2Id"]:
            raise errors.FieldIntegrityException(
                "Order Products must have a Price Book Entry that belongs to the Price Book "
                "related to the parent Order.: Price Book Entry ID",
                ["PricebookEntryId"],
            )
        values["Product2Id"] = pbe["Product2Id"]
        values["ListPrice"] = pbe["UnitPrice"]
    if merged.get("Quantity") is not None and merged.get("UnitPrice") is not None:
        values["TotalPrice"] = round(merged["Quantity"] * merged["UnitPrice"], 2)


def opportunity(org: Org, values: dict, existing: dict | None) -> None:
    if "StageName" in values:
        values["IsClosed"] = int(values["StageName"].startswith("Closed"))
        values["IsWon"] = int(values["StageName"] == "Closed Won")


def opportunity_line_item(org: Org, values: dict, existing: dict | None) -> None:
    merged = {**(existing or {}), **values}
    if existing is None:
        pbe = _price_book_entry(org, values["PricebookEntryId"])
        product = org.fetch_row("Product2", pbe["Product2Id"]) or {}
        opp = org.fetch_row("Opportunity", values["OpportunityId"]) or {}
        values["Product2Id"] = pbe["Product2Id"]
        values["ListPrice"] = pbe["UnitPrice"]
        values["ProductCode"] = product.get("ProductCode")
        values["Name"] = f"{opp.get('Name', '')} {product.get('Name', '')}".strip()[:376]
    quantity = merged.get("Quantity")
    if quantity is not None and "TotalPrice" in values and "UnitPrice" not in values:
        values["UnitPrice"] = round(values["TotalPrice"] / quantity, 2) if quantity else None
    elif quantity is not None and merged.get("UnitPrice") is not None:
        values["TotalPrice"] = round(quantity * merged["UnitPrice"], 2)


def price_book_entry(org: Org, values: dict, existing: dict | None) -> None:
    if existing is None:
        product = org.fetch_row("Product2", values["Product2Id"])
        if product is None:
            raise errors.InvalidCrossReferenceKey("invalid cross reference id", ["Product2Id"])
        values["Name"] = product["Name"]
        values["ProductCode"] = product["ProductCode"]
        pricebook = org.fetch_row("Pricebook2", values["Pricebook2Id"])
        if pricebook is not None and not pricebook["IsStandard"]:
            standard = org.rows(
                "PricebookEntry",
                "Product2Id = ? AND Pricebook2Id IN (SELECT Id FROM Pricebook2 WHERE IsStandard = 1)",
                (values["Product2Id"],),
            )
            if not standard:
                raise errors.FieldIntegrityException(
                    "field integrity exception: unknown (Before creating a custom price, create a "
                    "standard price.)",
                    [],
                )


BEFORE_WRITE = {
    "Contact": person_name,
    "User": person_name,
    "Order": order,
    "OrderItem": order_item,
    "Opportunity": opportunity,
    "OpportunityLineItem": opportunity_line_item,
    "PricebookEntry": price_book_entry,
}

# Child object -> (reference field, parent object, parent roll-up field, child summed field)
ROLL_UPS = {
    "OrderItem": ("OrderId", "Order", "TotalAmount", "TotalPrice"),
}
