from django.apps import AppConfig


class SalesforceConfig(AppConfig):
    name = "orderhub.integrations.salesforce"
    label = "salesforce"
    verbose_name = "Salesforce integration"

    def ready(self) -> None:
        from orderhub.integrations import registry
        from orderhub.integrations.salesforce.provider import PROVIDER

        registry.register(PROVIDER)

        from orderhub.integrations.salesforce import importer
        from orderhub.jobs.schedule import register_source

        register_source("salesforce-imports", importer.due_imports)

        from orderhub.integrations.salesforce import tracking

        tracking.subscribe()
        register_source("salesforce-tracking-pushes", tracking.due_pushes)

        from orderhub.integrations.order_page import register_order_panel
        from orderhub.integrations.salesforce.push_status import order_panel

        register_order_panel("salesforce", order_panel)

        from orderhub.integrations.salesforce import rule_actions
        from orderhub.rules.actions import register_provider

        register_provider(rule_actions.PROVIDER_KEY, rule_actions.actions_for)
