"""Caps enforced by the database (ADR 0005).

An approval draws its amount from one quota row per applicable cap with a conditional UPDATE::

    UPDATE quota SET used_fen = used_fen + :amount WHERE id = :id AND used_fen <= limit_fen - :amount

and checks that one row changed. Two approvals that cross can never both pass: the database
serialises the two UPDATEs on the row (row lock on PostgreSQL, the write lock on SQLite) and the
second one re-evaluates the condition against the first one's result. The CHECK constraint
``used_fen <= limit_fen`` is the last line of defence. Never read ``used_fen`` in Python to decide.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from jinchuang.accounts.models import Organisation
from jinchuang.applications.engine import matter_parts
from jinchuang.applications.errors import CapExceededError
from jinchuang.applications.models import Application, Award, Quota, QuotaUse
from jinchuang.policy.catalog import default_catalog
from jinchuang.policy.money import yuan_to_fen as to_fen
from jinchuang.policy.plan import plan_for
from jinchuang.policy.results import CAP_LABELS
from jinchuang.policy.schema import Caps


@dataclass(frozen=True)
class Draw:
    """Take ``amount_fen`` from the quota ``key`` whose limit is ``limit_fen``."""

    key: str
    label: str
    limit_fen: int
    amount_fen: int
    raise_limit: bool = False  # 就高不重复 rows: the limit grows to the highest entitlement of the matter


def _running_draws(prefix: str, label: str, caps: Caps, by_year: dict[int, int]) -> list[Draw]:
    draws: list[Draw] = []
    if caps.per_entity_per_year is not None:
        for year, amount in sorted(by_year.items()):
            if amount > 0:
                draws.append(
                    Draw(
                        f"{prefix}:per_entity_per_year:{year}",
                        _("%(measure)s%(cap)s(%(year)s年)")
                        % {"measure": label, "cap": _(CAP_LABELS["per_entity_per_year"]), "year": year},
                        to_fen(caps.per_entity_per_year),
                        amount,
                    )
                )
    total = sum(by_year.values())
    if caps.cumulative_per_entity is not None and total > 0:
        draws.append(
            Draw(
                f"{prefix}:cumulative_per_entity",
                _("%(measure)s%(cap)s") % {"measure": label, "cap": _(CAP_LABELS["cumulative_per_entity"])},
                to_fen(caps.cumulative_per_entity),
                total,
            )
        )
    return draws


def quota_draws(application: Application, amount_fen: int) -> list[Draw]:
    """Every cap an approval of ``amount_fen`` must fit under, with the part it takes from each."""
    doc, measure = default_catalog().measure(application.measure_id)
    plan = plan_for(doc, measure)
    title = _("《%(title)s》") % {"title": measure.title}
    draws = [
        Draw(
            f"award:{application.pk}",
            _("%(measure)s本案计算上限") % {"measure": title},
            application.engine_max_fen,
            amount_fen,
        )
    ]
    matters = [m for m in application.matters if int(m["net_fen"]) > 0]
    if not matters:  # nothing itemised: attribute the whole amount to the submission year
        year = (application.submitted_at or timezone.now()).year
        matters = [{"rule": "", "event_year": year, "event_key": f"application-{application.pk}", "gross_fen": 0}]
        parts = [amount_fen]
    else:
        parts = matter_parts(matters, amount_fen)
    measure_by_year: dict[int, int] = defaultdict(int)
    rule_by_year: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    group_of = {r.rule.id: r.cap_key for r in plan.rules}
    group_label: dict[str, str] = {}
    for r in plan.rules:  # a cap group is named after its first rule (the one whose caps it shares)
        group_label.setdefault(r.cap_key, r.rule.label)
    group_caps = dict(plan.cap_groups)
    per_matter: dict[str, tuple[int, int]] = {}
    for matter, part in zip(matters, parts, strict=True):
        year = int(matter["event_year"])
        measure_by_year[year] += part
        if matter["rule"]:
            rule_by_year[group_of.get(matter["rule"], matter["rule"])][year] += part
        key = f"matter:{measure.overlap_group or measure.id}:{matter['event_key']}"
        gross = max(int(matter["gross_fen"]), int(matter.get("net_fen", 0)))
        previous = per_matter.get(key, (0, 0))
        per_matter[key] = (previous[0] + gross, previous[1] + part)
    draws += _running_draws(f"{measure.id}:measure", title, measure.caps, measure_by_year)
    for group, by_year in sorted(rule_by_year.items()):
        if group in group_caps:
            draws += _running_draws(
                f"{measure.id}:{group}",
                _("%(measure)s(%(rule)s)") % {"measure": title, "rule": group_label.get(group, group)},
                group_caps[group],
                by_year,
            )
    for key, (gross, part) in sorted(per_matter.items()):
        if gross > 0 and part > 0:
            label = _("%(measure)s就高不重复(同一事项)") % {"measure": title}
            draws.append(Draw(key, label, gross, part, True))
    return draws


def quota_consume(*, organisation: Organisation, award: Award, draws: Iterable[Draw]) -> None:
    """Take every draw or raise CapExceededError naming the cap. Call inside ``transaction.atomic``:
    an error rolls back the draws already taken. Rows are touched in key order (no deadlocks)."""
    for draw in sorted(draws, key=lambda d: d.key):
        quota, _created = Quota.objects.get_or_create(
            organisation=organisation, key=draw.key, defaults={"limit_fen": draw.limit_fen, "label": draw.label}
        )
        if draw.raise_limit:
            Quota.objects.filter(pk=quota.pk, limit_fen__lt=draw.limit_fen).update(limit_fen=draw.limit_fen)
        taken = Quota.objects.filter(pk=quota.pk, used_fen__lte=F("limit_fen") - draw.amount_fen).update(
            used_fen=F("used_fen") + draw.amount_fen
        )
        if taken != 1:
            current = Quota.objects.get(pk=quota.pk)
            raise CapExceededError(
                cap=draw.label,
                key=draw.key,
                limit_fen=current.limit_fen,
                used_fen=current.used_fen,
                amount_fen=draw.amount_fen,
            )
        QuotaUse.objects.create(award=award, quota=quota, amount_fen=draw.amount_fen)


def quota_release(*, award: Award) -> None:
    """Give back what a cancelled award took (once: each use is marked released)."""
    now = timezone.now()
    for use in QuotaUse.objects.filter(award=award, released_at__isnull=True).order_by("quota__key"):
        released = QuotaUse.objects.filter(pk=use.pk, released_at__isnull=True).update(released_at=now)
        if released:
            Quota.objects.filter(pk=use.quota_id).update(used_fen=F("used_fen") - use.amount_fen)
