"""Order Desk API v2: the NinjaAPI instance, its auth, its error handler and its routers."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from orderhub.api import errors, items, orders, shipments, store
from orderhub.api.auth import STORE_ID_HEADER, StoreApiKey


class OrderDeskApi(NinjaAPI):
    """NinjaAPI whose schema asks for both of Order Desk's headers, so "Try it out" works."""

    def get_openapi_schema(self, **kwargs: Any):
        schema = super().get_openapi_schema(**kwargs)
        # ninja declares the one header its auth class reads; the store id travels beside it.
        schema["components"]["securitySchemes"]["StoreId"] = {
            "type": "apiKey",
            "in": "header",
            "name": STORE_ID_HEADER,
        }
        for operations in schema["paths"].values():
            for operation in operations.values():
                if operation.get("security"):
                    operation["security"] = [{"StoreId": [], "StoreApiKey": []}]
        return schema


api = OrderDeskApi(
    title="OrderHub API v2",
    version="2",
    description=(
        "Order Desk-compatible REST API. Send ORDERDESK-STORE-ID and ORDERDESK-API-KEY on "
        "every request. Rate limit: a bucket of 20 requests per store refilling 3 per second."
    ),
    urls_namespace="api-v2",
    auth=StoreApiKey(),
    # Swagger UI from the assets bundled in the ninja package ("ninja" is an installed app),
    # so the docs work with no network; no online validator badge either.
    docs=Swagger(settings={"validatorUrl": None}),
)
errors.install(api)
for module in (store, orders, items, shipments):
    api.add_router("", module.router)
