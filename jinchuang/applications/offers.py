"""免申即享: offers prefilled from facts the platform holds; the organisation confirms instead of applying."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from jinchuang.accounts.models import Organisation, Role, User
from jinchuang.applications import errors
from jinchuang.applications.engine import case_on_record
from jinchuang.applications.errors import ApplicationError, TransitionPermissionDenied
from jinchuang.applications.models import Application, Offer, OfferState
from jinchuang.applications.notifications import notify
from jinchuang.applications.permissions import as_user, roles_of
from jinchuang.applications.services import application_submit
from jinchuang.applications.workflow import State
from jinchuang.audit.actions import AuditAction
from jinchuang.audit.services import audit_record, audit_snapshot
from jinchuang.calculator.services import calculation_run
from jinchuang.policy.money import yuan_to_fen as to_fen
from jinchuang.policy.results import Status

OFFICER_ROLES = frozenset({Role.REVIEWER, Role.SERVICE_AGENT, Role.ADMIN})
#: an application in one of these states no longer blocks a new offer for the same measure
ENDED_WITHOUT_AWARD = (State.REJECTED, State.WITHDRAWN)


def offer_create_from_facts(
    *, organisation: Organisation, case_data: dict[str, Any], actor: User, request: HttpRequest | None = None
) -> list[Offer]:
    """Create an open offer for every measure of the organisation's valley the facts make it eligible
    for (with an amount), unless it already applied for that measure or holds an open offer for it.
    The applicant's kind, valley and 入驻日期 are the organisation's record's, whatever was typed."""
    user = as_user(actor)
    if user is None or not roles_of(user) & OFFICER_ROLES:
        raise TransitionPermissionDenied(errors.NOT_PERMITTED % {"transition": "免申即享"})
    # the organisation's record says who and where (its valley's measures only), judged today
    case_data = case_on_record(organisation, case_data, as_of=timezone.localdate())
    result = calculation_run(case_data=case_data, valley=organisation.valley, explain=False)
    applied = set(
        Application.objects.filter(organisation=organisation)
        .exclude(state__in=ENDED_WITHOUT_AWARD)
        .values_list("measure_id", flat=True)
    )
    created: list[Offer] = []
    for measure in result.measures:
        if measure.status not in (Status.ELIGIBLE, Status.NEEDS_REVIEW) or measure.amount <= 0:
            continue
        if measure.measure_id in applied:
            continue
        try:
            with transaction.atomic():
                offer = Offer.objects.create(
                    organisation=organisation,
                    measure_id=measure.measure_id,
                    title=measure.title,
                    case_data=case_data,
                    engine_max_fen=to_fen(measure.amount),
                    created_by=user,
                )
                audit_record(
                    actor=user,
                    action=AuditAction.OFFER_CREATE,
                    obj=offer,
                    before=None,
                    after=audit_snapshot(offer),
                    request=request,
                )
        except IntegrityError:  # an open offer for this measure exists already
            continue
        created.append(offer)
    if created:
        members = User.objects.filter(organisation=organisation, roles__role=Role.APPLICANT)
        names = "、".join(o.title for o in created)
        notify(
            users=members,
            text=f"免申即享: 平台已为您生成 {len(created)} 项可确认的支持({names})",
            link="/applications/offers/",
        )
    return created


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
