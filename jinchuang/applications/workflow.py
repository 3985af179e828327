"""The application workflow in ONE table: states, transitions, who may fire each, what each needs.

``services.application_transition`` is the only code that moves an application between states; it
reads this table for the allowed source states, the permitted roles (with their organisation or
department scope), the required fields and the guard, and nothing else decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jinchuang.accounts.models import Role


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    INITIAL_REVIEW = "initial_review"
    RETURNED = "returned"
    RESUBMITTED = "resubmitted"
    DEPARTMENT_REVIEW = "department_review"
    EXPERT_REVIEW = "expert_review"
    APPROVAL = "approval"
    PUBLIC_NOTICE = "public_notice"
    PAYMENT_SCHEDULED = "payment_scheduled"
    PAID = "paid"
    CLOSED = "closed"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


STATE_LABELS: dict[State, Promise] = {
    State.DRAFT: _("草稿"),
    State.SUBMITTED: _("已申报(待受理)"),
    State.INITIAL_REVIEW: _("初审"),
    State.RETURNED: _("退回补正"),
    State.RESUBMITTED: _("已补正(待受理)"),
    State.DEPARTMENT_REVIEW: _("部门审核"),
    State.EXPERT_REVIEW: _("专家评审"),
    State.APPROVAL: _("待审定"),
    State.PUBLIC_NOTICE: _("公示中"),
    State.PAYMENT_SCHEDULED: _("待拨付"),
    State.PAID: _("已拨付"),
    State.CLOSED: _("已办结"),
    State.REJECTED: _("未通过"),
    State.WITHDRAWN: _("已撤回"),
}

STATE_CHOICES = [(s.value, STATE_LABELS[s]) for s in State]

TERMINAL_STATES = frozenset({State.CLOSED, State.REJECTED, State.WITHDRAWN})
#: states before approval: the applicant may still withdraw
PRE_APPROVAL_STATES = frozenset(
    {
        State.DRAFT,
        State.SUBMITTED,
        State.RESUBMITTED,
        State.RETURNED,
        State.INITIAL_REVIEW,
        State.DEPARTMENT_REVIEW,
        State.EXPERT_REVIEW,
        State.APPROVAL,
    }
)
#: review steps a case can be rejected from (公示 included: an upheld objection rejects)
REVIEW_STATES = frozenset(
    {
        State.SUBMITTED,
        State.RESUBMITTED,
        State.INITIAL_REVIEW,
        State.DEPARTMENT_REVIEW,
        State.EXPERT_REVIEW,
        State.APPROVAL,
        State.PUBLIC_NOTICE,
    }
)


class Scope(StrEnum):
    """Which records a role-holder may act on."""

    OWN_ORGANISATION = "own_organisation"  # a member of the application's organisation
    SERVED_ORGANISATION = "served_organisation"  # the 服务专员 assigned to the organisation
    LEAD_DEPARTMENT = "lead_department"  # a reviewer of the measure's lead department
    STEP_OWNER = "step_owner"  # whoever owns the current state (see STEP_OWNER)
    ANY = "any"


#: who is responsible for a case while it sits in a state (drives the queue, clock and notices)
STEP_OWNER: dict[State, tuple[Role, Scope]] = {
    State.DRAFT: (Role.APPLICANT, Scope.OWN_ORGANISATION),
    State.RETURNED: (Role.APPLICANT, Scope.OWN_ORGANISATION),
    State.SUBMITTED: (Role.SERVICE_AGENT, Scope.SERVED_ORGANISATION),
    State.RESUBMITTED: (Role.SERVICE_AGENT, Scope.SERVED_ORGANISATION),
    State.INITIAL_REVIEW: (Role.SERVICE_AGENT, Scope.SERVED_ORGANISATION),
    State.DEPARTMENT_REVIEW: (Role.REVIEWER, Scope.LEAD_DEPARTMENT),
    State.EXPERT_REVIEW: (Role.REVIEWER, Scope.LEAD_DEPARTMENT),
    State.APPROVAL: (Role.REVIEWER, Scope.LEAD_DEPARTMENT),
    State.PUBLIC_NOTICE: (Role.REVIEWER, Scope.LEAD_DEPARTMENT),
    State.PAYMENT_SCHEDULED: (Role.FINANCE, Scope.ANY),
    State.PAID: (Role.FINANCE, Scope.ANY),
}


class Guard(StrEnum):
    """Conditions on the case itself, checked by services.application_transition."""

    NEEDS_EXPERT_REVIEW = "needs_expert_review"  # the measure's clause requires 经评审
    NO_EXPERT_REVIEW = "no_expert_review"
    EXPERTS_SCORED = "experts_scored"  # every assigned expert has scored
    NOTICE_ENDED_CLEAN = "notice_ended_clean"  # 公示期满, no open or upheld objection
    ALL_INSTALMENTS_PAID = "all_instalments_paid"


@dataclass(frozen=True)
class Transition:
    name: str
    label: Promise
    sources: frozenset[State]
    target: State
    permitted: tuple[tuple[Role, Scope], ...]
    required: tuple[str, ...] = ()
    guard: Guard | None = None


APPLICANT = ((Role.APPLICANT, Scope.OWN_ORGANISATION),)
AGENT = ((Role.SERVICE_AGENT, Scope.SERVED_ORGANISATION), (Role.ADMIN, Scope.ANY))
REVIEWER = ((Role.REVIEWER, Scope.LEAD_DEPARTMENT), (Role.ADMIN, Scope.ANY))
FINANCE = ((Role.FINANCE, Scope.ANY), (Role.ADMIN, Scope.ANY))

TRANSITIONS: tuple[Transition, ...] = (
    Transition("submit", _("提交申报"), frozenset({State.DRAFT}), State.SUBMITTED, APPLICANT),
    Transition(
        "accept", _("受理(开始初审)"), frozenset({State.SUBMITTED, State.RESUBMITTED}), State.INITIAL_REVIEW, AGENT
    ),
    Transition("return", _("退回补正"), frozenset({State.INITIAL_REVIEW}), State.RETURNED, AGENT, ("message",)),
    Transition("resubmit", _("补正后重新提交"), frozenset({State.RETURNED}), State.RESUBMITTED, APPLICANT),
    Transition("pass_initial_review", _("初审通过"), frozenset({State.INITIAL_REVIEW}), State.DEPARTMENT_REVIEW, AGENT),
    Transition(
        "send_to_experts",
        _("部门审核通过, 提交专家评审"),
        frozenset({State.DEPARTMENT_REVIEW}),
        State.EXPERT_REVIEW,
        REVIEWER,
        ("experts",),
        Guard.NEEDS_EXPERT_REVIEW,
    ),
    Transition(
        "pass_department_review",
        _("部门审核通过"),
        frozenset({State.DEPARTMENT_REVIEW}),
        State.APPROVAL,
        REVIEWER,
        (),
        Guard.NO_EXPERT_REVIEW,
    ),
    Transition(
        "complete_expert_review",
        _("专家评审完成"),
        frozenset({State.EXPERT_REVIEW}),
        State.APPROVAL,
        REVIEWER,
        (),
        Guard.EXPERTS_SCORED,
    ),
    Transition(
        "approve", _("审定金额并公示"), frozenset({State.APPROVAL}), State.PUBLIC_NOTICE, REVIEWER, ("amount_fen",)
    ),
    Transition(
        "end_public_notice",
        _("公示期满, 安排拨付"),
        frozenset({State.PUBLIC_NOTICE}),
        State.PAYMENT_SCHEDULED,
        REVIEWER,
        (),
        Guard.NOTICE_ENDED_CLEAN,
    ),
    Transition(
        "complete_payment",
        _("全部拨付完成"),
        frozenset({State.PAYMENT_SCHEDULED}),
        State.PAID,
        FINANCE,
        (),
        Guard.ALL_INSTALMENTS_PAID,
    ),
    Transition("close", _("办结"), frozenset({State.PAID}), State.CLOSED, FINANCE),
    Transition(
        "reject",
        _("不予支持"),
        REVIEW_STATES,
        State.REJECTED,
        ((Role.SERVICE_AGENT, Scope.STEP_OWNER), (Role.REVIEWER, Scope.STEP_OWNER), (Role.ADMIN, Scope.ANY)),
        ("message", "unmet_condition"),
    ),
    Transition("withdraw", _("撤回申报"), PRE_APPROVAL_STATES, State.WITHDRAWN, APPLICANT),
)

TRANSITIONS_BY_NAME: dict[str, Transition] = {t.name: t for t in TRANSITIONS}


def transition_named(name: str) -> Transition:
    try:
        return TRANSITIONS_BY_NAME[name]
    except KeyError:
        raise ValueError(f"unknown transition {name!r}; known: {sorted(TRANSITIONS_BY_NAME)}") from None


def transitions_from(state: State | str) -> list[Transition]:
    return [t for t in TRANSITIONS if State(state) in t.sources]
