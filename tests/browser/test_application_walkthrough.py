"""One application walked through every step in Chromium with the demo accounts, a screenshot of
each page under test-artifacts/walkthrough/:

apply from the calculator (大同 第十五条 新设立院士工作站建站补助, 经评审, 最高100万元
“分3年补助到位”, so the schedule has three instalments) → 初审 by demo_agent → department review by
demo_reviewer_dt (大同市委组织部) → expert review by demo_expert → approval → 公示 → payment schedule →
the instalments paid by demo_finance (two, then the last) → closed.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import FilePayload, Page, expect

from jinchuang.accounts.demo import DEMO_PASSWORD, demo_data_load
from jinchuang.accounts.models import User
from jinchuang.applications.models import Application, PublicNotice, ServiceAgentAssignment
from tests.browser.conftest import ARTIFACTS
from tests.browser.officer_support import declare_no_conflict, fill_rubric

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = ARTIFACTS / "walkthrough"
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class Walk:
    def __init__(self, page: Page, base: str) -> None:
        self.page = page
        self.base = base
        self.counter = itertools.count(1)
        SHOTS.mkdir(parents=True, exist_ok=True)

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(SHOTS / f"{next(self.counter):02d}-{name}.png"), full_page=True)

    def go(self, path: str) -> None:
        self.page.goto(f"{self.base}{path}")

    def login(self, username: str) -> None:
        self.go("/login/")
        self.page.locator("#id_username").fill(username)
        self.page.locator("#id_password").fill(DEMO_PASSWORD)
        self.page.get_by_test_id("login-submit").click()
        expect(self.page.get_by_test_id("logout")).to_be_visible()

    def logout(self) -> None:
        self.page.get_by_test_id("logout").click()
        expect(self.page.get_by_test_id("nav-login")).to_be_visible()

    def act(self, name: str) -> None:
        self.page.get_by_test_id(f"do-{name}").click()
        expect(self.page.locator(".messages")).to_contain_text("已办理")


def _fill_station_event(page: Page, index: int, date: str) -> None:
    # the row may just have been swapped in: wait until HTMX has wired its type <select>
    page.wait_for_function(
        "i => { const s = document.querySelector(`[data-testid=ev-${i}-type]`); return s && s['htmx-internal-data'] }",
        arg=index,
    )
    page.get_by_test_id(f"ev-{index}-type").select_option("platform_approved")
    expect(page.get_by_test_id(f"ev-{index}-platform")).to_be_visible()
    page.get_by_test_id(f"ev-{index}-date").fill(date)
    page.get_by_test_id(f"ev-{index}-platform").select_option("academician_station")
    page.get_by_test_id(f"ev-{index}-level").select_option("provincial")
    page.get_by_test_id(f"ev-{index}-first_time").select_option("true")


def test_one_application_through_every_step(live_server: Any, page: Page, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_data_load()
    call_command("load_demo_applications", stdout=StringIO())  # demo_agent serves the demo organisations
    applicant = User.objects.get(username="demo_applicant_dt")
    assert applicant.organisation is not None
    assert ServiceAgentAssignment.objects.get(organisation=applicant.organisation).agent.username == "demo_agent"
    walk = Walk(page, live_server.url)

    # ── 申报人: the calculator, then 申报 from the result row ─────────────────────────────
    walk.login("demo_applicant_dt")
    walk.go("/calculator/?free=1")  # the calculator as a blank case (a member's default starts from its record)
    page.get_by_test_id("applicant_kind").select_option("enterprise")
    page.get_by_test_id("applicant_valley").select_option("大同")
    page.get_by_test_id("settled_on").fill("2025-02-10")
    page.get_by_test_id("as_of").fill("2025-12-31")
    _fill_station_event(page, 0, "2025-05-20")
    page.get_by_test_id("calculate").click()
    expect(page.get_by_test_id("measure-dt-15")).to_contain_text("第十五条")
    walk.shot("calculator-result")
    page.get_by_test_id("apply-dt-15").click()

    expect(page.get_by_role("heading", name=re.compile("在线申报"))).to_be_visible()
    expect(page.get_by_test_id("engine-amount")).to_have_text("1,000,000.00")
    expect(page.get_by_test_id("citation")).to_contain_text("第十五条")
    expect(page.get_by_test_id("ev-0-date")).to_have_value("2025-05-20")
    walk.shot("apply-form-prefilled")
    # autosave (HTMX, debounced) makes the draft; then the material can be attached
    # (kind, valley and 入驻日期 are the record's, shown read-only: change a fact of the event instead)
    expect(page.get_by_test_id("record-settled-on")).to_have_text("2025-02-10")
    page.get_by_test_id("ev-0-date").fill("2025-05-21")
    page.get_by_test_id("ev-0-date").dispatch_event("change")
    expect(page.get_by_test_id("autosave-status")).to_contain_text("草稿已自动保存")
    material: FilePayload = {"name": "院士工作站设立批复.pdf", "mimeType": "application/pdf", "buffer": PDF}
    page.get_by_test_id("upload-file").set_input_files(files=[material])
    page.get_by_test_id("upload-submit").click()
    expect(page.get_by_test_id("materials")).to_contain_text("院士工作站设立批复.pdf")
    walk.shot("draft-with-material")
    page.get_by_test_id("submit-application").click()
    expect(page.get_by_test_id("state")).to_have_text("已申报(待受理)")
    expect(page.get_by_test_id("responsible")).to_contain_text("李专员")
    walk.shot("submitted")
    application = Application.objects.get(organisation=applicant.organisation)
    assert Application.objects.filter(organisation=applicant.organisation).count() == 1
    walk.go("/applications/")
    expect(page.get_by_test_id(f"state-{application.pk}")).to_have_text("已申报(待受理)")
    walk.shot("my-applications")
    walk.logout()

    # ── 服务专员: accept and pass 初审 ───────────────────────────────────────────────────
    walk.login("demo_agent")
    walk.go("/applications/queue/")
    expect(page.get_by_test_id(f"queue-row-{application.pk}")).to_be_visible()
    walk.shot("agent-queue")
    page.get_by_test_id(f"open-{application.pk}").click()
    walk.act("accept")
    expect(page.get_by_test_id("state")).to_have_text("初审")
    walk.shot("initial-review")
    # 初审 on facts: the station approval typed while applying is a declared fact of the record; the
    # 服务专员 checks it against the uploaded 批复 (its evidence) and verifies it here
    fact = application.facts.get()
    expect(page.get_by_test_id(f"fact-evidence-{fact.pk}")).to_contain_text("院士工作站设立批复.pdf")
    expect(page.get_by_test_id(f"fact-state-{fact.pk}")).to_have_text("待核验")
    page.get_by_test_id(f"fact-note-{fact.pk}").fill("已核对院士工作站设立批复")
    page.get_by_test_id(f"fact-verify-{fact.pk}").click()
    expect(page.get_by_test_id(f"fact-state-{fact.pk}")).to_have_text("已核验")
    walk.act("pass_initial_review")
    expect(page.get_by_test_id("state")).to_have_text("部门审核")
    walk.logout()

    # ── 部门审核员 (大同市委组织部, the measure's lead department): send to experts ──────────────
    walk.login("demo_reviewer_dt")
    walk.go("/applications/queue/")
    expect(page.get_by_test_id(f"queue-row-{application.pk}")).to_be_visible()
    walk.shot("reviewer-queue")
    page.get_by_test_id(f"open-{application.pk}").click()
    page.get_by_test_id("expert-demo_expert").check()
    walk.shot("department-review")
    walk.act("send_to_experts")
    expect(page.get_by_test_id("state")).to_have_text("专家评审")
    walk.logout()

    # ── 评审专家: score within the legal range ─────────────────────────────────────────────
    walk.login("demo_expert")
    walk.go("/applications/queue/")
    page.get_by_test_id(f"open-{application.pk}").click()
    declare_no_conflict(page)  # 回避声明, then the rubric (tests/browser/officer_support.py)
    fill_rubric(page)
    page.get_by_test_id("recommended").fill("800000")
    page.get_by_test_id("comment").fill("院士团队与产业结合紧密, 建议支持80万元")
    walk.shot("expert-scoring")
    page.get_by_test_id("do-score").click()
    expect(page.locator(".messages")).to_contain_text("评分已提交")
    walk.logout()

    # ── 部门审核员: expert review complete, approve (below the maximum, with a reason) ─────────
    walk.login("demo_reviewer_dt")
    walk.go(f"/applications/{application.pk}/")
    walk.act("complete_expert_review")
    expect(page.get_by_test_id("state")).to_have_text("待审定")
    expect(page.get_by_test_id("approve-amount")).to_have_value("800000.00")
    page.get_by_test_id("approve-amount").fill("900000")
    page.get_by_test_id("do-approve").click()
    expect(page.locator(".messages")).to_contain_text("须说明理由")  # below the maximum needs a reason
    walk.shot("approve-error")
    page.get_by_test_id("approve-amount").fill("800000")
    page.get_by_test_id("approve-reason").fill("按专家评审建议金额核定")
    walk.act("approve")
    expect(page.get_by_test_id("state")).to_have_text("公示中")
    walk.shot("approved")
    walk.logout()

    # ── 公示: public, no login ───────────────────────────────────────────────────────────
    walk.go("/applications/public-notice/")
    expect(page.get_by_test_id(f"notice-{application.pk}")).to_contain_text("800,000.00")
    walk.shot("public-notice")

    # the notice period (7 days) passes
    past = timezone.now() - dt.timedelta(minutes=5)
    PublicNotice.objects.filter(application=application).update(starts_at=past - dt.timedelta(days=7), ends_at=past)
    walk.login("demo_reviewer_dt")
    walk.go(f"/applications/{application.pk}/")
    walk.act("end_public_notice")
    expect(page.get_by_test_id("state")).to_have_text("待拨付")
    expect(page.get_by_test_id("instalments")).to_contain_text("266,666.67")  # 800,000 in three (分3年)
    expect(page.get_by_test_id("instalments")).to_contain_text("266,666.66")
    walk.shot("payment-scheduled")
    walk.logout()

    # ── 财务: the instalments, each with date and voucher number; then close ─────────────────────
    walk.login("demo_finance")
    walk.go("/applications/queue/")
    walk.shot("finance-queue")
    walk.go(f"/applications/{application.pk}/")
    for sequence in (1, 2, 3):
        page.get_by_test_id(f"paid-on-{sequence}").fill(f"2026-11-2{sequence}")
        page.get_by_test_id(f"voucher-{sequence}").fill(f"DT-PZ-2026-00{sequence}")
        if sequence <= 2:
            walk.shot(f"pay-instalment-{sequence}")
        page.get_by_test_id(f"pay-{sequence}").click()
        expect(page.get_by_test_id(f"paid-{sequence}")).to_contain_text(f"DT-PZ-2026-00{sequence}")
    expect(page.get_by_test_id("state")).to_have_text("已拨付")
    walk.shot("paid")
    walk.act("close")
    expect(page.get_by_test_id("state")).to_have_text("已办结")
    walk.shot("closed")
    walk.go("/applications/ledger/")
    expect(page.get_by_test_id("ledger")).to_contain_text("DT-PZ-2026-003")
    walk.shot("ledger")
    walk.logout()

    # ── 申报人: the closed case, its history and the messages ──────────────────────────────
    walk.login("demo_applicant_dt")
    expect(page.get_by_test_id("unread-count")).to_be_visible()
    walk.go(f"/applications/{application.pk}/")
    expect(page.get_by_test_id("history")).to_contain_text("办结")
    walk.shot("applicant-closed")
    walk.go("/applications/notifications/")
    walk.shot("notifications")
