"""Top-level URL table: the API under /api/v2, the admin, and the pages."""

from django.contrib import admin
from django.urls import include, path

from orderhub.api.v2 import api

urlpatterns = [
    path("api/v2/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("orderhub.integrations.urls")),
    # Before the pages: the Rule Builder serves stores/<id>/rules/ (web's placeholder path).
    path("stores/<int:store_id>/rules/", include("orderhub.rules.urls")),
    path("", include("orderhub.web.urls")),
]
