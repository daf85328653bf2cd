"""The Rule Builder's pages, under /stores/<store_id>/rules/."""

from django.urls import path

from orderhub.rules import views

app_name = "rules"

urlpatterns = [
    path("", views.rule_list, name="rule_list"),
    path("new/", views.rule_new, name="rule_new"),
    path("<int:rule_id>/", views.rule_edit, name="rule_edit"),
    path("reorder/", views.rule_reorder, name="rule_reorder"),
    path("<int:rule_id>/toggle/", views.rule_toggle, name="rule_toggle"),
    path("<int:rule_id>/move/", views.rule_move, name="rule_move"),
    path("<int:rule_id>/delete/", views.rule_delete, name="rule_delete"),
    path("form/rows/", views.form_rows, name="form_rows"),
    path("form/test/", views.test_rule, name="test_rule"),
    path("run/", views.run_event, name="run_event"),
    path("buttons/", views.press_button, name="press_button"),
    path("queue/", views.queue_page, name="queue"),
    path("queue/<int:queued_id>/resend/", views.resend, name="resend"),
]
