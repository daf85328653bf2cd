from django.apps import AppConfig


class StoresConfig(AppConfig):
    name = "orderhub.stores"
    label = "stores"
    verbose_name = "Stores"
