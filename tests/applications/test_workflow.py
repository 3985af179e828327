"""Every transition of the table, fired by the permitted role; every forbidden state and actor refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from jinchuang.applications.errors import ApplicationError, TransitionNotAllowedError, TransitionPermissionDenied
from jinchuang.applications.models import Application, Notification
from jinchuang.applications.payments import instalment_pay
from jinchuang.applications.review import objection_file, objection_resolve
from jinchuang.applications.services import application_transition
from jinchuang.applications.workflow import TRANSITIONS, State, transition_named
from jinchuang.audit.models import AuditLog
from tests.applications.conftest import Cast, startup_capital_case, submit, walk

pytestmark = pytest.mark.django_db(transaction=False)


def audit_actions(application: Application) -> list[str]:
    rows = AuditLog.objects.filter(object_type="applications.application", object_id=str(application.pk))
    return list(rows.order_by("id").values_list("action", flat=True))


def test_the_whole_happy_path_with_expert_review(cast: Cast, django_capture_on_commit_callbacks: Any) -> None:
    application = submit(cast, startup_capital_case(), measure_id="jc-3")
    assert application.state == State.SUBMITTED
    assert application.expert_review_required
    application = walk(application, cast, State.PUBLIC_NOTICE)
    notice = application.public_notice
    later = notice.ends_at + dt.timedelta(seconds=1)
    application = application_transition(
        application=application, transition="end_public_notice", actor=cast.reviewer, now=later
    )
    assert application.state == State.PAYMENT_SCHEDULED
    for instalment in application.award.instalments.all():
        instalment_pay(instalment=instalment, paid_on=dt.date(2026, 1, 5), voucher_no="PZ-1", actor=cast.finance)
    application.refresh_from_db()
    assert application.state == State.PAID
    with django_capture_on_commit_callbacks(execute=True):
        application = application_transition(application=application, transition="close", actor=cast.finance)
    assert application.state == State.CLOSED
    assert audit_actions(application) == [
        "applications.submit",
        "applications.accept",
        "applications.pass_initial_review",
        "applications.send_to_experts",
        "applications.complete_expert_review",
        "applications.approve",
        "applications.end_public_notice",
        "applications.complete_payment",
        "applications.close",
    ]
    assert Notification.objects.filter(user=cast.applicant, application=application).count() >= 8
    assert any("办结" in m.subject for m in mail.outbox)


def test_without_expert_review_the_department_passes_straight_to_approval(cast: Cast) -> None:
    application = walk(submit(cast), cast, State.DEPARTMENT_REVIEW)
    with pytest.raises(TransitionNotAllowedError):
        application_transition(
            application=application, transition="send_to_experts", actor=cast.reviewer, experts=[cast.expert]
        )
    application = application_transition(
        application=application, transition="pass_department_review", actor=cast.reviewer
    )
    assert application.state == State.APPROVAL


def test_a_clause_requiring_review_cannot_skip_the_experts(cast: Cast) -> None:
    application = walk(submit(cast, startup_capital_case(), measure_id="jc-3"), cast, State.DEPARTMENT_REVIEW)
    with pytest.raises(TransitionNotAllowedError):
        application_transition(application=application, transition="pass_department_review", actor=cast.reviewer)


def test_expert_review_completes_only_when_every_expert_scored(cast: Cast) -> None:
    application = walk(submit(cast, startup_capital_case(), measure_id="jc-3"), cast, State.DEPARTMENT_REVIEW)
    application = application_transition(
        application=application, transition="send_to_experts", actor=cast.reviewer, experts=[cast.expert]
    )
    with pytest.raises(TransitionNotAllowedError):
        application_transition(application=application, transition="complete_expert_review", actor=cast.reviewer)


def test_return_for_information_and_resubmit(cast: Cast, django_capture_on_commit_callbacks: Any) -> None:
    application = walk(submit(cast), cast, State.INITIAL_REVIEW)
    with pytest.raises(ApplicationError) as missing:
        application_transition(application=application, transition="return", actor=cast.agent, message=" ")
    assert missing.value.field == "message"
    with django_capture_on_commit_callbacks(execute=True):
        application = application_transition(
            application=application, transition="return", actor=cast.agent, message="请补充技术合同登记证明"
        )
    assert application.state == State.RETURNED
    assert application.message == "请补充技术合同登记证明"
    assert Notification.objects.filter(user=cast.applicant, text__contains="请补充技术合同登记证明").exists()
    assert any("applicant@example.cn" in m.to for m in mail.outbox)
    application = application_transition(application=application, transition="resubmit", actor=cast.applicant)
    assert application.state == State.RESUBMITTED
    application = application_transition(application=application, transition="accept", actor=cast.agent)
    assert application.state == State.INITIAL_REVIEW


def test_resubmit_with_new_facts_recomputes_the_engine_maximum(cast: Cast) -> None:
    from tests.applications.conftest import tech_transfer_case

    application = walk(submit(cast), cast, State.INITIAL_REVIEW)
    application = application_transition(
        application=application, transition="return", actor=cast.agent, message="金额有误"
    )
    application = application_transition(
        application=application, transition="resubmit", actor=cast.applicant, case_data=tech_transfer_case("1000000")
    )
    assert application.engine_max_fen == 200_000_00


@pytest.mark.parametrize("state", sorted(s.value for s in State if s not in (State.DRAFT,) and s.value != "closed"))
def test_reject_names_the_unmet_condition(cast: Cast, state: str) -> None:
    application = submit(cast)
    Application.objects.filter(pk=application.pk).update(state=state)
    spec = transition_named("reject")
    if State(state) not in spec.sources:
        with pytest.raises(TransitionNotAllowedError):
            application_transition(
                application=application, transition="reject", actor=cast.admin, message="x", unmet_condition="y"
            )
        return
    with pytest.raises(ApplicationError) as missing:
        application_transition(application=application, transition="reject", actor=cast.admin, message="不符合条件")
    assert missing.value.field == "unmet_condition"
    application = application_transition(
        application=application,
        transition="reject",
        actor=cast.admin,
        message="技术合同未登记",
        unmet_condition="晋市政办〔2024〕39号 第8条: 经认定登记的技术合同",
    )
    assert application.state == State.REJECTED
    assert application.unmet_condition.startswith("晋市政办")


def test_reject_is_for_the_owner_of_the_current_step(cast: Cast) -> None:
    application = walk(submit(cast), cast, State.INITIAL_REVIEW)
    data: dict[str, Any] = {"message": "m", "unmet_condition": "c"}
    with pytest.raises(TransitionPermissionDenied):  # the reviewer does not own 初审
        application_transition(application=application, transition="reject", actor=cast.reviewer, **data)
    application = application_transition(application=application, transition="reject", actor=cast.agent, **data)
    assert application.state == State.REJECTED


def test_withdraw_before_approval_only(cast: Cast) -> None:
    application = walk(submit(cast), cast, State.APPROVAL)
    withdrawn = application_transition(application=application, transition="withdraw", actor=cast.applicant)
    assert withdrawn.state == State.WITHDRAWN
    approved = walk(submit(cast, key="approved-one"), cast, State.PUBLIC_NOTICE)
    with pytest.raises(TransitionNotAllowedError):
        application_transition(application=approved, transition="withdraw", actor=cast.applicant)


# --- the whole table: every transition from every state it does not start from is refused --------
def _forbidden_pairs() -> list[tuple[str, str]]:
    return [(t.name, s.value) for t in TRANSITIONS for s in State if s not in t.sources]


@pytest.mark.parametrize(("transition", "state"), _forbidden_pairs())
def test_every_transition_is_refused_outside_its_source_states(cast: Cast, transition: str, state: str) -> None:
    application = submit(cast)
    Application.objects.filter(pk=application.pk).update(state=state)
    data: dict[str, Any] = {
        "message": "m",
        "unmet_condition": "c",
        "amount_fen": 1,
        "experts": [cast.expert],
        "reason": "r",
    }
    with pytest.raises(TransitionNotAllowedError):
        application_transition(application=application, transition=transition, actor=cast.admin, **data)
    assert Application.objects.get(pk=application.pk).state == state


def _wrong_actors(cast: Cast, name: str) -> list[Any]:
    everyone = {
        "applicant": cast.applicant,
        "other_applicant": cast.other_applicant,
        "agent": cast.agent,
        "other_agent": cast.other_agent,
        "reviewer": cast.reviewer,
        "other_reviewer": cast.other_reviewer,
        "datong_reviewer": cast.datong_reviewer,
        "expert": cast.expert,
        "finance": cast.finance,
        "admin": cast.admin,
        "anonymous": None,
    }
    allowed = {
        "submit": {"applicant"},
        "resubmit": {"applicant"},
        "withdraw": {"applicant"},
        "accept": {"agent", "admin"},
        "return": {"agent", "admin"},
        "pass_initial_review": {"agent", "admin"},
        "send_to_experts": {"reviewer", "admin"},
        "pass_department_review": {"reviewer", "admin"},
        "complete_expert_review": {"reviewer", "admin"},
        "approve": {"reviewer", "admin"},
        "end_public_notice": {"reviewer", "admin"},
        "reject": {"agent", "admin"},  # in 初审 (the state used below)
        "complete_payment": {"finance", "admin"},
        "close": {"finance", "admin"},
    }[name]
    return [user for key, user in everyone.items() if key not in allowed]


@pytest.mark.parametrize("transition", [t.name for t in TRANSITIONS])
def test_every_transition_is_refused_to_every_other_actor(cast: Cast, transition: str) -> None:
    spec = transition_named(transition)
    state = State.INITIAL_REVIEW if State.INITIAL_REVIEW in spec.sources else sorted(spec.sources)[0]
    application = submit(cast)
    Application.objects.filter(pk=application.pk).update(state=state)
    data: dict[str, Any] = {
        "message": "m",
        "unmet_condition": "c",
        "amount_fen": 1,
        "experts": [cast.expert],
        "reason": "r",
    }
    for actor in _wrong_actors(cast, transition):
        with pytest.raises(TransitionPermissionDenied):
            application_transition(application=application, transition=transition, actor=actor, **data)
    assert Application.objects.get(pk=application.pk).state == state
    assert audit_actions(application) == ["applications.submit"]


def test_objections_during_public_notice(cast: Cast) -> None:
    application = walk(submit(cast), cast, State.PUBLIC_NOTICE)
    objection = objection_file(application=application, actor=cast.other_applicant, text="该合同已获区级奖励")
    after = application.public_notice.ends_at + dt.timedelta(minutes=1)
    with pytest.raises(TransitionNotAllowedError):  # an open objection blocks payment
        application_transition(application=application, transition="end_public_notice", actor=cast.reviewer, now=after)
    with pytest.raises(TransitionPermissionDenied):
        objection_resolve(objection=objection, actor=cast.other_reviewer, upheld=False, response="x")
    objection_resolve(objection=objection, actor=cast.reviewer, upheld=False, response="经核实为不同合同")
    application = application_transition(
        application=application, transition="end_public_notice", actor=cast.reviewer, now=after
    )
    assert application.state == State.PAYMENT_SCHEDULED


def test_public_notice_cannot_end_early(cast: Cast) -> None:
    application = walk(submit(cast), cast, State.PUBLIC_NOTICE)
    with pytest.raises(TransitionNotAllowedError):
        application_transition(
            application=application, transition="end_public_notice", actor=cast.reviewer, now=timezone.now()
        )


def test_unknown_transition_is_a_programming_error(cast: Cast) -> None:
    with pytest.raises(ValueError, match="unknown transition"):
        application_transition(application=submit(cast), transition="teleport", actor=cast.admin)


def test_paying_an_instalment_in_the_wrong_state_names_the_state_in_words(cast: Cast) -> None:
    application = submit(cast, startup_capital_case(), measure_id="jc-3")
    application = walk(application, cast, State.PUBLIC_NOTICE)
    instalment = application.award.instalments.first()
    assert instalment is not None
    with pytest.raises(ApplicationError) as refused:
        instalment_pay(instalment=instalment, paid_on=dt.date(2026, 1, 5), voucher_no="PZ-1", actor=cast.finance)
    message = refused.value.messages[0]
    assert "公示中" in message and "public_notice" not in message, message
