"""What the core app (jinchuang.applications) does not offer yet and these pages need.

Each function here is the smallest stand-in, to be replaced by a core selector/service when one
exists (listed in the hand-over note). Nothing here decides a workflow question.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from jinchuang.accounts.models import Role, User
from jinchuang.applications.models import Notification
from jinchuang.policy.catalog import default_catalog
from jinchuang.policy.schema import Document, Measure


def experts_available() -> QuerySet[User]:
    """Users holding the expert role (the reviewer picks who scores). Core lacks an experts selector."""
    return User.objects.filter(roles__role=Role.EXPERT, is_active=True).distinct().order_by("display_name", "pk")


def notifications_for(*, user: User, limit: int = 100) -> list[Notification]:
    """All of a user's in-app messages, newest first. Core only has notifications_unread."""
    return list(Notification.objects.filter(user=user).select_related("application")[:limit])


def notifications_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    """Mark the user's messages read (all when ``ids`` is None). Core lacks this write; reading a
    message is not a state change of an application, so no audit row."""
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows.update(read_at=timezone.now())


def measure_lookup(measure_id: str) -> tuple[Document, Measure] | None:
    """The catalog entry an application form is for (None when the catalog has no such measure)."""
    try:
        return default_catalog().measure(measure_id)
    except KeyError:
        return None


def measure_event_types(measure: Measure) -> list[str]:
    """The event types the measure's rules read: the facts its form asks for, in rule order."""
    seen: list[str] = []
    for rule in measure.rules:
        event: Any = getattr(rule, "event", None)
        if event and event not in seen:
            seen.append(str(event))
    return seen
