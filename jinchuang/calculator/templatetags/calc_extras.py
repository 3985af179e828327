from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def yuan(value: object) -> str:
    """1234567.5 → '1,234,567.50' (exact: the value is a Decimal or a decimal string)."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(str(value)):,.2f}"


@register.filter
def get(mapping: dict[str, object], key: str) -> object:
    return mapping.get(key, "") if isinstance(mapping, dict) else ""
