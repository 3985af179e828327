"""What the web pages read: 我的 and the workbench (工作台), each role's section from the owning areas' selectors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from jinchuang.accounts.models import Organisation, Role, User
from jinchuang.accounts.selectors import HeldRole, user_roles
from jinchuang.applications.selectors import application_clock, offers_waiting, queue_for, time_left_text
from jinchuang.records.selectors import RecordCompleteness, record_completeness, record_entitlements
from jinchuang.simulations.selectors import run_recent


@dataclass(frozen=True)
class MyProfile:
    display_name: str
    username: str
    masked_phone: str
    organisation: Organisation | None
    roles: list[HeldRole]


def my_profile(*, user: User) -> MyProfile:
    return MyProfile(
        display_name=user.get_full_name(),
        username=user.get_username(),
        masked_phone=user.masked_phone,
        organisation=user.organisation,
        roles=user_roles(user=user),
    )


#: rows shown per section of the workbench (the full lists are one click away)
ROWS_SHOWN = 8
#: entitlements shown by amount on the applicant's workbench
TOP_ENTITLEMENTS = 3
WORKING_DAY_SECONDS = 8 * 3600


def clock_text(left: dt.timedelta | None) -> str:
    """Working time left on a step, in its largest unit (applications.clock.time_left_text, coarse)."""
    return time_left_text(left, coarse=True)


@dataclass(frozen=True)
class CaseRow:
    """One application as a workbench row: its step, who holds it and the clock."""

    application: Any
    step: str
    responsible: str
    deadline: dt.datetime | None
    clock: str
    overdue: bool


@dataclass(frozen=True)
class EntitlementRow:
    title: str
    citation: str
    status_label: str
    amount: Decimal | None  # yuan; None for a measure paid after review (its range instead)
    review_range: tuple[Decimal, Decimal] | None


@dataclass
class ApplicantSection:
    organisation: Organisation
    completeness: RecordCompleteness
    entitlement_count: int
    entitlement_total: Decimal  # yuan: the fixed amounts
    review_ceiling: Decimal  # yuan: the upper ends of the review ranges
    top_entitlements: list[EntitlementRow]
    entitlement_problem: str
    applications: list[CaseRow]
    applications_total: int
    offers: list[Any] = field(default_factory=list)
    offers_total: int = 0


@dataclass
class QueueSection:
    role: Role
    title: str
    rows: list[CaseRow]
    total: int
    overdue: int


@dataclass
class FinanceSection:
    instalments: list[Any]
    total: int
    amount_fen: int


@dataclass
class PolicySection:
    runs: list[Any]


@dataclass
class Workbench:
    roles: list[HeldRole]
    applicant: ApplicantSection | None = None
    queues: list[QueueSection] = field(default_factory=list)
    finance: FinanceSection | None = None
    policy: PolicySection | None = None

    @property
    def empty(self) -> bool:
        return self.applicant is None and not self.queues and self.finance is None and self.policy is None


QUEUE_ROLES = (Role.SERVICE_AGENT, Role.REVIEWER, Role.EXPERT, Role.ADMIN)


def _queue_title(role: Role) -> str:
    titles = {
        Role.SERVICE_AGENT: _("待受理与初审(服务专员)"),
        Role.REVIEWER: _("本部门待审核(部门审核员)"),
        Role.EXPERT: _("待评分(评审专家)"),
        Role.ADMIN: _("超时督办(平台管理员)"),
    }
    return titles[role]


def _case_row(application: Any, now: dt.datetime) -> CaseRow:
    clock = application_clock(application, now=now)
    return CaseRow(
        application=application,
        step=str(clock.step),
        responsible=clock.responsible,
        deadline=clock.deadline,
        clock=clock_text(clock.working_time_left) if clock.deadline else "",
        overdue=clock.overdue,
    )


def _applicant_section(user: User, organisation: Organisation, queue: Any, now: dt.datetime) -> ApplicantSection:
    entitlements = record_entitlements(organisation)
    by_amount = sorted(
        entitlements.qualified,
        key=lambda q: -(q.amount if q.amount is not None else (q.review_range[1] if q.review_range else Decimal(0))),
    )
    top = [
        EntitlementRow(q.title, q.citation, q.status_label, q.amount, q.review_range)
        for q in by_amount[:TOP_ENTITLEMENTS]
    ]
    cases = queue.select_related("organisation", "responsible_user") if queue is not None else None
    rows = [_case_row(a, now) for a in cases[:ROWS_SHOWN]] if cases is not None else []
    offers = offers_waiting(organisation_id=organisation.pk)
    return ApplicantSection(
        organisation=organisation,
        completeness=record_completeness(organisation),
        entitlement_count=len(entitlements.qualified),
        entitlement_total=entitlements.total,
        review_ceiling=entitlements.review_ceiling,
        top_entitlements=top,
        entitlement_problem=entitlements.problem,
        applications=rows,
        applications_total=cases.count() if cases is not None else 0,
        offers=list(offers[:ROWS_SHOWN]),
        offers_total=offers.count(),
    )


def workbench_for(*, user: User, now: dt.datetime | None = None) -> Workbench:
    """Each role the user holds gives its section; the rows come from the owning areas' selectors, so the
    workbench shows exactly what the role may see there (an applicant only its own organisation)."""
    now = now or timezone.now()
    roles = user_roles(user=user)
    held = {h.role for h in roles}
    queues = queue_for(user, now=now)
    bench = Workbench(roles=roles)
    if Role.APPLICANT in held and user.organisation is not None:
        bench.applicant = _applicant_section(user, user.organisation, queues.get(Role.APPLICANT), now)
    for role in QUEUE_ROLES:
        if role not in queues:
            continue
        applications = queues[role].select_related("organisation", "responsible_user")
        rows = [_case_row(a, now) for a in applications[:ROWS_SHOWN]]
        total = applications.count()
        overdue = applications.filter(is_overdue=True).count()
        bench.queues.append(QueueSection(role, _queue_title(role), rows, total, overdue))
    if Role.FINANCE in queues:
        due = queues[Role.FINANCE]
        bench.finance = FinanceSection(
            instalments=list(due[:ROWS_SHOWN]),
            total=due.count(),
            amount_fen=sum(due.values_list("amount_fen", flat=True)),
        )
    if held & {Role.POLICY_MAKER, Role.ADMIN}:
        bench.policy = PolicySection(runs=run_recent(limit=5))
    return bench
