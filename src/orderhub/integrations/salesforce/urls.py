from django.urls import path

from orderhub.integrations.salesforce import import_views, sync_views, views

app_name = "salesforce"
base = "stores/<int:store_id>/integrations/salesforce/"

urlpatterns = [
    path(base, views.settings_page, name="settings"),
    path(base + "save/", views.save_settings, name="save"),
    path(base + "form/", views.settings_form, name="form"),
    path(base + "refresh/", views.refresh_schema, name="refresh"),
    path(base + "connect/", views.connect, name="connect"),
    path(base + "client-credentials/", views.connect_client_credentials, name="client_credentials"),
    path(base + "disconnect/", views.disconnect_view, name="disconnect"),
    path(base + "import/preview/", import_views.preview, name="import_preview"),
    path(base + "import/start/", import_views.start, name="import_start"),
    path(base + "import/runs/<int:run_id>/", import_views.run_progress, name="run_progress"),
    path(base + "log/", import_views.import_log, name="import_log"),
    path(base + "log/<int:run_id>/", import_views.run_detail, name="run_detail"),
    path(base + "sync-issues/", sync_views.sync_issues_page, name="sync_issues"),
    path(base + "sync-issues/retry/", sync_views.retry, name="sync_retry"),
    path(base + "sync-issues/dismiss/", sync_views.dismiss, name="sync_dismiss"),
    path("integrations/salesforce/callback/", views.callback, name="callback"),
    path("docs/salesforce/", import_views.help_page, name="help"),
]
