from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "orderhub.integrations"
    label = "integrations"
    verbose_name = "Integrations"
