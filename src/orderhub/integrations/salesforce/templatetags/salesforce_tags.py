from django import template

register = template.Library()


@register.filter
def error_for(errors: dict, key: str) -> str:
    """The problem reported for a setting (rows: "custom_order_fields.2.field")."""
    return errors.get(key, "") if errors else ""


@register.filter
def row_error(errors: dict, prefix: str) -> str:
    """Every problem of one mapping row, e.g. prefix "custom_order_fields.2"."""
    if not errors:
        return ""
    return " ".join(message for key, message in errors.items() if key.startswith(prefix + "."))


@register.simple_tag
def row_key(base: str, index: int) -> str:
    return f"{base}.{index}"


@register.filter
def attr_value(obj, name: str):
    value = getattr(obj, name, "")
    return "" if value is None else value
