from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orderhub.orders"
    label = "orders"
    verbose_name = "Orders"
