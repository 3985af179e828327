"""Reads: what each role may see, what waits for it, the clock of a case, the ledger, 公示."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise

from jinchuang.accounts.models import Role, User
from jinchuang.applications.clock import working_time_between
from jinchuang.applications.models import Application, Instalment, Notification, PublicNotice
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
        visible |= Q(expert_scores__expert=actor)
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
            state=State.EXPERT_REVIEW, expert_scores__expert=actor, expert_scores__score__isnull=True
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
) -> QuerySet[Instalment]:
    """Instalments of live awards, filtered; an applicant sees only its organisation's rows, a
    reviewer only their department's, finance and administrators all."""
    actor = as_user(user)
    rows = Instalment.objects.filter(award__cancelled_at__isnull=True).select_related(
        "award__organisation", "award__application"
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
    return rows.order_by("award__valley", "award__organisation__name", "award_id", "sequence")


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
