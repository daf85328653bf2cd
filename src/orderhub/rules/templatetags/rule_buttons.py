"""`{% rule_buttons store form_id="orders-form" %}` / `{% rule_buttons store order=order %}`:
the store's custom rule buttons and a "Run event" menu, for the orders list (acting on the
selected orders of that form) or the order page (acting on that order)."""

from __future__ import annotations

from django import template

from orderhub.rules.event_types import CUSTOM_EVENTS, EVENTS
from orderhub.rules.queries import button_names

register = template.Library()


@register.inclusion_tag("rules/_buttons.html", takes_context=True)
def rule_buttons(context: template.Context, store, form_id: str = "", order=None) -> dict:
    request = context.get("request")
    return {
        "store": store,
        "names": button_names(store) if store else [],
        "events": [(key, label) for key, label in EVENTS.items() if key not in CUSTOM_EVENTS],
        "form_id": form_id,
        "order": order,
        "next": request.get_full_path() if request else "",
        "csrf_token": context.get("csrf_token"),
    }
