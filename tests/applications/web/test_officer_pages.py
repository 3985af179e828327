"""The officer pages: the opinion box, errors beside the field with the typed values kept (action,
approval, scoring, payment), the 回避 declaration, the 公示 archive and the objection without an account."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from jinchuang.accounts.models import SmsMessage
from jinchuang.applications.models import Application, Instalment, Objection, PublicNotice
from jinchuang.applications.workflow import State
from tests.applications.web.conftest import Cast, startup_case, submitted, tech_case
from tests.applications.web.rubric_support import declare_no_conflict, rubric_post
from tests.factories import verify_facts

pytestmark = pytest.mark.django_db


def _html(response: object) -> str:
    assert getattr(response, "status_code", None) == 200
    return str(response.content.decode())  # type: ignore[attr-defined]


def _field(html: str, testid: str) -> str:
    """The tag (input/textarea with its content) carrying ``data-testid``."""
    found = re.search(rf'<(input|textarea)[^>]*data-testid="{re.escape(testid)}"[^>]*>([^<]*)', html)
    assert found, testid
    return found.group(0)


def _accepted(cast: Cast, case: dict[str, object] | None = None, measure_id: str = "jc-3") -> Application:
    application = submitted(cast.applicant, case, measure_id=measure_id)
    cast.client(cast.agent).post(f"/applications/{application.pk}/act/accept/", {"opinion": "材料齐全"})
    application.refresh_from_db()
    assert application.state == State.INITIAL_REVIEW
    return application


def test_every_step_has_an_opinion_box_and_the_history_shows_the_opinion(cast: Cast) -> None:
    application = _accepted(cast)
    agent = cast.client(cast.agent)
    page = _html(agent.get(f"/applications/{application.pk}/"))
    for step in ("return", "pass_initial_review", "reject"):
        assert f'data-testid="opinion-{step}"' in page, step
    assert "审核意见(选填)" in page and "审核意见(必填: 需补充的信息)" in page
    agent.post(f"/applications/{application.pk}/act/pass_initial_review/", {"opinion": "经核实, 符合第3条条件"})
    history = _html(cast.client(cast.applicant).get(f"/applications/{application.pk}/"))
    history = history[history.index('data-testid="history"') :]
    assert "材料齐全" in history and "经核实, 符合第3条条件" in history


def test_return_without_an_opinion_shows_the_error_beside_the_box(cast: Cast) -> None:
    application = _accepted(cast)
    html = _html(cast.client(cast.agent).post(f"/applications/{application.pk}/act/return/", {"opinion": " "}))
    assert re.search(r'data-testid="error-return-opinion">请填写此项<', html)
    assert 'class="field has-error"' in html
    application.refresh_from_db()
    assert application.state == State.INITIAL_REVIEW


def test_rejection_without_an_opinion_keeps_the_condition_typed(cast: Cast) -> None:
    application = _accepted(cast)
    url = f"/applications/{application.pk}/act/reject/"
    html = _html(cast.client(cast.agent).post(url, {"opinion": "", "unmet_condition": "未经遴选"}))
    assert 'data-testid="error-reject-opinion"' in html
    assert ">未经遴选" in _field(html, "reject-unmet")
    assert '<details class="fold" open>' in html  # the folded form is open on an error


def _to_approval(cast: Cast) -> Application:
    application = _accepted(cast, tech_case(), measure_id="jc-8")
    agent, reviewer = cast.client(cast.agent), cast.client(cast.reviewer)
    verify_facts(application, cast.agent)
    agent.post(f"/applications/{application.pk}/act/pass_initial_review/")
    reviewer.post(f"/applications/{application.pk}/act/pass_department_review/")
    application.refresh_from_db()
    assert application.state == State.APPROVAL
    return application


def test_approval_errors_sit_beside_the_amount_and_the_reason_with_values_kept(cast: Cast) -> None:
    application = _to_approval(cast)
    reviewer = cast.client(cast.reviewer)
    page = _html(reviewer.get(f"/applications/{application.pk}/"))
    assert 'value="240000.00"' in _field(page, "approve-amount")  # the suggestion: the engine's maximum
    url = f"/applications/{application.pk}/act/approve/"
    html = _html(reviewer.post(url, {"amount": "12.345", "reason": "部分费用不予认定", "opinion": "同意"}))
    assert "最多保留两位小数" in html[html.index('data-testid="error-approve-amount"') :][:200]
    assert 'value="12.345"' in _field(html, "approve-amount")
    assert ">部分费用不予认定" in _field(html, "approve-reason")
    assert ">同意" in _field(html, "opinion-approve")
    html = _html(reviewer.post(url, {"amount": "200000", "reason": ""}))
    assert "须说明理由" in html[html.index('data-testid="error-approve-reason"') :][:200]
    reviewer.post(url, {"amount": "240000", "opinion": "同意按计算上限支持"})
    application.refresh_from_db()
    assert application.state == State.PUBLIC_NOTICE


def _in_expert_review(cast: Cast) -> Application:
    application = _accepted(cast, startup_case())
    verify_facts(application, cast.agent)
    cast.client(cast.agent).post(f"/applications/{application.pk}/act/pass_initial_review/")
    cast.client(cast.reviewer).post(
        f"/applications/{application.pk}/act/send_to_experts/", {"experts": [cast.expert.pk], "opinion": "请评审"}
    )
    application.refresh_from_db()
    assert application.state == State.EXPERT_REVIEW
    return application


def test_the_expert_declares_before_the_rubric_is_shown_and_scores_are_kept_on_error(cast: Cast) -> None:
    application = _in_expert_review(cast)
    expert = cast.client(cast.expert)
    page = _html(expert.get(f"/applications/{application.pk}/"))
    assert 'data-testid="recusal-rule"' in page and 'data-testid="rubric-form"' not in page
    # scoring before the declaration is refused by the core
    html = _html(expert.post(f"/applications/{application.pk}/score/", rubric_post(application, recommended="1")))
    assert "请先勾选回避声明" in html[html.index('data-testid="error-no_conflict"') :][:200]  # beside the box
    html = _html(expert.post(f"/applications/{application.pk}/declare/", {}))  # the box not ticked
    assert 'data-testid="error-no_conflict"' in html
    declare_no_conflict(expert, application)
    page = _html(expert.get(f"/applications/{application.pk}/"))
    assert 'data-testid="rubric-form"' in page and "创业团队能力" in page and "(0–25)" in page
    bad = {**rubric_post(application, recommended="abc", comment="团队完整"), "criterion_team": "26"}
    html = _html(expert.post(f"/applications/{application.pk}/score/", bad))
    assert "“创业团队能力”的得分须为0到25之间的整数" in html[html.index('data-testid="error-criterion_team"') :][:200]
    assert 'data-testid="error-recommended"' in html  # both bad fields named at once
    assert 'value="26"' in _field(html, "criterion_team")
    assert 'value="24"' in _field(html, "criterion_innovation")  # the good values are kept too
    assert 'value="abc"' in _field(html, "recommended") and ">团队完整" in _field(html, "comment")
    good = rubric_post(application, recommended="400000", comment="团队完整")
    expert.post(f"/applications/{application.pk}/score/", good)
    row = application.expert_scores.get()
    assert row.score == 24 + 20 + 20 + 16 and row.comment == "团队完整"
    officer = _html(cast.client(cast.reviewer).get(f"/applications/{application.pk}/"))
    assert "分项得分" in officer and "创业团队能力: 20 / 25" in officer


def test_a_recusing_expert_leaves_the_case(cast: Cast) -> None:
    application = _in_expert_review(cast)
    expert = cast.client(cast.expert)
    response = expert.post(f"/applications/{application.pk}/declare/", {"conflict": "1"})
    assert response.status_code == 302 and response["Location"] == "/applications/queue/"
    assert expert.get(f"/applications/{application.pk}/").status_code == 404
    officer = _html(cast.client(cast.reviewer).get(f"/applications/{application.pk}/"))
    assert "已回避" in officer and 'data-testid="add-experts"' in officer


def _payment_scheduled(cast: Cast) -> Instalment:
    application = _to_approval(cast)
    cast.client(cast.reviewer).post(f"/applications/{application.pk}/act/approve/", {"amount": "240000"})
    past = timezone.now() - dt.timedelta(days=1)
    PublicNotice.objects.filter(application=application).update(starts_at=past - dt.timedelta(days=7), ends_at=past)
    cast.client(cast.reviewer).post(f"/applications/{application.pk}/act/end_public_notice/")
    application.refresh_from_db()
    assert application.state == State.PAYMENT_SCHEDULED
    return Instalment.objects.filter(award__application=application).order_by("sequence").first()  # type: ignore[return-value]


def test_payment_errors_sit_beside_the_field_on_the_queue_and_on_the_application(cast: Cast) -> None:
    instalment = _payment_scheduled(cast)
    finance = cast.client(cast.finance)
    url = f"/applications/instalments/{instalment.pk}/pay/"
    html = _html(finance.post(url, {"paid_on": "2026-11-20", "voucher_no": "", "next": "/applications/queue/"}))
    assert 'data-testid="queue-finance"' in html  # the 待办 page again
    assert "请填写凭证号" in html[html.index(f'data-testid="error-voucher_no-{instalment.pk}"') :][:100]
    assert 'value="2026-11-20"' in html
    detail = f"/applications/{instalment.award.application_id}/"
    html = _html(finance.post(url, {"paid_on": "20/11/2026", "voucher_no": "PZ-9", "next": detail}))
    assert 'data-testid="instalments"' in html
    assert f'data-testid="error-paid_on-{instalment.pk}"' in html and 'value="PZ-9"' in html
    instalment.refresh_from_db()
    assert instalment.paid_on is None


def test_the_archive_lists_ended_notices_with_their_outcome_and_filters(cast: Cast) -> None:
    instalment = _payment_scheduled(cast)
    pk = instalment.award.application_id
    public = Client()
    html = _html(public.get("/applications/public-notice/archive/"))
    assert f'data-testid="archived-{pk}"' in html and "公示无异议" in html and "240,000.00" in html
    assert f'data-testid="archived-{pk}"' not in _html(public.get("/applications/public-notice/archive/?valley=大同"))
    year = PublicNotice.objects.get(application_id=pk).ends_at.year
    assert f'data-testid="archived-{pk}"' in _html(public.get(f"/applications/public-notice/archive/?year={year}"))
    assert "archive-link" in _html(public.get("/applications/public-notice/"))
    # the current page keeps working without current notices
    assert "目前没有公示中的项目" in _html(public.get("/applications/public-notice/"))


def _code(phone: str) -> str:
    message = SmsMessage.objects.filter(phone=phone).order_by("-pk").first()
    assert message is not None
    found = re.search(r"验证码为 (\d{6})", message.text)
    assert found
    return found.group(1)


def test_an_objection_without_an_account_with_the_code_sent_to_the_phone(cast: Cast) -> None:
    application = _to_approval(cast)
    cast.client(cast.reviewer).post(f"/applications/{application.pk}/act/approve/", {"amount": "240000"})
    public = Client()
    listing = _html(public.get("/applications/public-notice/"))
    assert f'data-testid="object-anonymous-{application.pk}"' in listing
    url = f"/applications/public-notice/{application.pk}/objection/verify/"
    html = _html(public.post(url, {"step": "send", "name": "", "phone": "12345", "text": "该企业已停产"}))
    assert 'data-testid="error-name"' in html and 'data-testid="error-phone"' in html
    assert "该企业已停产</textarea>" in html
    html = _html(public.post(url, {"step": "send", "name": "刘群众", "phone": "13900001111", "text": "该企业已停产"}))
    assert "验证码已发送至 139****1111" in html
    html = _html(
        public.post(
            url, {"step": "file", "name": "刘群众", "phone": "13900001111", "text": "该企业已停产", "code": "1"}
        )
    )
    assert 'data-testid="error-code"' in html and 'value="刘群众"' in html
    response = public.post(
        url,
        {
            "step": "file",
            "name": "刘群众",
            "phone": "13900001111",
            "text": "该企业已停产",
            "code": _code("13900001111"),
        },
    )
    assert response.status_code == 302
    objection = Objection.objects.get(notice__application=application)
    assert objection.objector_phone == "13900001111" and objection.filed_by is None
    queue = _html(cast.client(cast.reviewer).get("/applications/queue/"))
    assert f'data-testid="open-objections-{application.pk}"' in queue
    page = _html(cast.client(cast.reviewer).get(f"/applications/{application.pk}/"))
    assert "该企业已停产" in page and "139****1111" in page
    applicant = _html(cast.client(cast.applicant).get(f"/applications/{application.pk}/"))
    assert "139****1111" not in applicant and "刘群众" not in applicant  # the objector is not named to the applicant


def test_an_empty_objection_by_a_signed_in_user_is_refused_beside_the_box(cast: Cast) -> None:
    application = _to_approval(cast)
    cast.client(cast.reviewer).post(f"/applications/{application.pk}/act/approve/", {"amount": "240000"})
    other = cast.client(cast.other_applicant)
    html = _html(other.post(f"/applications/public-notice/{application.pk}/objection/", {"text": "  "}))
    assert "请填写此项" in html[html.index(f'data-testid="error-objection-{application.pk}"') :][:100]
    assert not Objection.objects.exists()
