"""Building records in the emulated org through the real REST API (simple-salesforce)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class OrgFactory:
    sf: object  # simple_salesforce.Salesforce
    account_id: str = ""
    pricebook_id: str = ""
    entries: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, org) -> OrgFactory:
        sf = org.salesforce()
        factory = cls(sf)
        factory.account_id = sf.Account.create(
            {"Name": "O'Brien & Sons", "ShippingCity": "Dublin", "ShippingStreet": "1 Quay St"}
        )["id"]
        pricebook = sf.query("SELECT Id FROM Pricebook2 WHERE IsStandard = true")["records"]
        factory.pricebook_id = (
            pricebook[0]["Id"]
            if pricebook
            else sf.Pricebook2.create({"Name": "Standard", "IsActive": True})["id"]
        )
        for name, code in (("Mug", "MUG-1"), ("Café Crème 🎁", "CAFE-2")):
            product = sf.Product2.create({"Name": name, "ProductCode": code, "IsActive": True})[
                "id"
            ]
            factory.entries.append(
                sf.PricebookEntry.create(
                    {
                        "Pricebook2Id": factory.pricebook_id,
                        "Product2Id": product,
                        "UnitPrice": 10,
                        "IsActive": True,
                    }
                )["id"]
            )
        return factory

    def order(self, items: int = 2, *, status: str = "Activated", **fields) -> str:
        """An Order with `items` OrderItems; it is created Draft and then activated."""
        order_id = self.sf.Order.create(
            {
                "AccountId": self.account_id,
                "Pricebook2Id": self.pricebook_id,
                "EffectiveDate": "2024-05-01",
                "Status": "Draft",
                **fields,
            }
        )["id"]
        for index in range(items):
            self.sf.OrderItem.create(
                {
                    "OrderId": order_id,
                    "PricebookEntryId": self.entries[index % len(self.entries)],
                    "Quantity": index + 1,
                    "UnitPrice": 12.5,
                }
            )
        if status != "Draft":
            self.sf.Order.update(order_id, {"Status": status})
        return order_id
