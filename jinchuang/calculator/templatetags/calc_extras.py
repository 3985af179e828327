"""Template helpers of the calculator pages (money filters are in jinchuang/web/templatetags/money.py)."""

from django import template

register = template.Library()


@register.filter
def get(mapping: dict[str, object], key: str) -> object:
    return mapping.get(key, "") if isinstance(mapping, dict) else ""
