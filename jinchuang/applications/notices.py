"""公示 reads: the archive of past notices (period over) with their outcome, searchable by valley and year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jinchuang.accounts.choices import valley_label
from jinchuang.applications.models import ObjectionResolution, PublicNotice


class Outcome(StrEnum):
    CLEAN = "clean"
    UPHELD = "upheld"
    DISMISSED = "dismissed"
    PENDING = "pending"


OUTCOME_LABELS: dict[Outcome, Promise] = {
    Outcome.CLEAN: _("公示无异议"),
    Outcome.UPHELD: _("异议成立"),
    Outcome.DISMISSED: _("异议不成立"),
    Outcome.PENDING: _("异议处理中"),
}
OUTCOME_BADGE = {Outcome.CLEAN: "ok", Outcome.DISMISSED: "info", Outcome.UPHELD: "bad", Outcome.PENDING: "warn"}


@dataclass(frozen=True)
class ArchivedNotice:
    notice: PublicNotice
    outcome: Outcome
    label: Promise
    badge: str
    objections: int
    valley: str  # the valley's name in the page's language


def notice_outcome(notice: PublicNotice) -> Outcome:
    """No objection → 公示无异议; any upheld → 异议成立; any still open → 异议处理中; all dismissed → 异议不成立."""
    resolutions = [o.resolution for o in notice.objections.all()]
    if not resolutions:
        return Outcome.CLEAN
    if ObjectionResolution.UPHELD in resolutions:
        return Outcome.UPHELD
    if ObjectionResolution.OPEN in resolutions:
        return Outcome.PENDING
    return Outcome.DISMISSED


def public_notices_archive(
    *, valley: str = "", year: int | None = None, now: dt.datetime | None = None
) -> QuerySet[PublicNotice]:
    """Notices whose period is over (newest end first), optionally of one valley and one year (of the end)."""
    now = now or timezone.now()
    rows = PublicNotice.objects.filter(ends_at__lte=now)
    if valley:
        rows = rows.filter(application__valley=valley)
    if year is not None:
        start = timezone.make_aware(dt.datetime(year, 1, 1))
        rows = rows.filter(ends_at__gte=start, ends_at__lt=timezone.make_aware(dt.datetime(year + 1, 1, 1)))
    return rows.select_related("application__organisation").prefetch_related("objections").order_by("-ends_at", "-pk")


def archived(notices: list[PublicNotice]) -> list[ArchivedNotice]:
    rows = []
    for notice in notices:
        outcome = notice_outcome(notice)
        rows.append(
            ArchivedNotice(
                notice,
                outcome,
                OUTCOME_LABELS[outcome],
                OUTCOME_BADGE[outcome],
                len(notice.objections.all()),
                valley_label(notice.application.valley),
            )
        )
    return rows


def archive_years(*, now: dt.datetime | None = None) -> list[int]:
    """The years (of a notice's end) the archive holds, newest first: the options of the year filter."""
    now = now or timezone.now()
    ends = PublicNotice.objects.filter(ends_at__lte=now).dates("ends_at", "year", order="DESC")
    return [d.year for d in ends]
