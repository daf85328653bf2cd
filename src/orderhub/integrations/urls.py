"""Every registered provider's pages, each under its own URL namespace."""

from django.urls import include, path

from orderhub.integrations import registry

urlpatterns = [
    path("", include(provider.urls_module))
    for provider in registry.all_providers()
    if provider.urls_module
]
