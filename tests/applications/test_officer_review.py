"""The officers' journey in the core: opinions kept with each step, 回避 and the rubric, objections
by name and a phone verified with a one-time code, the 公示 archive's outcomes."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jinchuang.accounts.models import Role, SmsMessage
from jinchuang.applications.errors import TransitionNotAllowedError, TransitionPermissionDenied
from jinchuang.applications.models import Application, ExpertScore, Notification, PublicNotice
from jinchuang.applications.notices import Outcome, notice_outcome, public_notices_archive
from jinchuang.applications.review import (
    application_rubric,
    expert_declare,
    expert_score_record,
    experts_add,
    objection_code_send,
    objection_file,
    objection_file_verified,
    objection_resolve,
)
from jinchuang.applications.selectors import applications_visible_to, queue_for
from jinchuang.applications.services import application_transition
from jinchuang.applications.workflow import State
from jinchuang.audit.models import AuditLog
from tests.applications.conftest import Cast, startup_capital_case, submit, walk
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _transition_row(application: Application, name: str) -> AuditLog:
    return AuditLog.objects.get(action=f"applications.{name}", object_id=str(application.pk))


def test_an_opinion_on_a_passing_step_is_kept_with_its_audit_row(cast: Cast) -> None:
    application = submit(cast)
    application_transition(
        application=application, transition="accept", actor=cast.agent, opinion=" 材料齐全, 予以受理 "
    )
    assert _transition_row(application, "accept").after["opinion"] == "材料齐全, 予以受理"


def test_a_step_without_opinion_records_none(cast: Cast) -> None:
    application = submit(cast)
    application_transition(application=application, transition="accept", actor=cast.agent)
    assert "opinion" not in _transition_row(application, "accept").after


def test_return_and_rejection_require_the_opinion(cast: Cast) -> None:
    application = submit(cast)
    application_transition(application=application, transition="accept", actor=cast.agent)
    for name, extra in (("return", {}), ("reject", {"unmet_condition": "第8条"})):
        with pytest.raises(ValidationError) as refused:
            application_transition(application=application, transition=name, actor=cast.agent, message="  ", **extra)
        assert "message" in refused.value.message_dict
    application_transition(application=application, transition="return", actor=cast.agent, message="请补充合同")
    assert _transition_row(application, "return").after["opinion"] == "请补充合同"


def _in_expert_review(cast: Cast) -> Application:
    application = walk(submit(cast, startup_capital_case(), measure_id="jc-3"), cast, State.EXPERT_REVIEW)
    assert application.state == State.EXPERT_REVIEW
    return application


def _points(application: Application, **override: Any) -> dict[str, object]:
    points: dict[str, object] = {c.key: c.weight // 2 for c in application_rubric(application).criteria}
    points.update(override)
    return points


def test_rubric_scores_need_the_declaration_and_the_total_is_their_sum(cast: Cast) -> None:
    application = _in_expert_review(cast)
    rubric = application_rubric(application)
    assert rubric.key == "startup_capital"
    with pytest.raises(ValidationError) as undeclared:
        expert_score_record(
            application=application, actor=cast.expert, criteria=_points(application), recommended_amount_fen=100
        )
    assert "no_conflict" in undeclared.value.message_dict
    expert_declare(application=application, actor=cast.expert, conflict=False)
    points = {"innovation": 27, "team": 20, "market": 21, "funding_plan": 15}
    row = expert_score_record(
        application=application, actor=cast.expert, criteria=points, recommended_amount_fen=300_000_00
    )
    assert row.score == 83 and row.criteria_scores == points and row.rubric == "startup_capital"
    assert AuditLog.objects.filter(action="applications.expert_declare").count() == 1


def test_every_bad_criterion_is_named_at_once(cast: Cast) -> None:
    application = _in_expert_review(cast)
    expert_declare(application=application, actor=cast.expert, conflict=False)
    with pytest.raises(ValidationError) as bad:
        expert_score_record(
            application=application,
            actor=cast.expert,
            criteria=_points(application, innovation=31, team="", market="x"),
            recommended_amount_fen=100,
        )
    fields = bad.value.message_dict
    assert set(fields) == {"criterion_innovation", "criterion_team", "criterion_market"}
    assert "0到30之间的整数" in fields["criterion_innovation"][0]
    assert "请为“创业团队能力”打分" in fields["criterion_team"][0]
    assert ExpertScore.objects.get(application=application).score is None  # nothing half-written


def test_a_recusal_takes_the_expert_off_the_case_and_another_may_be_added(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    application = _in_expert_review(cast)
    expert_declare(application=application, actor=cast.expert, conflict=True)
    assert not applications_visible_to(cast.expert).filter(pk=application.pk).exists()
    assert not queue_for(cast.expert)[Role.EXPERT].filter(pk=application.pk).exists()
    with pytest.raises(TransitionPermissionDenied):
        expert_score_record(application=application, actor=cast.expert, score=80, recommended_amount_fen=1)
    assert Notification.objects.filter(user=cast.reviewer, text__contains="回避").exists()
    with pytest.raises(TransitionNotAllowedError):  # nobody left to score: the review cannot complete
        application_transition(application=application, transition="complete_expert_review", actor=cast.reviewer)
    second = make_user(password=None, organisation=cast.expert.organisation, roles={Role.EXPERT: ""})
    with pytest.raises(TransitionPermissionDenied):
        experts_add(application=application, actor=cast.other_reviewer, experts=[second])
    experts_add(application=application, actor=cast.reviewer, experts=[second, cast.expert])
    assert ExpertScore.objects.get(application=application, expert=cast.expert).recused_at is not None  # stays off
    expert_declare(application=application, actor=second, conflict=False)
    expert_score_record(application=application, actor=second, criteria=_points(application), recommended_amount_fen=1)
    application = application_transition(
        application=application, transition="complete_expert_review", actor=cast.reviewer
    )
    assert application.state == State.APPROVAL


def _code(phone: str) -> str:
    message = SmsMessage.objects.filter(phone=phone).order_by("-pk").first()
    assert message is not None
    found = re.search(r"验证码为 (\d{6})", message.text)
    assert found
    return found.group(1)


def test_an_objection_without_an_account_is_verified_by_the_code_sent_to_the_phone(cast: Cast) -> None:
    application = walk(submit(cast), cast, State.PUBLIC_NOTICE)
    with pytest.raises(ValidationError) as empty:
        objection_code_send(application=application, name="", phone="123", text="")
    assert set(empty.value.message_dict) == {"name", "phone", "text"}
    phone = objection_code_send(application=application, name="刘群众", phone="139 0000 1111", text="该企业已停产")
    assert phone == "13900001111"
    with pytest.raises(ValidationError) as wrong:
        objection_file_verified(
            application=application,
            name="刘群众",
            phone=phone,
            code="999999" if _code(phone) != "999999" else "0",
            text="该企业已停产",
        )
    assert "code" in wrong.value.message_dict
    objection = objection_file_verified(
        application=application, name="刘群众", phone=phone, code=_code(phone), text="该企业已停产"
    )
    assert objection.filed_by is None and objection.objector_phone == phone and objection.objector_name == "刘群众"
    assert Notification.objects.filter(user=cast.reviewer, text__contains="公示异议").exists()  # the reviewer's queue
    audit = AuditLog.objects.get(action="applications.objection_file", object_id=str(objection.pk))
    assert audit.after["objector_phone"] == "139****1111"
    objection_resolve(objection=objection, actor=cast.reviewer, upheld=False, response="经核实企业正常经营")
    answer = SmsMessage.objects.filter(phone=phone).order_by("-pk").first()
    assert answer is not None and "异议不成立" in answer.text and "经核实企业正常经营" in answer.text


def test_an_objection_outside_the_notice_period_is_refused_before_any_code_is_sent(cast: Cast) -> None:
    application = walk(submit(cast), cast, State.APPROVAL)
    with pytest.raises(ValidationError) as closed:
        objection_code_send(application=application, name="刘群众", phone="13900001111", text="x")
    assert "notice" in closed.value.message_dict
    assert not SmsMessage.objects.exists()


def test_archive_outcomes_and_filters(cast: Cast) -> None:
    application = walk(submit(cast), cast, State.PUBLIC_NOTICE)
    notice = PublicNotice.objects.get(application=application)
    assert not public_notices_archive().exists()  # the period is not over yet
    assert notice_outcome(notice) is Outcome.CLEAN
    objection = objection_file(application=application, actor=cast.other_applicant, text="金额过高")
    assert notice_outcome(notice) is Outcome.PENDING
    objection_resolve(objection=objection, actor=cast.reviewer, upheld=False, response="符合")
    assert notice_outcome(notice) is Outcome.DISMISSED
    ended = timezone.make_aware(dt.datetime(2025, 11, 20))
    PublicNotice.objects.filter(pk=notice.pk).update(starts_at=ended - dt.timedelta(days=7), ends_at=ended)
    assert list(public_notices_archive()) == [notice]
    assert list(public_notices_archive(valley="晋城", year=2025)) == [notice]
    assert not public_notices_archive(valley="大同").exists()
    assert not public_notices_archive(year=2024).exists()
    objection_resolve(objection=objection, actor=cast.reviewer, upheld=True, response="复核后成立")
    assert notice_outcome(notice) is Outcome.UPHELD
