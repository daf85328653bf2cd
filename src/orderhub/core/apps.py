from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "orderhub.core"
    label = "core"
    verbose_name = "OrderHub core"

    def ready(self) -> None:
        from orderhub.core import checks  # noqa: F401  (registers system checks)
