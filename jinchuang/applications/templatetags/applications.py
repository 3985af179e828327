"""Template helpers of the application pages: the unread count in the nav, JSON of a case (money: {% load money %})."""

from __future__ import annotations

import json
from typing import Any

from django import template

from jinchuang.applications.selectors import notifications_unread

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
