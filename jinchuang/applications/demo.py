"""Demo cases for the officers' journey (``load_demo_applications``), all made through the services:

- an application of 演示·晋城智造 (晋城 第8条 技术交易) reviewed with opinions, approved and its 公示 ended
  with no objection (公示无异议: the archive's first row), now awaiting payment;
- another whose 公示 drew an objection from the public (name and a phone verified by the code in the SMS
  outbox), answered 异议不成立, the notice then ended (its dates are set back: a demo cannot wait 7 days);
- one under 公示 now with an objection without an account waiting for the department (the reviewer's queue);
- a 第3条 创新启动资金 case in 专家评审, assigned to demo_expert, who has not declared 回避 yet (the rubric).

Idempotent: each case has its own idempotency key; an existing case is left as it is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from jinchuang.accounts.models import SmsMessage, User
from jinchuang.applications.models import Application, PublicNotice
from jinchuang.applications.review import (
    objection_code_send,
    objection_file_verified,
    objection_resolve,
)
from jinchuang.applications.services import application_approve, application_submit, application_transition
from jinchuang.applications.workflow import State
from jinchuang.records.models import FactState
from jinchuang.records.services import fact_verify

APPLICANT = "demo_applicant"
AGENT = "demo_agent"
REVIEWER = "demo_reviewer"
EXPERT = "demo_expert"
#: the public objectors' phones (in the demo only; their codes are read back from the SMS outbox)
OBJECTOR_PHONES = ("13900007001", "13900007002")


def _tech_case(date: str, amount: str) -> dict[str, Any]:
    event = {"type": "tech_contract_registered", "date": date, "amount": amount, "mode": "transfer", "role": "buyer"}
    return {"as_of": "2025-12-31", "applicant": {"kind": "enterprise", "valley": "晋城"}, "events": [event]}


def _startup_case() -> dict[str, Any]:
    event = {"type": "startup_capital", "date": "2025-04-01", "paid_in_capital": "2000000", "selected": True}
    return {"as_of": "2025-12-31", "applicant": {"kind": "enterprise", "valley": "晋城"}, "events": [event]}


def _to_department(application: Application, agent: User, *, evidence: str, opinion: str) -> Application:
    application = application_transition(
        application=application, transition="accept", actor=agent, opinion="申报材料齐全, 予以受理"
    )
    for fact in application.facts.filter(state=FactState.DECLARED):
        fact_verify(fact=fact, actor=agent, note=evidence)
    return application_transition(
        application=application, transition="pass_initial_review", actor=agent, opinion=opinion
    )


def _tech_to_department(application: Application, agent: User) -> Application:
    return _to_department(
        application, agent, evidence="已核对技术合同登记证明原件", opinion="合同已在技术合同登记机构登记, 符合条款条件"
    )


def _approve(application: Application, reviewer: User, now: dt.datetime | None = None) -> Application:
    application = application_transition(
        application=application, transition="pass_department_review", actor=reviewer, opinion="同意, 按计算上限支持"
    )
    return application_approve(
        application=application,
        amount_fen=application.engine_max_fen,
        reason="",
        actor=reviewer,
        now=now,
        opinion="审定金额与计算上限一致",
    )


def _public_objection(application: Application, *, name: str, phone: str, text: str) -> None:
    objection_code_send(application=application, name=name, phone=phone, text=text)
    message = SmsMessage.objects.filter(phone=phone).order_by("-pk").first()
    found = re.search(r"(\d{6})", message.text if message else "")
    assert found, "the code is in the outbox"
    objection_file_verified(application=application, name=name, phone=phone, code=found.group(1), text=text)


def _clean_archive(organisation: Any, applicant: User, agent: User, reviewer: User) -> Application:
    """Approved 12 days ago: the 7-day 公示 ended without objection; the case then went to payment."""
    application = _submit(
        organisation, applicant, "demo-officers-archive-clean", "jc-8", _tech_case("2025-04-15", "800000")
    )
    approved_at = timezone.now() - dt.timedelta(days=12)
    application = _approve(_tech_to_department(application, agent), reviewer, now=approved_at)
    notice = PublicNotice.objects.get(application=application)
    return application_transition(
        application=application,
        transition="end_public_notice",
        actor=reviewer,
        now=notice.ends_at + dt.timedelta(minutes=1),
        opinion="公示期满无异议",
    )


def _dismissed_archive(organisation: Any, applicant: User, agent: User, reviewer: User) -> Application:
    application = _submit(
        organisation, applicant, "demo-officers-archive-dismissed", "jc-8", _tech_case("2025-05-20", "500000")
    )
    application = _approve(_tech_to_department(application, agent), reviewer)
    _public_objection(application, name="刘群众", phone=OBJECTOR_PHONES[0], text="该技术合同是否为关联交易?")
    objection = PublicNotice.objects.get(application=application).objections.get()
    objection_resolve(
        objection=objection, actor=reviewer, upheld=False, response="经核实, 交易双方无关联关系, 合同价格公允"
    )
    # a demo cannot wait for the 7 days: the notice is dated back so that its period is over
    ended = timezone.now() - dt.timedelta(days=2)
    PublicNotice.objects.filter(application=application).update(starts_at=ended - dt.timedelta(days=7), ends_at=ended)
    return application_transition(
        application=application,
        transition="end_public_notice",
        actor=reviewer,
        opinion="异议经核实不成立, 公示期满, 安排拨付",
    )


def _objection_waiting(organisation: Any, applicant: User, agent: User, reviewer: User) -> Application:
    application = _submit(
        organisation, applicant, "demo-officers-notice-objection", "jc-8", _tech_case("2025-07-08", "300000")
    )
    application = _approve(_tech_to_department(application, agent), reviewer)
    _public_objection(
        application, name="陈市民", phone=OBJECTOR_PHONES[1], text="该成果已于上年获得区级奖励, 请核实是否重复支持"
    )
    return application


def _expert_review(organisation: Any, applicant: User, agent: User, reviewer: User, expert: User) -> Application:
    application = _submit(organisation, applicant, "demo-officers-expert-review", "jc-3", _startup_case())
    application = _to_department(
        application, agent, evidence="已核对实缴出资证明和遴选入区通知", opinion="经遴选入区, 实缴出资已核实"
    )
    return application_transition(
        application=application,
        transition="send_to_experts",
        actor=reviewer,
        experts=[expert],
        opinion="条款要求经遴选, 提交专家评审",
    )


def _submit(organisation: Any, applicant: User, key: str, measure_id: str, case: dict[str, Any]) -> Application:
    return application_submit(
        organisation=organisation, measure_id=measure_id, case_data=case, idempotency_key=key, actor=applicant
    )


def officer_demo_load() -> list[str]:
    """Make the cases that are missing; returns the Chinese lines saying what was made."""
    users = {u.username: u for u in User.objects.filter(username__in=[APPLICANT, AGENT, REVIEWER, EXPERT])}
    if len(users) < 4:
        return []
    applicant, agent, reviewer, expert = (users[n] for n in (APPLICANT, AGENT, REVIEWER, EXPERT))
    organisation = applicant.organisation
    steps: list[tuple[str, str, Callable[[], Application]]] = [
        (
            "demo-officers-archive-clean",
            "公示归档: 公示无异议",
            lambda: _clean_archive(organisation, applicant, agent, reviewer),
        ),
        (
            "demo-officers-archive-dismissed",
            "公示归档: 异议不成立",
            lambda: _dismissed_archive(organisation, applicant, agent, reviewer),
        ),
        (
            "demo-officers-notice-objection",
            "公示中, 一条短信验证的异议待处理",
            lambda: _objection_waiting(organisation, applicant, agent, reviewer),
        ),
        (
            "demo-officers-expert-review",
            "专家评审(待回避声明和评分)",
            lambda: _expert_review(organisation, applicant, agent, reviewer, expert),
        ),
    ]
    made = []
    for key, label, make in steps:
        existing = Application.objects.filter(organisation=organisation, idempotency_key=key).first()
        if existing is not None and existing.state != State.DRAFT:
            continue
        application = make()
        made.append(f"{label}: 申报 #{application.pk}")
    return made
