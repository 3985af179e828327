"""In-app messages and e-mail. Rows are written in the caller's transaction; mail goes on commit."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jinchuang.accounts.models import User
from jinchuang.applications.models import Application, Notification


def application_link(application: Application) -> str:
    return f"/applications/{application.pk}/"


def notify(*, users: Iterable[User], text: str, application: Application | None = None, link: str = "") -> int:
    """One in-app message per distinct user; an e-mail to those with an address, after commit."""
    unique = {u.pk: u for u in users if u is not None and u.pk is not None}
    if not unique:
        return 0
    link = link or (application_link(application) if application is not None else "")
    Notification.objects.bulk_create(
        [Notification(user=u, text=text[:500], link=link, application=application) for u in unique.values()]
    )
    addresses = sorted({u.email for u in unique.values() if u.email})
    if addresses:
        body = f"{text}\n\n{link}" if link else text
        subject = _("【晋创通】%(text)s") % {"text": text[:60]}  # in the language of the request or job

        def _send() -> None:
            send_mail(
                subject,
                body,
                settings.DEFAULT_FROM_EMAIL,
                addresses,
                fail_silently=True,  # a mail server outage must not undo a committed decision
            )

        transaction.on_commit(_send)
    return len(unique)


def notifications_mark_read(*, user: User, ids: Iterable[int] = (), everything: bool = False) -> int:
    """Mark the user's own unread messages read: those in ``ids`` (others' ids are ignored), or all of
    them with ``everything``. Returns how many were marked. Reading a message is the reader's mark,
    not a state change of an application, so no audit row."""
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if not everything:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())
