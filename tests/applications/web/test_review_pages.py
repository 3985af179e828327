"""The review pages: every action is one POST to the core; errors come back in Chinese."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from jinchuang.applications.models import Application, Instalment, Notification, PublicNotice
from jinchuang.applications.workflow import State
from tests.applications.web.conftest import Cast, startup_case, submitted, tech_case
from tests.applications.web.rubric_support import declare_no_conflict, rubric_post
from tests.factories import verify_facts

pytestmark = pytest.mark.django_db


def _follow(client: Client, url: str, data: Mapping[str, object] | None = None) -> str:
    response = client.post(url, data or {}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def _state(application: Application) -> str:
    application.refresh_from_db()
    return application.state


def test_my_applications_shows_state_responsible_and_time_left(cast: Cast) -> None:
    application = submitted(cast.applicant)
    html = cast.client(cast.applicant).get("/applications/").content.decode()
    assert application.number and application.number in html  # 申报编号, not the row id
    assert "已申报(待受理)" in html
    assert "服务专员" in html  # who holds the step: the role, not a person
    assert "剩余" in html or "已超时" in html


def test_application_page_shows_history_and_clock(cast: Cast) -> None:
    application = submitted(cast.applicant)
    html = cast.client(cast.applicant).get(f"/applications/{application.pk}/").content.decode()
    assert "办理记录" in html and "提交申报" in html
    assert 'data-testid="time-left"' in html
    assert 'data-testid="do-withdraw"' in html  # withdraw before approval
    from jinchuang.policy.catalog import default_catalog

    digest = default_catalog().digest
    assert f'title="{digest}"' in html and digest[:12] in html  # the catalog version it was judged under


def test_withdraw(cast: Cast) -> None:
    application = submitted(cast.applicant)
    _follow(cast.client(cast.applicant), f"/applications/{application.pk}/act/withdraw/")
    assert _state(application) == State.WITHDRAWN


def test_return_for_more_information_and_resubmit(cast: Cast) -> None:
    application = submitted(cast.applicant)
    agent = cast.client(cast.agent)
    _follow(agent, f"/applications/{application.pk}/act/accept/")
    html = _follow(agent, f"/applications/{application.pk}/act/return/", {"opinion": ""})
    assert "说明: 请填写此项" in html  # the required message, in Chinese, naming the field
    _follow(agent, f"/applications/{application.pk}/act/return/", {"opinion": "请补充实缴出资证明"})
    assert _state(application) == State.RETURNED
    applicant = cast.client(cast.applicant)
    page = applicant.get(f"/applications/{application.pk}/").content.decode()
    assert "请补充实缴出资证明" in page
    form = applicant.get(f"/applications/{application.pk}/edit/").content.decode()
    assert "补正后重新提交" in form
    from tests.applications.web.conftest import case_post

    _follow(applicant, f"/applications/{application.pk}/resubmit/", case_post(startup_case()))
    assert _state(application) == State.RESUBMITTED


def test_agent_queue_lists_served_cases_and_highlights_overdue(cast: Cast) -> None:
    application = submitted(cast.applicant)
    Application.objects.filter(pk=application.pk).update(step_deadline=timezone.now() - dt.timedelta(hours=1))
    html = cast.client(cast.agent).get("/applications/queue/").content.decode()
    assert f'data-testid="queue-row-{application.pk}"' in html
    assert f'data-testid="overdue-{application.pk}"' in html
    assert 'class="overdue"' in html


def test_reviewer_sees_only_their_departments_queue(cast: Cast) -> None:
    application = submitted(cast.applicant)
    agent = cast.client(cast.agent)
    _follow(agent, f"/applications/{application.pk}/act/accept/")
    _follow(agent, f"/applications/{application.pk}/act/pass_initial_review/")
    assert _state(application) == State.DEPARTMENT_REVIEW
    mine = cast.client(cast.reviewer).get("/applications/queue/").content.decode()
    assert f'data-testid="queue-row-{application.pk}"' in mine
    other = cast.client(cast.other_reviewer).get("/applications/queue/").content.decode()
    assert f'data-testid="queue-row-{application.pk}"' not in other
    assert cast.client(cast.other_reviewer).get(f"/applications/{application.pk}/").status_code == 404


def test_wrong_transition_is_explained_in_chinese(cast: Cast) -> None:
    application = submitted(cast.applicant)
    agent = cast.client(cast.agent)
    _follow(agent, f"/applications/{application.pk}/act/accept/")
    _follow(agent, f"/applications/{application.pk}/act/pass_initial_review/")
    html = _follow(cast.client(cast.reviewer), f"/applications/{application.pk}/act/pass_department_review/")
    assert "该措施条款要求经专家评审" in html
    assert _state(application) == State.DEPARTMENT_REVIEW


def test_unknown_action_is_404(cast: Cast) -> None:
    application = submitted(cast.applicant)
    assert cast.client(cast.agent).post(f"/applications/{application.pk}/act/explode/").status_code == 404


def _to_approval(cast: Cast, application: Application) -> None:
    agent, reviewer, expert = cast.client(cast.agent), cast.client(cast.reviewer), cast.client(cast.expert)
    _follow(agent, f"/applications/{application.pk}/act/accept/")
    _follow(agent, f"/applications/{application.pk}/act/pass_initial_review/")
    verify_facts(application, cast.agent)
    _follow(reviewer, f"/applications/{application.pk}/act/send_to_experts/", {"experts": [cast.expert.pk]})
    assert _state(application) == State.EXPERT_REVIEW
    queue = expert.get("/applications/queue/").content.decode()
    assert f'data-testid="queue-row-{application.pk}"' in queue
    above = (application.review_max_fen or application.engine_max_fen) // 100 + 1
    declare_no_conflict(expert, application)
    html = _follow(expert, f"/applications/{application.pk}/score/", rubric_post(application, recommended=str(above)))
    assert "建议金额须在法定区间" in html
    too_many = {**rubric_post(application, recommended="1"), "criterion_innovation": "31"}
    html = _follow(expert, f"/applications/{application.pk}/score/", too_many)
    assert "的得分须为0到30之间的整数" in html
    _follow(
        expert, f"/applications/{application.pk}/score/", rubric_post(application, recommended="400000", comment="好")
    )
    _follow(reviewer, f"/applications/{application.pk}/act/complete_expert_review/")
    assert _state(application) == State.APPROVAL


def test_full_review_to_payment_through_pages(cast: Cast) -> None:
    # 晋城 第3条 is paid once per entity (一次性), in one instalment; the Playwright walkthrough pays a
    # three-instalment award (大同 第十五条, 分3年)
    application = submitted(cast.applicant, startup_case(years=(2025, 2026)))
    assert len(application.schedule) == 1 and application.engine_max_fen == 500_000_00
    _to_approval(cast, application)
    reviewer = cast.client(cast.reviewer)
    url = f"/applications/{application.pk}/act/approve/"
    html = _follow(reviewer, url, {"amount": str(application.engine_max_fen // 100 + 1)})
    assert "超过计算上限" in html
    html = _follow(reviewer, url, {"amount": "400000"})
    assert "须说明理由" in html
    html = _follow(reviewer, url, {"amount": "12.345"})
    assert "最多保留两位小数" in html
    _follow(reviewer, url, {"amount": "400000", "reason": "专家建议金额"})
    assert _state(application) == State.PUBLIC_NOTICE
    assert application.approved_amount_fen == 40_000_000

    # 公示: public, no login
    public = Client().get("/applications/public-notice/").content.decode()
    assert f'data-testid="notice-{application.pk}"' in public and "400,000.00" in public
    assert "登录后提出异议" in public
    other = cast.client(cast.other_applicant)
    _follow(other, f"/applications/public-notice/{application.pk}/objection/", {"text": "金额过高"})
    page = reviewer.get(f"/applications/{application.pk}/").content.decode()
    assert "金额过高" in page
    objection = PublicNotice.objects.get(application=application).objections.get()
    _follow(
        reviewer,
        f"/applications/{application.pk}/objections/{objection.pk}/answer/",
        {"upheld": "0", "response": "经核实, 金额符合评审意见"},
    )
    # the notice period passes
    past = timezone.now() - dt.timedelta(days=1)
    PublicNotice.objects.filter(application=application).update(starts_at=past - dt.timedelta(days=7), ends_at=past)
    _follow(reviewer, f"/applications/{application.pk}/act/end_public_notice/")
    assert _state(application) == State.PAYMENT_SCHEDULED

    finance = cast.client(cast.finance)
    instalments = list(Instalment.objects.filter(award__application=application).order_by("sequence"))
    assert len(instalments) == 1
    queue = finance.get("/applications/queue/").content.decode()
    assert f'data-testid="due-{instalments[0].pk}"' in queue
    html = _follow(finance, f"/applications/instalments/{instalments[0].pk}/pay/", {"paid_on": "", "voucher_no": "X"})
    assert "请填写拨付日期" in html
    html = _follow(finance, f"/applications/instalments/{instalments[0].pk}/pay/", {"paid_on": "2026-11-20"})
    assert "请填写凭证号" in html
    for instalment in instalments:
        _follow(
            finance,
            f"/applications/instalments/{instalment.pk}/pay/",
            {"paid_on": "2026-11-20", "voucher_no": f"PZ-{instalment.sequence}"},
        )
    assert _state(application) == State.PAID
    _follow(finance, f"/applications/{application.pk}/act/close/")
    assert _state(application) == State.CLOSED
    page = cast.client(cast.applicant).get(f"/applications/{application.pk}/").content.decode()
    assert "PZ-1" in page and "已办结" in page
    history = page[page.index('data-testid="history"') :]
    for step in ("提交申报", "受理(开始初审)", "专家评分", "公示异议", "答复异议", "登记拨付", "办结"):
        assert step in history, step
    assert "赵专家" not in page  # the expert is not named to the applicant
    assert "赵专家" in cast.client(cast.reviewer).get(f"/applications/{application.pk}/").content.decode()


def test_ledger_and_excel_export(cast: Cast) -> None:
    application = submitted(cast.applicant, tech_case(), measure_id="jc-8")
    agent, reviewer = cast.client(cast.agent), cast.client(cast.reviewer)
    _follow(agent, f"/applications/{application.pk}/act/accept/")
    _follow(agent, f"/applications/{application.pk}/act/pass_initial_review/")
    verify_facts(application, cast.agent)
    _follow(reviewer, f"/applications/{application.pk}/act/pass_department_review/")
    _follow(reviewer, f"/applications/{application.pk}/act/approve/", {"amount": "240000"})
    assert _state(application) == State.PUBLIC_NOTICE
    finance = cast.client(cast.finance)
    html = finance.get("/applications/ledger/?valley=晋城&measure=jc-8").content.decode()
    assert cast.organisation.name in html and "240,000.00" in html
    assert f'<option value="{cast.organisation.pk}" selected>' in html or "filter-organisation" in html
    assert "240,000.00" not in finance.get("/applications/ledger/?valley=大同").content.decode()
    export = finance.get("/applications/ledger/export.xlsx?measure=jc-8")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert export["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    # three title rows, then the header (test_ledger_excel.py checks the layout)
    assert rows[3][3] == "机构" and rows[4][3] == cast.organisation.name and rows[4][10] == 240000
    # the enterprise sees its own row; the other enterprise sees none
    assert cast.organisation.name in cast.client(cast.applicant).get("/applications/ledger/").content.decode()
    assert cast.organisation.name not in cast.client(cast.other_applicant).get("/applications/ledger/").content.decode()
    filtered = finance.get(f"/applications/ledger/?organisation={cast.organisation.pk}&year=2026").content.decode()
    assert f'<option value="{cast.organisation.pk}" selected>' in filtered


def test_notifications_list_unread_count_and_mark_read(cast: Cast) -> None:
    application = submitted(cast.applicant)
    _follow(cast.client(cast.agent), f"/applications/{application.pk}/act/accept/")
    client = cast.client(cast.applicant)
    unread = Notification.objects.filter(user=cast.applicant, read_at__isnull=True).count()
    assert unread >= 1
    home = client.get("/applications/").content.decode()
    assert re.search(rf'data-testid="unread-count"[^>]*>{unread}<', home)
    html = client.get("/applications/notifications/").content.decode()
    assert "受理(开始初审)" in html
    client.post("/applications/notifications/read/")
    assert not Notification.objects.filter(user=cast.applicant, read_at__isnull=True).exists()
    assert 'data-testid="unread-count"' not in client.get("/applications/").content.decode()


def test_public_notice_page_without_notices(client: Client, db: object) -> None:
    response = client.get("/applications/public-notice/")
    assert response.status_code == 200 and "目前没有公示中的项目" in response.content.decode()


def test_objection_needs_login(cast: Cast) -> None:
    response = Client().post("/applications/public-notice/1/objection/", {"text": "x"})
    assert response.status_code == 302 and "/login/" in response["Location"]
