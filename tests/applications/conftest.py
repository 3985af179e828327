"""Factories for the application workflow: the cast (one user per role) and cases from the catalog."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

import pytest

from jinchuang.accounts.models import Organisation, Role, User
from jinchuang.applications.models import Application, DepartmentHead, ServiceAgentAssignment
from jinchuang.applications.review import expert_declare, expert_score_record
from jinchuang.applications.services import application_approve, application_submit, application_transition
from jinchuang.applications.workflow import State
from jinchuang.policy.vocabulary import OrgKind, Valley
from tests.factories import make_organisation, make_user, verify_facts

_keys = itertools.count(1)


def tech_transfer_case(amount: str = "1200000", date: str = "2025-06-01", **extra: Any) -> dict[str, Any]:
    """晋城 第8条 支持技术交易: a 1,200,000 yuan transfer bought → 240,000 yuan (cap 500,000 a year)."""
    event = {"type": "tech_contract_registered", "date": date, "amount": amount, "mode": "transfer", "role": "buyer"}
    event.update(extra)
    return {
        "as_of": "2025-12-31",
        "applicant": {"kind": "enterprise", "valley": "晋城", "settled_on": "2025-01-10"},
        "events": [event],
    }


def startup_capital_case(selected: bool = True) -> dict[str, Any]:
    """晋城 第3条 创新启动资金: 经遴选 → needs expert review, range 0–500,000 yuan."""
    return {
        "as_of": "2025-12-31",
        "applicant": {"kind": "enterprise", "valley": "晋城", "settled_on": "2025-01-01"},
        "events": [
            {"type": "startup_capital", "date": "2025-03-01", "paid_in_capital": "2000000", "selected": selected}
        ],
    }


def academician_station_case() -> dict[str, Any]:
    """大同 第十五条: new 院士工作站 → review range 0–1,000,000 yuan, paid over three years."""
    return {
        "as_of": "2025-12-31",
        "applicant": {"kind": "enterprise", "valley": "大同", "settled_on": "2024-10-01"},
        "events": [
            {
                "type": "platform_approved",
                "date": "2025-04-01",
                "platform": "academician_station",
                "level": "city",
                "first_time": True,
            }
        ],
    }


@dataclass
class Cast:
    organisation: Organisation
    applicant: User
    agent: User
    reviewer: User
    expert: User
    finance: User
    admin: User
    head: User
    other_applicant: User  # another enterprise
    other_agent: User  # serves nobody here
    other_reviewer: User  # another department
    datong_reviewer: User


#: the 入驻日期 on the cast's organisation's record (on or before every case's events here)
SETTLED_ON = dt.date(2024, 10, 1)


def make_cast(valley: Valley = Valley.JINCHENG, settled_on: dt.date | None = SETTLED_ON) -> Cast:
    organisation = make_organisation(kind=OrgKind.ENTERPRISE, valley=valley, settled_on=settled_on)
    government = make_organisation(kind=OrgKind.GOVERNMENT, valley=valley)
    applicant = make_user(
        password=None, organisation=organisation, roles={Role.APPLICANT: ""}, email="applicant@example.cn"
    )
    agent = make_user(password=None, organisation=government, roles={Role.SERVICE_AGENT: ""}, email="agent@example.cn")
    ServiceAgentAssignment.objects.create(organisation=organisation, agent=agent)
    head = make_user(password=None, organisation=government, roles={Role.REVIEWER: "晋城市科学技术局"})
    DepartmentHead.objects.create(department="晋城市科技局", user=head)
    return Cast(
        organisation=organisation,
        applicant=applicant,
        agent=agent,
        reviewer=make_user(password=None, organisation=government, roles={Role.REVIEWER: "晋城市科学技术局"}),
        expert=make_user(password=None, organisation=government, roles={Role.EXPERT: ""}),
        finance=make_user(password=None, organisation=government, roles={Role.FINANCE: ""}),
        admin=make_user(password=None, organisation=government, roles={Role.ADMIN: ""}),
        head=head,
        other_applicant=make_user(
            password=None,
            organisation=make_organisation(kind=OrgKind.ENTERPRISE, valley=valley, settled_on=settled_on),
            roles={Role.APPLICANT: ""},
        ),
        other_agent=make_user(password=None, organisation=government, roles={Role.SERVICE_AGENT: ""}),
        other_reviewer=make_user(password=None, organisation=government, roles={Role.REVIEWER: "晋城市财政局"}),
        datong_reviewer=make_user(password=None, organisation=government, roles={Role.REVIEWER: "大同市科技局"}),
    )


@pytest.fixture
def cast(db: None) -> Cast:
    return make_cast()


def submit(cast: Cast, case: dict[str, Any] | None = None, measure_id: str = "jc-8", key: str = "") -> Application:
    return application_submit(
        organisation=cast.organisation,
        measure_id=measure_id,
        case_data=case if case is not None else tech_transfer_case(),
        idempotency_key=key or f"key-{next(_keys)}",
        actor=cast.applicant,
    )


def walk(application: Application, cast: Cast, target: State) -> Application:
    """Move a submitted application along the happy path until it reaches ``target``."""
    steps: list[tuple[State, Any]] = [
        (State.SUBMITTED, lambda a: application_transition(application=a, transition="accept", actor=cast.agent)),
        (State.INITIAL_REVIEW, lambda a: _initial_review(a, cast)),
        (State.DEPARTMENT_REVIEW, lambda a: _department(a, cast)),
        (State.EXPERT_REVIEW, lambda a: _experts(a, cast)),
        (
            State.APPROVAL,
            lambda a: _approve(a, cast),
        ),
    ]
    for state, step in steps:
        if application.state == target:
            return application
        if application.state == state:
            application = step(application)
    assert application.state == target, (application.state, target)
    return application


def _approve(application: Application, cast: Cast) -> Application:
    return application_approve(
        application=application, amount_fen=application.engine_max_fen, reason="", actor=cast.reviewer
    )


def _initial_review(application: Application, cast: Cast) -> Application:
    """The 服务专员's 初审: verify the facts the application relies on, then pass it on."""
    verify_facts(application, cast.agent)
    return application_transition(application=application, transition="pass_initial_review", actor=cast.agent)


def _department(application: Application, cast: Cast) -> Application:
    if application.expert_review_required:
        return application_transition(
            application=application, transition="send_to_experts", actor=cast.reviewer, experts=[cast.expert]
        )
    return application_transition(application=application, transition="pass_department_review", actor=cast.reviewer)


def _experts(application: Application, cast: Cast) -> Application:
    expert_declare(application=application, actor=cast.expert, conflict=False)  # 回避声明 before scoring
    expert_score_record(
        application=application, actor=cast.expert, score=90, recommended_amount_fen=application.engine_max_fen
    )
    return application_transition(application=application, transition="complete_expert_review", actor=cast.reviewer)
