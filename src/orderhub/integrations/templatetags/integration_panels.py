"""Template tags that put integrations' order panels on the order page.

`{% shipment_sync order shipment %}` beside a shipment and `{% order_sync_notes order %}`
under the shipments; the panels are computed once per order per rendered template.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from orderhub.integrations.order_page import OrderPanel, order_panels

register = template.Library()


def _panels(context: template.Context, order) -> list[OrderPanel]:
    key = ("integration-panels", order.pk)
    if key not in context.render_context:
        context.render_context[key] = order_panels(order)
    return context.render_context[key]


@register.simple_tag(takes_context=True)
def shipment_sync(context: template.Context, order, shipment) -> SafeString:
    parts = [
        p.shipments[shipment.pk] for p in _panels(context, order) if shipment.pk in p.shipments
    ]
    return format_html_join("", "{}", ((part,) for part in parts))


@register.simple_tag(takes_context=True)
def order_sync_notes(context: template.Context, order) -> SafeString:
    parts = [p.notes for p in _panels(context, order) if p.notes]
    return format_html_join("", "{}", ((part,) for part in parts))
