"""The org's objects and fields, from describe calls cached per connection.

`OrgSchema` answers the settings page's questions (which objects, which filterable or
updateable fields, which child relationship links the two objects) and resolves field
paths such as `Account.Name` through relationship names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from orderhub.integrations.errors import Permanent
from orderhub.integrations.models import StoreIntegration
from orderhub.integrations.salesforce.client import SalesforceGateway
from orderhub.integrations.salesforce.models import DescribeCache

TEXT_TYPES = frozenset({"string", "textarea"})
MAX_PATH_DEPTH = 5


class UnknownObject(LookupError):
    pass


class UnknownField(LookupError):
    pass


@dataclass(frozen=True)
class ObjectDescribe:
    data: dict

    @property
    def name(self) -> str:
        return self.data["name"]

    @property
    def label(self) -> str:
        return self.data.get("label", self.name)

    def fields(self) -> list[dict]:
        return list(self.data.get("fields", []))

    def field(self, name: str) -> dict:
        wanted = name.lower()
        for field in self.data.get("fields", []):
            if field["name"].lower() == wanted:
                return field
        raise UnknownField(f"{self.name} has no field {name}")

    def has_field(self, name: str) -> bool:
        try:
            self.field(name)
        except UnknownField:
            return False
        return True

    def relationship(self, relationship_name: str) -> dict:
        """The reference field whose relationshipName is given (Account for AccountId)."""
        wanted = relationship_name.lower()
        for field in self.data.get("fields", []):
            if (field.get("relationshipName") or "").lower() == wanted and field.get("referenceTo"):
                return field
        raise UnknownField(f"{self.name} has no relationship {relationship_name}")

    def child_relationship_to(self, child_object: str) -> str | None:
        wanted = child_object.lower()
        for child in self.data.get("childRelationships", []):
            if child.get("childSObject", "").lower() == wanted and child.get("relationshipName"):
                return child["relationshipName"]
        return None

    def filterable_fields(self) -> list[dict]:
        return [
            f
            for f in self.fields()
            if f.get("filterable") and f["type"] not in ("address", "location")
        ]

    def updateable_text_fields(self) -> list[dict]:
        return [f for f in self.fields() if f.get("updateable") and f["type"] in TEXT_TYPES]

    def mappable_fields(self) -> list[dict]:
        return [f for f in self.fields() if f["type"] not in ("address", "location", "base64")]


class OrgSchema:
    """Describe data for one connection; fetched through the gateway once and cached."""

    def __init__(self, integration: StoreIntegration, gateway: Callable[[], SalesforceGateway]):
        self.integration = integration
        self._gateway_factory = gateway
        self._gateway: SalesforceGateway | None = None
        self._memo: dict[str, dict] = {}

    def _gw(self) -> SalesforceGateway:
        if self._gateway is None:
            self._gateway = self._gateway_factory()
        return self._gateway

    def _cached(self, key: str, fetch: Callable[[], dict], *, fresh: bool = False) -> dict:
        if not fresh:
            if key in self._memo:
                return self._memo[key]
            row = DescribeCache.objects.filter(
                integration=self.integration, object_name=key
            ).first()
            if row is not None:
                self._memo[key] = row.data
                return row.data
        data = fetch()
        DescribeCache.objects.update_or_create(
            integration=self.integration, object_name=key, defaults={"data": data}
        )
        self._memo[key] = data
        return data

    def refresh(self) -> None:
        """Forget every cached describe (the Refresh button)."""
        DescribeCache.objects.filter(integration=self.integration).delete()
        self._memo.clear()

    def global_objects(self) -> list[dict]:
        data = self._cached("", lambda: self._gw().describe_global())
        return sorted(data.get("sobjects", []), key=lambda o: o["name"].lower())

    def object_names(self) -> dict[str, dict]:
        return {o["name"].lower(): o for o in self.global_objects()}

    def global_entry(self, name: str) -> dict:
        entry = self.object_names().get(name.lower())
        if entry is None:
            raise UnknownObject(f"Salesforce has no object called {name}")
        return entry

    def describe(self, name: str, *, fresh: bool = False) -> ObjectDescribe:
        entry = self.global_entry(name)

        def fetch() -> dict:
            try:
                return self._gw().describe(entry["name"])
            except Permanent as exc:
                raise UnknownObject(f"Salesforce has no object called {name} ({exc})") from None

        return ObjectDescribe(self._cached(entry["name"], fetch, fresh=fresh))

    def resolve_path(self, object_name: str, path: str) -> tuple[str, dict]:
        """Resolve `Field` or `Parent.Child.Field` from an object; returns (canonical path, field).

        Raises UnknownField naming the part that does not exist.
        """
        parts = [p.strip() for p in path.split(".")]
        if not all(parts):
            raise UnknownField(f"{path!r} is not a field path")
        if len(parts) > MAX_PATH_DEPTH + 1:
            raise UnknownField(f"{path}: Salesforce follows at most {MAX_PATH_DEPTH} parent levels")
        current = self.describe(object_name)
        canonical: list[str] = []
        for part in parts[:-1]:
            reference = current.relationship(part)
            canonical.append(reference["relationshipName"])
            current = self.describe(reference["referenceTo"][0])
        field = current.field(parts[-1])
        canonical.append(field["name"])
        return ".".join(canonical), field
