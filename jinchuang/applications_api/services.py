"""The one write this API owns besides tokens: marking the caller's own in-app messages read.

(The core app has no service for it yet; a message's read mark is the reader's, not an audited
state change of a case.)
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from jinchuang.accounts.models import User
from jinchuang.applications.models import Notification


def notifications_mark_read(*, user: User, ids: Iterable[int] = (), everything: bool = False) -> int:
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if not everything:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())
