"""Template helpers of the application pages: the unread count in the nav, JSON of a case, a measure's
clause (money: {% load money %})."""

from __future__ import annotations

import json
from typing import Any

from django import template

from jinchuang.applications.engine import catalog_measure
from jinchuang.applications.selectors import notifications_unread
from jinchuang.policy.citation import cite

register = template.Library()


@register.simple_tag
def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return notifications_unread(user=user).count()


@register.filter
def case_json(case_data: Any) -> str:
    """The calculator's case as JSON for the hidden field of the 申报 button (autoescaped in the attribute)."""
    return json.dumps(case_data or {}, ensure_ascii=False, default=str)


@register.filter
def measure_citation(measure_id: str) -> str:
    """The clause a measure cites (文号 + 条款, as on the application page); empty for an unknown measure."""
    found = catalog_measure(measure_id)
    if found is None:
        return ""
    document, measure = found
    return cite(document.wenhao, measure.clause)
