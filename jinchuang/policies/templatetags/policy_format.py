"""Template filters of the policy pages."""

from __future__ import annotations

from decimal import Decimal

from django import template

from jinchuang.policies.reading import yuan as yuan_text

register = template.Library()


@register.filter
def yuan(value: Decimal | str | None) -> str:
    """500000 → '500,000.00 元'; empty → '—'."""
    if value is None or value == "":
        return "—"
    return yuan_text(Decimal(str(value)))
