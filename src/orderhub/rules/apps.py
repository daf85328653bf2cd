from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "orderhub.rules"
    label = "rules"
    verbose_name = "Rule Builder"

    def ready(self) -> None:
        # Built-in actions and the remote-action task register on import.
        from orderhub.jobs.schedule import register_source
        from orderhub.rules import post_order_json, queue, schedule, triggers  # noqa: F401

        triggers.connect()
        register_source("rules.schedule", schedule.find_due)
