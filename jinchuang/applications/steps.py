"""The step bar of an application (``applications/_steps.html``): the workflow's stages in order, which
are done, which is current, who holds the current one (a role or a department, never a person) and its
clock (working time left or overdue, from clock.py via the stored step deadline).

The stages are read from ``workflow.py``: each groups the states in which a case waits at that stage;
the holder is the stage's ``STEP_OWNER`` role (a reviewer stage names the measure's lead department).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jinchuang.accounts.models import Role
from jinchuang.applications.clock import working_time_between
from jinchuang.applications.models import Application
from jinchuang.applications.workflow import STATE_LABELS, STEP_OWNER, TERMINAL_STATES, State


@dataclass(frozen=True)
class Stage:
    key: str
    label: Promise
    states: frozenset[State]
    only_with_expert_review: bool = False


#: the stages of the workflow table, in the order a case passes them
STAGES: tuple[Stage, ...] = (
    Stage("apply", _("填报申报"), frozenset({State.DRAFT, State.RETURNED})),
    Stage("accept", _("受理"), frozenset({State.SUBMITTED, State.RESUBMITTED})),
    Stage("initial_review", _("初审"), frozenset({State.INITIAL_REVIEW})),
    Stage("department_review", _("部门审核"), frozenset({State.DEPARTMENT_REVIEW})),
    Stage("expert_review", _("专家评审"), frozenset({State.EXPERT_REVIEW}), only_with_expert_review=True),
    Stage("approval", _("审定"), frozenset({State.APPROVAL})),
    Stage("public_notice", _("公示"), frozenset({State.PUBLIC_NOTICE})),
    Stage("payment", _("拨付"), frozenset({State.PAYMENT_SCHEDULED})),
    Stage("closed", _("办结"), frozenset({State.PAID, State.CLOSED})),
)
#: states with a running service clock
_CLOCKED = frozenset(s for s in STEP_OWNER if s not in TERMINAL_STATES and s not in (State.DRAFT, State.RETURNED))
_HOLDERS: dict[Role, Promise] = {
    Role.APPLICANT: _("申报单位"),
    Role.SERVICE_AGENT: _("服务专员"),
    Role.FINANCE: _("财政资金拨付部门"),
}


@dataclass(frozen=True)
class StepView:
    label: str
    status: str  # done | current | todo (the CSS classes of <ol class="steps">)
    holder: str = ""
    deadline: dt.datetime | None = None
    working_time_left: dt.timedelta | None = None
    overdue: bool = False


@dataclass(frozen=True)
class StepBar:
    steps: tuple[StepView, ...]
    state_label: str
    ended: bool  # 未通过 or 已撤回: no stage is current

    @property
    def current(self) -> StepView | None:
        return next((s for s in self.steps if s.status == "current"), None)


def step_holder(application: Application, state: State) -> str:
    """Who holds a case in ``state``: the role, or the lead department for the reviewers' stages."""
    owner = STEP_OWNER.get(state)
    if owner is None:
        return ""
    role = owner[0]
    if role is Role.REVIEWER:
        return application.lead_department or str(Role.REVIEWER.label)
    return str(_HOLDERS.get(role, role.label))


def application_steps(application: Application, *, now: dt.datetime | None = None) -> StepBar:
    now = now or timezone.now()
    state = State(application.state)
    stages = [s for s in STAGES if not s.only_with_expert_review or application.expert_review_required]
    ended = state in (State.REJECTED, State.WITHDRAWN)
    position = next((i for i, s in enumerate(stages) if state in s.states), -1)
    views = []
    for i, stage in enumerate(stages):
        if state is State.CLOSED or (position >= 0 and i < position):
            views.append(StepView(str(stage.label), "done"))
        elif i == position:
            clocked = state in _CLOCKED and application.step_deadline is not None
            deadline = application.step_deadline if clocked else None
            views.append(
                StepView(
                    str(stage.label),
                    "current",
                    holder=step_holder(application, state),
                    deadline=deadline,
                    working_time_left=working_time_between(now, deadline) if deadline else None,
                    overdue=deadline is not None and deadline < now,
                )
            )
        else:
            done = ended and i == 0 and application.submitted_at is not None
            views.append(StepView(str(stage.label), "done" if done else "todo"))
    return StepBar(tuple(views), str(STATE_LABELS[state]), ended)
