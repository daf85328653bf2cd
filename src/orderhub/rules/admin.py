from django.contrib import admin

from orderhub.rules.models import QueuedAction, Rule


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    list_display = ("name", "store", "event", "rule_type", "enabled", "position")
    list_filter = ("event", "enabled")


@admin.register(QueuedAction)
class QueuedActionAdmin(admin.ModelAdmin):
    list_display = ("action_label", "order", "rule_name", "status", "attempts", "updated_at")
    list_filter = ("status",)
