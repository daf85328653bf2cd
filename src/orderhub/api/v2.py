"""Order Desk API v2: the NinjaAPI instance, its auth, its error handler and its routers."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from orderhub.api import errors, items, orders, shipments, store
from orderhub.api.auth import StoreApiKey

api = NinjaAPI(
    title="OrderHub API v2",
    version="2",
    description=(
        "Order Desk-compatible REST API. Send ORDERDESK-STORE-ID and ORDERDESK-API-KEY on "
        "every request. Rate limit: a bucket of 20 requests per store refilling 3 per second."
    ),
    urls_namespace="api-v2",
    auth=StoreApiKey(),
    # Swagger UI from the assets bundled in the ninja package ("ninja" is an installed app),
    # so the docs work with no network.
    docs=Swagger(),
)
errors.install(api)
for module in (store, orders, items, shipments):
    api.add_router("", module.router)
