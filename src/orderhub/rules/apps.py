from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "orderhub.rules"
    label = "rules"
