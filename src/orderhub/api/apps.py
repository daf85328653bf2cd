from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "orderhub.api"
    label = "api"
    verbose_name = "Order Desk API v2"
