from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "orderhub.jobs"
    label = "jobs"
