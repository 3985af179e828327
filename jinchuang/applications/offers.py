"""免申即享: offers prefilled from facts the platform holds; the organisation confirms instead of applying."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from jinchuang.accounts.models import Organisation, Role, User
from jinchuang.applications import errors
from jinchuang.applications.engine import case_on_record, catalog_measure, relied_facts
from jinchuang.applications.errors import ApplicationError, TransitionPermissionDenied
from jinchuang.applications.models import Application, Offer, OfferState
from jinchuang.applications.notifications import notify
from jinchuang.applications.permissions import as_user, roles_of
from jinchuang.applications.services import application_submit
from jinchuang.applications.workflow import State
from jinchuang.audit.actions import AuditAction
from jinchuang.audit.services import audit_record, audit_snapshot
from jinchuang.calculator.services import calculation_run
from jinchuang.policy.case import parse_case
from jinchuang.policy.catalog import default_catalog
from jinchuang.policy.money import format_fen
from jinchuang.policy.money import yuan_to_fen as to_fen
from jinchuang.policy.plan import plan_for
from jinchuang.policy.results import Status
from jinchuang.records.models import Fact, FactState
from jinchuang.records.selectors import case_from_facts, live_facts_by_organisation, record_case
from jinchuang.records.services import fact_enter

OFFICER_ROLES = frozenset({Role.REVIEWER, Role.SERVICE_AGENT, Role.ADMIN})
#: an application in one of these states no longer blocks a new offer for the same measure
ENDED_WITHOUT_AWARD = (State.REJECTED, State.WITHDRAWN)


def basis_key(measure_id: str, facts: list[Fact]) -> str:
    """The measure and the facts an offer rests on: never offered twice on the same facts."""
    text = measure_id + "|" + ",".join(sorted(f.digest for f in facts))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]


def record_fingerprint(organisation_id: int) -> str:
    """A name for what re-evaluation reads: the verified facts of the organisation and the catalog."""
    digests = sorted(
        Fact.objects.filter(organisation_id=organisation_id, state=FactState.VERIFIED).values_list("digest", flat=True)
    )
    text = default_catalog().digest + "|" + ",".join(digests)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass
class Prefetched:
    """What :func:`offers_reevaluate` reads per organisation, loaded at once for a batch of them: live
    facts, the measures applied for (not rejected or withdrawn), the basis keys already offered and the
    applicants to notify. ``offered`` grows as offers are created, so a batch never offers twice."""

    facts: dict[int, list[Fact]] = field(default_factory=dict)
    applied: dict[int, set[str]] = field(default_factory=dict)
    offered: dict[int, set[str]] = field(default_factory=dict)
    members: dict[int, list[User]] = field(default_factory=dict)


def prefetch_for_reevaluation(organisation_ids: Iterable[int]) -> Prefetched:
    """Four queries for the whole batch instead of four per organisation."""
    ids = list(organisation_ids)
    prefetched = Prefetched(facts=live_facts_by_organisation(ids))
    for org_id, measure_id in (
        Application.objects.filter(organisation_id__in=ids)
        .exclude(state__in=ENDED_WITHOUT_AWARD)
        .values_list("organisation_id", "measure_id")
    ):
        prefetched.applied.setdefault(org_id, set()).add(measure_id)
    for org_id, key in (
        Offer.objects.filter(organisation_id__in=ids).exclude(basis_key="").values_list("organisation_id", "basis_key")
    ):
        prefetched.offered.setdefault(org_id, set()).add(key)
    for user in User.objects.filter(organisation_id__in=ids, roles__role=Role.APPLICANT).distinct():
        prefetched.members.setdefault(user.organisation_id, []).append(user)  # type: ignore[arg-type]
    return prefetched


def offers_reevaluate(
    *, organisation: Organisation, actor: User | None = None, prefetched: Prefetched | None = None
) -> list[Offer]:
    """免申即享 that runs by itself: judge the organisation's verified facts (identity from its record,
    today) against its valley's measures and create an open offer for every measure it newly qualifies
    for with an amount — the clause, the amount and the facts it rests on — unless it has applied for the
    measure, holds an open offer for it, or was offered it on the same facts before; notify the
    organisation's applicants. Safe to run again: it creates nothing the second time.

    ``prefetched`` (from :func:`prefetch_for_reevaluation`, for a batch that contains the organisation)
    replaces the per-organisation reads; the result is the same."""
    today = timezone.localdate()
    if prefetched is None:
        record = record_case(organisation, as_of=today, verified_only=True)
    else:
        facts_on_record = prefetched.facts.get(organisation.pk, [])
        record = case_from_facts(organisation, facts_on_record, as_of=today, verified_only=True)
    if not record.event_facts:
        return []
    result = calculation_run(case_data=record.case_data, valley=organisation.valley, explain=False)
    if prefetched is None:
        applied = set(
            Application.objects.filter(organisation=organisation)
            .exclude(state__in=ENDED_WITHOUT_AWARD)
            .values_list("measure_id", flat=True)
        )
    else:
        applied = prefetched.applied.get(organisation.pk, set())
    created: list[Offer] = []
    citations: dict[int, str] = {}
    for measure in result.measures:
        if measure.status not in (Status.ELIGIBLE, Status.NEEDS_REVIEW) or measure.amount <= 0:
            continue
        if measure.measure_id in applied:
            continue
        found = catalog_measure(measure.measure_id)
        if found is None:
            continue
        facts = relied_facts(record, measure)
        key = basis_key(measure.measure_id, facts)
        if prefetched is not None:
            if key in prefetched.offered.get(organisation.pk, ()):
                continue
        elif Offer.objects.filter(organisation=organisation, basis_key=key).exists():
            continue
        types = sorted(plan_for(*found).event_types)
        case_data = case_from_facts(organisation, facts, as_of=today, event_types=types).case_data
        try:
            with transaction.atomic():
                offer = Offer.objects.create(
                    organisation=organisation,
                    measure_id=measure.measure_id,
                    title=measure.title,
                    case_data=case_data,
                    engine_max_fen=to_fen(measure.amount),
                    created_by=actor,
                    basis_key=key,
                )
                # a new offer has no facts yet: one insert (what ``facts.set`` does, without its two reads)
                Offer.facts.through.objects.bulk_create(
                    [Offer.facts.through(offer_id=offer.pk, fact_id=pk) for pk in dict.fromkeys(f.pk for f in facts)]
                )
                audit_record(
                    actor=actor,
                    action=AuditAction.OFFER_CREATE,
                    obj=offer,
                    before=None,
                    after=audit_snapshot(offer),
                )
        except IntegrityError:  # an open offer for this measure exists already, or a concurrent run made it
            continue
        created.append(offer)
        citations[offer.pk] = measure.citation
        if prefetched is not None:
            prefetched.offered.setdefault(organisation.pk, set()).add(key)
    if created:
        members: Iterable[User] = (
            User.objects.filter(organisation=organisation, roles__role=Role.APPLICANT)
            if prefetched is None
            else prefetched.members.get(organisation.pk, [])
        )
        names = _("、").join(
            _("%(title)s(%(clause)s, %(amount)s)")
            % {"title": o.title, "clause": citations[o.pk], "amount": format_fen(o.engine_max_fen)}
            for o in created
        )
        notify(
            users=members,
            text=_("免申即享: 根据您档案中已核验的事实, 平台已为您生成 %(n)s 项可确认的支持: %(names)s")
            % {"n": len(created), "names": names},
            link="/applications/offers/",
        )
    return created


def offer_create_from_facts(
    *, organisation: Organisation, case_data: dict[str, Any], actor: User, request: HttpRequest | None = None
) -> list[Offer]:
    """An officer who serves the organisation enters the events of ``case_data`` on its record (verified,
    attested by them) and the organisation is re-evaluated at once: an open offer for every measure of
    its valley it now qualifies for. The applicant's kind, valley and 入驻日期 are the record's."""
    user = as_user(actor)
    if user is None or not roles_of(user) & OFFICER_ROLES:
        raise TransitionPermissionDenied(errors.NOT_PERMITTED % {"transition": _("免申即享")})
    typed = case_on_record(organisation, case_data, as_of=timezone.localdate())
    parse_case(typed, default_catalog())  # every bad field named before anything is written
    with transaction.atomic():
        for event in typed.get("events") or ():
            fact_enter(
                organisation=organisation,
                event_data=event,
                actor=user,
                note=_("免申即享: 工作人员依据部门数据录入"),
                request=request,
            )
        return offers_reevaluate(organisation=organisation, actor=user)


def offer_confirm(*, offer: Offer, actor: User, request: HttpRequest | None = None) -> Application:
    """Turn an open offer into a submitted application (once: the key is the offer's)."""
    with transaction.atomic():
        locked = Offer.objects.select_for_update().get(pk=offer.pk)
        if locked.state == OfferState.CONFIRMED and locked.application is not None:
            return locked.application
        if locked.state != OfferState.OPEN:
            raise ApplicationError("offer", errors.OFFER_NOT_OPEN, "offer_not_open")
        application = application_submit(
            organisation=locked.organisation,
            measure_id=locked.measure_id,
            case_data=locked.case_data,
            idempotency_key=f"offer-{locked.pk}",
            actor=actor,
            request=request,
        )
        before = audit_snapshot(locked)
        locked.state = OfferState.CONFIRMED
        locked.application = application
        locked.save(update_fields=["state", "application"])
        audit_record(
            actor=actor,
            action=AuditAction.OFFER_CONFIRM,
            obj=locked,
            before=before,
            after=audit_snapshot(locked),
            request=request,
        )
    return application
