"""Reads: what each role may see, what waits for it, the clock of a case, the ledger, 公示."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Case, Count, Max, Q, QuerySet, Sum, Value, When
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise

from jinchuang.accounts.models import Role, User
from jinchuang.applications.clock import time_left_text as time_left_text  # re-exported for the pages
from jinchuang.applications.clock import working_time_between
from jinchuang.applications.models import Application, Instalment, Notification, Offer, OfferState, PublicNotice
from jinchuang.applications.permissions import as_user, reviewer_departments, roles_of, served_organisation_ids
from jinchuang.applications.workflow import STATE_LABELS, STEP_OWNER, TERMINAL_STATES, State
from jinchuang.policy.catalog import default_catalog
from jinchuang.policy.results import plain_explanation
from jinchuang.records.facts import FactView, fact_view

AGENT_STATES = (State.SUBMITTED, State.RESUBMITTED, State.INITIAL_REVIEW)
REVIEWER_STATES = (State.DEPARTMENT_REVIEW, State.EXPERT_REVIEW, State.APPROVAL, State.PUBLIC_NOTICE)
#: states with a running clock
CLOCKED_STATES = tuple(s for s in STEP_OWNER if s not in TERMINAL_STATES and s not in (State.DRAFT, State.RETURNED))


def _with_overdue(queryset: QuerySet[Application], now: dt.datetime) -> QuerySet[Application]:
    return queryset.annotate(
        is_overdue=Case(
            When(Q(step_deadline__lt=now) & Q(state__in=CLOCKED_STATES), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def applications_visible_to(user: User) -> QuerySet[Application]:
    """Per-record access: the applications ``user`` may open (others answer 404)."""
    actor = as_user(user)
    if actor is None:
        return Application.objects.none()
    roles = roles_of(actor)
    if Role.ADMIN in roles or Role.FINANCE in roles:
        return Application.objects.exclude(state=State.DRAFT) | Application.objects.filter(
            organisation=actor.organisation
        )
    visible = Q(pk__in=[])
    if Role.APPLICANT in roles and actor.organisation_id is not None:
        visible |= Q(organisation_id=actor.organisation_id)
    if Role.SERVICE_AGENT in roles:
        visible |= Q(organisation_id__in=served_organisation_ids(actor)) & ~Q(state=State.DRAFT)
    if Role.REVIEWER in roles:
        visible |= Q(lead_department__in=reviewer_departments(actor)) & ~Q(state=State.DRAFT)
    if Role.EXPERT in roles:
        visible |= Q(expert_scores__expert=actor, expert_scores__recused_at__isnull=True)  # 回避: off the case
    return Application.objects.filter(visible).distinct()


def application_get_for_user(*, user: User, pk: int) -> Application:
    try:
        return applications_visible_to(user).select_related("organisation").get(pk=pk)
    except Application.DoesNotExist:
        raise Http404("application") from None


def queue_for(user: User, *, now: dt.datetime | None = None) -> dict[Role, QuerySet[Any]]:
    """What waits for each role ``user`` holds; application queues carry ``is_overdue``, overdue first.

    applicant: the organisation's open cases; 服务专员: cases to accept or 初审 of the organisations
    they serve; reviewer: their department's measures; expert: cases assigned and not yet scored;
    finance: unpaid instalments due this year or earlier.
    """
    actor = as_user(user)
    if actor is None:
        return {}
    now = now or timezone.now()
    roles = roles_of(actor)
    queues: dict[Role, QuerySet[Any]] = {}
    order = ("-is_overdue", "step_deadline", "pk")
    if Role.APPLICANT in roles:
        own = Application.objects.filter(organisation=actor.organisation).exclude(state__in=TERMINAL_STATES)
        queues[Role.APPLICANT] = _with_overdue(own, now).order_by(*order)
    if Role.SERVICE_AGENT in roles:
        served = Application.objects.filter(organisation_id__in=served_organisation_ids(actor), state__in=AGENT_STATES)
        queues[Role.SERVICE_AGENT] = _with_overdue(served, now).order_by(*order)
    if Role.REVIEWER in roles:
        department = Application.objects.filter(
            lead_department__in=reviewer_departments(actor), state__in=REVIEWER_STATES
        )
        queues[Role.REVIEWER] = _with_overdue(department, now).order_by(*order)
    if Role.EXPERT in roles:
        assigned = Application.objects.filter(
            state=State.EXPERT_REVIEW,
            expert_scores__expert=actor,
            expert_scores__score__isnull=True,
            expert_scores__recused_at__isnull=True,
        )
        queues[Role.EXPERT] = _with_overdue(assigned, now).order_by(*order)
    if Role.FINANCE in roles:
        queues[Role.FINANCE] = instalments_due(year=timezone.localtime(now).year)
    if Role.ADMIN in roles:
        queues[Role.ADMIN] = _with_overdue(overdue_applications(now=now), now).order_by(*order)
    return queues


def instalments_due(*, year: int) -> QuerySet[Instalment]:
    return (
        Instalment.objects.filter(
            paid_on__isnull=True,
            due_year__lte=year,
            award__cancelled_at__isnull=True,
            award__application__state=State.PAYMENT_SCHEDULED,
        )
        .select_related("award__organisation", "award__application")
        .order_by("due_year", "award_id", "sequence")
    )


def overdue_applications(*, now: dt.datetime | None = None) -> QuerySet[Application]:
    now = now or timezone.now()
    return Application.objects.filter(step_deadline__lt=now, state__in=CLOCKED_STATES).order_by("step_deadline", "pk")


@dataclass(frozen=True)
class Clock:
    """What the applicant sees: the step, who is responsible, the deadline and working time left."""

    state: State
    step: Promise
    responsible: str
    deadline: dt.datetime | None
    working_time_left: dt.timedelta | None
    overdue: bool


def application_clock(application: Application, *, now: dt.datetime | None = None) -> Clock:
    now = now or timezone.now()
    state = State(application.state)
    responsible = (
        application.responsible_user.get_full_name()
        if application.responsible_user
        else application.responsible_department
    )
    left = working_time_between(now, application.step_deadline) if application.step_deadline else None
    overdue = application.step_deadline is not None and application.step_deadline < now and state in CLOCKED_STATES
    return Clock(state, STATE_LABELS[state], responsible, application.step_deadline, left, overdue)


def ledger_rows(
    *,
    user: Any,
    organisation_id: int | None = None,
    measure_id: str | None = None,
    department: str | None = None,
    valley: str | None = None,
    year: int | None = None,
    paid_month: dt.date | None = None,
) -> QuerySet[Instalment]:
    """Instalments of live awards, filtered; an applicant sees only its organisation's rows, a
    reviewer only their department's, finance and administrators all. ``paid_month`` (any day of
    it) keeps the instalments paid in that calendar month."""
    actor = as_user(user)
    rows = Instalment.objects.filter(award__cancelled_at__isnull=True).select_related(
        "award__organisation", "award__application", "award__approved_by", "paid_by"
    )
    if actor is None:
        return rows.none()
    roles = roles_of(actor)
    if not roles & {Role.FINANCE, Role.ADMIN}:
        scope = Q(pk__in=[])
        if Role.APPLICANT in roles and actor.organisation_id is not None:
            scope |= Q(award__organisation_id=actor.organisation_id)
        if Role.REVIEWER in roles:
            scope |= Q(award__lead_department__in=reviewer_departments(actor))
        rows = rows.filter(scope)
    if organisation_id is not None:
        rows = rows.filter(award__organisation_id=organisation_id)
    if measure_id:
        rows = rows.filter(award__measure_id=measure_id)
    if department:
        rows = rows.filter(award__lead_department=department)
    if valley:
        rows = rows.filter(award__valley=valley)
    if year is not None:
        rows = rows.filter(due_year=year)
    if paid_month is not None:
        rows = rows.filter(paid_on__year=paid_month.year, paid_on__month=paid_month.month)
    return rows.order_by("award__valley", "award__organisation__name", "award_id", "sequence")


@dataclass(frozen=True)
class LedgerGroup:
    """One bar of the ledger's charts: a measure (key = measure id) or a month of payment (key = 'YYYY-MM')."""

    key: str
    label: str
    citation: str
    count: int
    total_fen: int
    paid_fen: int

    @property
    def unpaid_fen(self) -> int:
        return self.total_fen - self.paid_fen


@dataclass(frozen=True)
class LedgerSummary:
    """Totals of a filtered ledger, by measure and by month of payment, summed in the database in fen."""

    count: int
    total_fen: int
    paid_fen: int
    by_measure: list[LedgerGroup]
    by_month: list[LedgerGroup]

    @property
    def unpaid_fen(self) -> int:
        return self.total_fen - self.paid_fen


_PAID = Q(paid_on__isnull=False)


def ledger_summary(rows: QuerySet[Instalment]) -> LedgerSummary:
    """The totals of ``rows`` (a :func:`ledger_rows` query, all of it, not only the rows a page lists):
    every instalment's amount, the paid part, per measure (its name and clause) and per month paid."""
    plain = rows.order_by()
    totals = plain.aggregate(count=Count("pk"), total=Sum("amount_fen"), paid=Sum("amount_fen", filter=_PAID))
    measures = (
        plain.values("award__measure_id")
        .annotate(
            title=Max("award__application__title"),
            citation=Max("award__application__citation"),
            count=Count("pk"),
            total=Sum("amount_fen"),
            paid=Sum("amount_fen", filter=_PAID),
        )
        .order_by("award__measure_id")
    )
    months = (
        plain.filter(_PAID)
        .annotate(month=TruncMonth("paid_on"))
        .values("month")
        .annotate(count=Count("pk"), paid=Sum("amount_fen"))
        .order_by("month")
    )
    by_measure = [
        LedgerGroup(
            key=m["award__measure_id"],
            label=m["title"] or m["award__measure_id"],
            citation=m["citation"] or "",
            count=m["count"],
            total_fen=int(m["total"] or 0),
            paid_fen=int(m["paid"] or 0),
        )
        for m in measures
    ]
    by_month = [
        LedgerGroup(
            key=f"{m['month']:%Y-%m}",
            label=f"{m['month']:%Y-%m}",
            citation="",
            count=m["count"],
            total_fen=int(m["paid"] or 0),
            paid_fen=int(m["paid"] or 0),
        )
        for m in months
    ]
    return LedgerSummary(
        count=totals["count"],
        total_fen=int(totals["total"] or 0),
        paid_fen=int(totals["paid"] or 0),
        by_measure=sorted(by_measure, key=lambda g: (-g.total_fen, g.key)),
        by_month=by_month,
    )


def public_notices_current(*, now: dt.datetime | None = None) -> QuerySet[PublicNotice]:
    now = now or timezone.now()
    return (
        PublicNotice.objects.filter(starts_at__lte=now, ends_at__gt=now, application__state=State.PUBLIC_NOTICE)
        .select_related("application__organisation", "application__award")
        .order_by("ends_at", "pk")
    )


def notifications_unread(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, read_at__isnull=True)


def notifications_for(*, user: User, limit: int = 100) -> list[Notification]:
    """All of a user's in-app messages, newest first (the model's ordering)."""
    return list(Notification.objects.filter(user=user).select_related("application")[:limit])


def experts_available() -> QuerySet[User]:
    """Active users holding the expert role: whom a reviewer may send a case to for scoring."""
    return User.objects.filter(roles__role=Role.EXPERT, is_active=True).distinct().order_by("display_name", "pk")


def application_facts(application: Application) -> list[FactView]:
    """The facts of the organisation's record the application relies on, as the record shows them."""
    facts = application.facts.select_related("decided_by", "created_by").prefetch_related("evidence")
    return [fact_view(f) for f in facts.order_by("date", "pk")]


def application_explanation(application: Application) -> list[str]:
    """How the engine turned the facts into the ceiling, in Chinese sentences (no expressions)."""
    if not application.result:
        return []
    labels = {name: spec.label for name, spec in default_catalog().vocabulary.items()}
    return plain_explanation(application.result, labels)


@dataclass(frozen=True)
class StageLimit:
    """One stage of the workflow as the 办事指南 lists it: who holds it and its time limit."""

    label: str
    holder_role: Role | None  # None: the applicant's own step
    working_hours: int | None  # working time allowed (service clock), None when unclocked
    calendar_days: int | None  # 公示: calendar days


def workflow_stage_limits(*, expert_review: bool) -> list[StageLimit]:
    """The workflow's stages in order with their holders and time limits (conf + workflow), for the 办事指南."""
    from jinchuang.applications.conf import public_notice_days, step_working_hours
    from jinchuang.applications.steps import STAGES

    hours = step_working_hours()
    out = []
    for stage in STAGES:
        if stage.only_with_expert_review and not expert_review:
            continue
        first = min(stage.states, key=lambda s: list(State).index(s))
        owner = STEP_OWNER.get(first)
        out.append(
            StageLimit(
                label=str(stage.label),
                holder_role=owner[0] if owner and owner[0] is not Role.APPLICANT else None,
                working_hours=hours.get(first),
                calendar_days=public_notice_days() if first is State.PUBLIC_NOTICE else None,
            )
        )
    return out


def offers_waiting(*, organisation_id: int) -> QuerySet[Offer]:
    """The organisation's 免申即享 offers still to confirm, newest first (the applicant's workbench)."""
    return Offer.objects.filter(organisation_id=organisation_id, state=OfferState.OPEN).order_by("-created_at", "-pk")
