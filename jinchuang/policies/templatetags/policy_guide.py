"""``{% load policy_guide %}{% measure_guide measure_id %}``: the 办事指南 of a measure in any page.

The same block as ``{% include "policies/_guide.html" with guide=... %}`` (docs/guide-format.md), for a
template that has the measure's id but not its guide (the application form)."""

from __future__ import annotations

from typing import Any

from django import template

from jinchuang.policies.selectors import guide_for

register = template.Library()


@register.inclusion_tag("policies/_guide.html")
def measure_guide(measure_id: str) -> dict[str, Any]:
    return {"guide": guide_for(str(measure_id))}
