"""Template helpers of the simulation pages (money filters are in jinchuang/web/templatetags/money.py)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def year_pair(by_year: dict[str, list[int]], year: str) -> list[int]:
    return by_year.get(str(year), [0, 0]) if isinstance(by_year, dict) else [0, 0]


@register.filter
def get_key(mapping: dict[str, object], key: str) -> object:
    return mapping.get(key, "") if isinstance(mapping, dict) else ""
