"""The officers' journey in Chromium with the demo accounts (screenshots at 1366 and 390 px by ``shoot``):

the 服务专员 opens the queue → an application → writes an opinion → passes 初审; on a second case tries
to 退回 without an opinion (the error beside the box) → returns it with one; the history shows both;
the expert declares no conflict (after being told to tick the box) → scores on the rubric with a bad
value (every value kept, the error beside it) → fixes it; the public reads the 公示 archive (by valley and
year) and objects without an account with the code sent to the phone (read from the SMS outbox); the
reviewer's queue shows the objection.
"""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from jinchuang.accounts.demo import DEMO_PASSWORD, demo_data_load
from jinchuang.accounts.models import SmsMessage, User
from jinchuang.applications.models import Application, Objection
from jinchuang.applications.services import application_submit
from jinchuang.applications.workflow import State
from tests.browser.conftest import shoot
from tests.browser.officer_support import fill_rubric
from tests.browser.records_support import Walk

pytestmark = pytest.mark.django_db(transaction=True)


def _tech_case(date: str, amount: str) -> dict[str, Any]:
    event = {"type": "tech_contract_registered", "date": date, "amount": amount, "mode": "transfer", "role": "buyer"}
    return {"as_of": "2025-12-31", "applicant": {"kind": "enterprise", "valley": "晋城"}, "events": [event]}


def test_the_officers_journey(live_server: Any, page: Page) -> None:
    demo_data_load()
    call_command("load_demo_applications", stdout=StringIO())
    applicant = User.objects.get(username="demo_applicant")
    assert applicant.organisation is not None
    first, second = (
        application_submit(
            organisation=applicant.organisation,
            measure_id="jc-8",
            case_data=_tech_case(date, "400000"),
            idempotency_key=f"journey-{date}",
            actor=applicant,
        )
        for date in ("2025-08-01", "2025-09-01")
    )
    walk = Walk(page, live_server.url, "officer-journey")

    # ── 服务专员: queue → application → accept with an opinion, verify the fact, pass 初审 with an opinion ──
    walk.login("demo_agent", DEMO_PASSWORD)
    walk.go("/applications/queue/")
    shoot(page, "officer-queue")
    page.get_by_test_id(f"open-{first.pk}").click()
    page.get_by_test_id("opinion-accept").fill("申报材料齐全, 予以受理")
    page.get_by_test_id("do-accept").click()
    expect(page.locator(".messages")).to_contain_text("已办理")
    while page.locator("[data-testid^=fact-verify-]").count():  # 初审 on facts: verify the declared contract
        page.locator("[data-testid^=fact-verify-]").first.click()
        expect(page.locator(".messages")).to_contain_text("事实已核验")
    page.get_by_test_id("opinion-pass_initial_review").fill("合同已登记, 符合第8条条件")
    shoot(page, "officer-opinion")
    page.get_by_test_id("do-pass_initial_review").click()
    expect(page.get_by_test_id("state")).to_have_text("部门审核")
    history = page.get_by_test_id("history")
    expect(history).to_contain_text("申报材料齐全, 予以受理")
    expect(history).to_contain_text("合同已登记, 符合第8条条件")
    shoot(page, "officer-history")

    # ── the second case: 退回 without an opinion is refused beside the box; then with one ──────────────
    walk.go(f"/applications/{second.pk}/")
    page.get_by_test_id("do-accept").click()
    page.get_by_test_id("do-return").click()
    expect(page.get_by_test_id("error-return-opinion")).to_have_text("请填写此项")
    shoot(page, "officer-return-error")
    page.get_by_test_id("opinion-return").fill("请补充技术合同登记证明")
    page.get_by_test_id("do-return").click()
    expect(page.get_by_test_id("state")).to_have_text("退回补正")
    expect(page.get_by_test_id("history")).to_contain_text("请补充技术合同登记证明")
    walk.logout()

    # ── 评审专家: 回避 declaration, then the rubric; a bad value keeps every value ─────────────────────
    expert_case = Application.objects.get(state=State.EXPERT_REVIEW, idempotency_key="demo-officers-expert-review")
    walk.login("demo_expert", DEMO_PASSWORD)
    walk.go("/applications/queue/")
    page.get_by_test_id(f"open-{expert_case.pk}").click()
    expect(page.get_by_test_id("recusal-rule")).to_contain_text("利害关系")
    expect(page.get_by_test_id("rubric-form")).to_have_count(0)
    page.get_by_test_id("do-declare").click()  # the box not ticked
    expect(page.get_by_test_id("error-no_conflict")).to_be_visible()
    shoot(page, "expert-declaration-error")
    page.get_by_test_id("no-conflict").check()
    page.get_by_test_id("do-declare").click()
    expect(page.get_by_test_id("rubric-form")).to_be_visible()
    fill_rubric(page)
    page.get_by_test_id("criterion_team").fill("26")  # out of 25
    page.get_by_test_id("recommended").fill("300000")
    page.get_by_test_id("comment").fill("团队与项目匹配")
    page.get_by_test_id("do-score").click()
    expect(page.get_by_test_id("error-criterion_team")).to_contain_text("0到25之间")
    expect(page.get_by_test_id("criterion_team")).to_have_value("26")
    expect(page.get_by_test_id("criterion_innovation")).to_have_value("24")
    expect(page.get_by_test_id("recommended")).to_have_value("300000")
    expect(page.get_by_test_id("comment")).to_have_value("团队与项目匹配")
    shoot(page, "expert-rubric-error")
    page.get_by_test_id("criterion_team").fill("20")
    page.get_by_test_id("do-score").click()
    expect(page.locator(".messages")).to_contain_text("评分已提交")
    expect(page.get_by_test_id("my-total")).to_contain_text("80")
    shoot(page, "expert-scored")
    walk.logout()

    # ── the public: the 公示 archive, then an objection without an account ──────────────────────────────
    walk.go("/applications/public-notice/archive/")
    expect(page.get_by_test_id("archive")).to_contain_text("公示无异议")
    expect(page.get_by_test_id("archive")).to_contain_text("异议不成立")
    page.get_by_test_id("archive-valley").select_option("晋城")
    page.get_by_test_id("archive-search").click()
    expect(page.get_by_test_id("archive")).to_contain_text("晋城")
    shoot(page, "notice-archive")
    page.get_by_test_id("archive-valley").select_option("大同")
    page.get_by_test_id("archive-search").click()
    expect(page.get_by_test_id("no-archive")).to_be_visible()

    waiting = Application.objects.get(idempotency_key="demo-officers-notice-objection")
    walk.go("/applications/public-notice/")
    shoot(page, "notice-current")
    page.get_by_test_id(f"object-anonymous-{waiting.pk}").click()
    page.get_by_test_id("objector-name").fill("王公众")
    page.get_by_test_id("objector-phone").fill("13700009999")
    page.get_by_test_id("objector-text").fill("该企业实际经营地不在晋城, 请核实")
    page.get_by_test_id("send-code").click()
    expect(page.get_by_test_id("code-sent")).to_contain_text("137****9999")
    expect(page.get_by_test_id("objector-text")).to_have_value("该企业实际经营地不在晋城, 请核实")
    shoot(page, "objection-code-sent")
    message = SmsMessage.objects.filter(phone="13700009999").order_by("-pk").first()
    assert message is not None
    found = re.search(r"验证码为 (\d{6})", message.text)
    assert found
    page.get_by_test_id("objector-code").fill(found.group(1))
    page.get_by_test_id("file-objection").click()
    expect(page.locator(".messages")).to_contain_text("异议已提交")
    assert Objection.objects.filter(objector_phone="13700009999", filed_by__isnull=True).exists()

    # ── the reviewer's queue shows the objections waiting ─────────────────────────────────────────────
    walk.login("demo_reviewer", DEMO_PASSWORD)
    walk.go("/applications/queue/")
    expect(page.get_by_test_id(f"open-objections-{waiting.pk}")).to_contain_text("2")
    shoot(page, "reviewer-queue-objections")
    page.get_by_test_id(f"open-{waiting.pk}").click()
    expect(page.get_by_test_id("notice")).to_contain_text("该企业实际经营地不在晋城")
    shoot(page, "reviewer-objections")
