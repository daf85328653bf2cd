"""The Salesforce provider descriptor, registered in SalesforceConfig.ready()."""

from orderhub.integrations.base import Category, Feature, Provider
from orderhub.integrations.salesforce.config import SalesforceSettings

PROVIDER = Provider(
    key="salesforce",
    name="Salesforce",
    description="Import orders from any Salesforce order object, write shipment tracking back, "
    "and create Salesforce records from rules.",
    category=Category.SHOPPING_CARTS,
    settings_model=SalesforceSettings,
    help_url="/docs/salesforce/",
    features=frozenset({Feature.IMPORT_ORDERS, Feature.PUSH_TRACKING, Feature.RULE_ACTIONS}),
    settings_url_name="salesforce:settings",
    urls_module="orderhub.integrations.salesforce.urls",
)
