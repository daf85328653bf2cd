"""Helpers for the page tests: an order made through the services, and the pages' URLs."""

from __future__ import annotations

from django.urls import reverse

from orderhub.orders import services
from orderhub.orders.drafts import OrderDraft


def make_order(store, **overrides):
    data = {
        "email": "jimmy@example.com",
        "source_id": "1001",
        "shipping": {"first_name": "Jimmy", "last_name": "Dean", "city": "Nashville"},
        "checkout_data": {"Gift Message": "Happy Birthday"},
        "order_metadata": {"fraud_protection_score": 0},
        "order_items": [
            {
                "name": "Crazy Glue",
                "code": "crzyg-554",
                "price": "10",
                "quantity": 1,
                "variation_list": {"Size": "Small"},
                "metadata": {"image": "https://cdn.example.com/glue.jpg"},
            },
            {"name": "Tape", "price": "2.50", "quantity": 2},
        ],
    }
    data.update(overrides)
    return services.create_order(store, OrderDraft.model_validate(data), actor=None)


def store_urls(store, folder) -> list[str]:
    """Every GET page of a store."""
    names = ["store_home", "all_orders", "add_order", "store_details", "folders"]
    names += ["api_settings", "integrations"]
    urls = [reverse(f"web:{name}", args=[store.id]) for name in names]
    urls.append(reverse("web:folder_orders", args=[store.id, folder.id]))
    urls.append(reverse("web:delete_folder", args=[store.id, folder.id]))
    return urls


def order_urls(order) -> list[str]:
    """Every GET page and partial of an order."""
    args = [order.store_id, order.id]
    urls = [reverse("web:order", args=args), reverse("web:order_history", args=args)]
    urls += [reverse("web:order_details", args=args) + suffix for suffix in ("", "?edit=1")]
    for which in ("shipping", "customer", "return_address"):
        urls.append(reverse("web:order_address", args=[*args, which]) + "?edit=1")
    for field in ("checkout_data", "order_metadata"):
        urls.append(reverse("web:order_data", args=[*args, field]) + "?edit=1")
    return urls
