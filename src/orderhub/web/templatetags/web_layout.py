"""The layout's parts: the sidebar (folders with counts) and the store switcher."""

from __future__ import annotations

from decimal import Decimal

from django import template

from orderhub.stores.queries import folders_with_counts, stores_for_user
from orderhub.web.order_forms import display_value

register = template.Library()

# Which sidebar entry a page belongs to, by URL name; other apps' pages pass `section`.
SECTIONS = {
    "integrations": "integrations",
    "store_details": "settings",
    "folders": "settings",
    "delete_folder": "settings",
    "api_settings": "settings",
    "all_orders": "all_orders",
    "add_order": "add_order",
}


@register.inclusion_tag("web/_sidebar.html", takes_context=True)
def sidebar(context: template.Context) -> dict:
    request = context["request"]
    store = getattr(request, "store", None)
    if store is None:
        return {"store": None}
    folders = list(folders_with_counts(store))
    match = request.resolver_match
    url_name = match.url_name if match else ""
    active_folder = context.get("folder") or getattr(context.get("order"), "folder", None)
    return {
        "store": store,
        "folders": folders,
        "total": sum(folder.order_count for folder in folders),
        "section": context.get("section") or SECTIONS.get(url_name, ""),
        "active_folder_id": active_folder.id if active_folder else None,
    }


@register.inclusion_tag("web/_store_switcher.html", takes_context=True)
def store_switcher(context: template.Context) -> dict:
    request = context["request"]
    return {"current": getattr(request, "store", None), "stores": stores_for_user(request.user)}


@register.filter
def tag_class(color: str) -> str:
    """A CSS class for an order's tag colour (unknown colours get the neutral one)."""
    known = {"red", "orange", "yellow", "green", "blue", "purple", "gray"}
    return f"tag-{color}" if color in known else "tag-gray"


@register.filter
def full_name(address: dict) -> str:
    name = " ".join(p for p in (address.get("first_name"), address.get("last_name")) if p)
    return name or address.get("name", "")


@register.filter
def line_total(item) -> Decimal:
    return item.price * item.quantity


@register.filter
def web_link(url: str) -> str:
    """The URL when it is an http(s) link, else "" (a javascript: URL must never be a href)."""
    return url if url.lower().startswith(("https://", "http://")) else ""


@register.filter
def as_text(value) -> str:
    """A metadata value as a person reads it: text as is, anything else as JSON."""
    return display_value(value)
