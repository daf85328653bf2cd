from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "orderhub.web"
    label = "web"
