"""What an integration is: a data-free Provider descriptor, registered once per process.

A provider says what it is called, where it is listed, what its settings look like (a
pydantic model) and what it can do; the per-store state (credentials, settings, status)
lives in a StoreIntegration row.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from pydantic import BaseModel


class Category(enum.StrEnum):
    SHOPPING_CARTS = "Shopping Carts"
    SHIPPING = "Shipping"
    PRODUCTIVITY = "Productivity"


class Feature(enum.StrEnum):
    IMPORT_ORDERS = "import_orders"
    PUSH_TRACKING = "push_tracking"
    RULE_ACTIONS = "rule_actions"


@dataclass(frozen=True)
class Provider:
    key: str
    name: str
    description: str
    category: Category
    settings_model: type[BaseModel]
    help_url: str = ""
    features: frozenset[Feature] = field(default_factory=frozenset)
    # The page that configures a StoreIntegration of this provider (a URL name taking
    # the store id), so the Manage Integrations page can link to it.
    settings_url_name: str = ""
    # The provider's URLconf module, mounted at the site root by integrations/urls.py.
    urls_module: str = ""

    def matches(self, search: str) -> bool:
        search = search.strip().lower()
        return not search or search in self.name.lower() or search in self.description.lower()
