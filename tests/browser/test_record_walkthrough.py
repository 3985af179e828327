"""The whole record path in Chromium, for 临汾 人才引育·一 (科研团队: a 博士 hired by an enterprise of
the platform, social insurance paid, a contract of three years or more → 10万元 科研项目经费):

the enterprise's applicant declares the hire on /records/declare/ with the contract as evidence (待核验;
nothing is offered yet) → its 服务专员 verifies the fact on the organisation's record → the
re-evaluation job runs (``run_pending``, the synchronous worker) → the applicant finds the 免申即享
offer of 100,000.00 yuan and confirms it → the 服务专员 accepts and passes 初审 → the department
reviewer (临汾市委人才办) sees on the application page the fact, its evidence file, 已核验 and who
verified it, and the explanation in Chinese sentences, and sends it to an expert → the expert scores
→ the reviewer completes the expert review and approves → the award is on the record as a platform
fact, read as a prior grant: the record's entitlements and the calculator (which starts from the
record for a member) show 人才引育·一 paying nothing more for the same hire (就高不重复).

Every step goes through the pages. Screenshots: test-artifacts/record-walkthrough/.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import FilePayload, Page, expect

from jinchuang.accounts.models import Role
from jinchuang.applications.models import Application, Award, Offer, OfferState, ServiceAgentAssignment
from jinchuang.policy.vocabulary import OrgKind, Valley
from jinchuang.records.models import AWARD_FACT, Fact, FactState
from jinchuang.tasks.services import run_pending
from tests.browser.officer_support import declare_no_conflict, fill_rubric
from tests.browser.records_support import Walk
from tests.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CONTRACT = "王博士劳动合同(2026-2029).pdf"
#: what an engine expression looks like; none may reach a reader
EXPRESSION = re.compile(r"==|!=|>=|<=|\btable\[|\bdegree\b|\bin_valley\b|contract_years|[A-Za-z_]+\(")


def _declare_hire(walk: Walk) -> None:
    page = walk.page
    walk.go("/records/declare/")
    page.get_by_test_id("type-select").select_option("person_hired")
    page.get_by_test_id("choose-type").get_by_role("button").click()
    form = page.get_by_test_id("fact-form")
    expect(form).to_be_visible()
    page.get_by_test_id("date").fill("2026-09-01")
    page.get_by_test_id("ev-degree").select_option("phd")
    page.get_by_test_id("ev-full_time").select_option("true")
    page.get_by_test_id("ev-full_time_degree").select_option("true")
    page.get_by_test_id("ev-contract_years").fill("3")
    page.get_by_test_id("ev-social_insurance_months").fill("3")
    page.get_by_test_id("ref").fill("LF-HT-2026-0901")
    page.get_by_test_id("subject").fill("王博士")
    contract: FilePayload = {"name": CONTRACT, "mimeType": "application/pdf", "buffer": PDF}
    page.get_by_test_id("evidence").set_input_files(files=[contract])
    walk.shot("declare-hire")
    page.get_by_test_id("save").click()
    expect(page.locator(".messages")).to_contain_text("已申报, 待工作人员核验")


def test_a_declared_hire_verified_offered_approved_and_read_as_a_prior_grant(
    live_server: Any, page: Page, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    enterprise = make_organisation(
        name="临汾晶研新材料有限公司", kind=OrgKind.ENTERPRISE, valley=Valley.LINFEN, settled_on=dt.date(2025, 3, 1)
    )
    government = make_organisation(name="临汾市委人才办", kind=OrgKind.GOVERNMENT, valley=Valley.LINFEN)
    applicant = make_user(organisation=enterprise, roles={Role.APPLICANT: ""}, display_name="冯申报")
    agent = make_user(organisation=government, roles={Role.SERVICE_AGENT: ""}, display_name="韩专员")
    ServiceAgentAssignment.objects.create(organisation=enterprise, agent=agent)
    reviewer = make_user(organisation=government, roles={Role.REVIEWER: "临汾市委人才办"}, display_name="曹审核")
    expert = make_user(organisation=government, roles={Role.EXPERT: ""}, display_name="许专家")
    walk = Walk(page, live_server.url, "record-walkthrough")

    # ── 申报人: declare the hire with its contract (待核验) ───────────────────────────────────────
    walk.login(applicant.username)
    _declare_hire(walk)
    fact = Fact.objects.get(organisation=enterprise, event_type="person_hired")
    assert fact.state == FactState.DECLARED and fact.subject == "王**"
    item = page.get_by_test_id(f"fact-{fact.pk}")
    expect(page.get_by_test_id(f"fact-state-{fact.pk}")).to_have_text("待核验")
    expect(item).to_contain_text(CONTRACT)
    expect(item).to_contain_text("王**")
    expect(page.get_by_test_id("unverified-lf-rc-1")).to_be_visible()  # counted, but resting on a declared fact
    walk.shot("record-declared")
    run_pending()
    assert not Offer.objects.filter(organisation=enterprise).exists()  # nothing is offered on a declared fact
    walk.logout()

    # ── 服务专员: verify it on the organisation's record ─────────────────────────────────────────
    walk.login(agent.username)
    walk.go(f"/records/{enterprise.pk}/")
    item = page.get_by_test_id(f"fact-{fact.pk}")
    expect(item).to_contain_text(CONTRACT)
    item.locator("textarea[name=note]").fill("已核对劳动合同原件与社保缴纳记录")
    walk.shot("officer-record")
    page.get_by_test_id(f"verify-{fact.pk}").click()
    expect(page.locator(".messages")).to_contain_text("已核验")
    expect(page.get_by_test_id(f"fact-state-{fact.pk}")).to_have_text("已核验")
    expect(page.get_by_test_id(f"fact-{fact.pk}")).to_contain_text("韩专员")
    walk.logout()

    # ── the re-evaluation job: the verified fact makes the enterprise newly eligible ───────────────
    assert run_pending() >= 1
    offer = Offer.objects.get(organisation=enterprise, state=OfferState.OPEN)
    assert offer.measure_id == "lf-rc-1"

    # ── 申报人: the offer, confirmed ─────────────────────────────────────────────────────────────
    walk.login(applicant.username)
    walk.go("/applications/offers/")
    row = page.get_by_test_id(f"offer-{offer.pk}")
    expect(row).to_contain_text("加强高层次人才引进和培育")
    expect(row).to_contain_text("100,000.00")
    expect(page.get_by_test_id(f"offer-citation-{offer.pk}")).to_have_text("临政办发〔2024〕34号 人才引育·一")
    walk.shot("offer")
    page.get_by_test_id(f"confirm-{offer.pk}").click()
    expect(page.get_by_test_id("state")).to_have_text("已申报(待受理)")
    application = Application.objects.get(organisation=enterprise)
    assert application.measure_id == "lf-rc-1"
    walk.logout()

    # ── 服务专员: accept, 初审 (the fact is verified already) ────────────────────────────────────
    walk.login(agent.username)
    walk.go(f"/applications/{application.pk}/")
    walk.act("accept")
    expect(page.get_by_test_id("state")).to_have_text("初审")
    walk.act("pass_initial_review")
    expect(page.get_by_test_id("state")).to_have_text("部门审核")
    walk.logout()

    # ── 部门审核员: the application rests on the fact; to the expert ─────────────────────────────
    walk.login(reviewer.username)
    walk.go(f"/applications/{application.pk}/")
    panel = page.get_by_test_id(f"fact-{fact.pk}")
    expect(panel).to_contain_text("引进/聘用人才")
    expect(panel).to_contain_text("博士研究生")
    expect(page.get_by_test_id(f"fact-evidence-{fact.pk}")).to_have_text(CONTRACT)
    expect(page.get_by_test_id(f"fact-state-{fact.pk}")).to_have_text("已核验")
    expect(page.get_by_test_id(f"fact-decided-{fact.pk}")).to_contain_text("韩专员")
    expect(page.get_by_test_id(f"fact-decided-{fact.pk}")).to_contain_text("已核对劳动合同原件")
    expect(page.get_by_test_id("facts-pending")).to_have_count(0)
    expect(page.get_by_test_id(f"fact-verify-{fact.pk}")).to_have_count(0)  # nothing left to verify
    explanation = page.get_by_test_id("explanation")
    expect(explanation).to_contain_text("100,000")
    lines = [line.strip() for line in explanation.locator("li").all_inner_texts()]
    assert lines and all(re.search(r"[\u4e00-\u9fff]", line) for line in lines), lines
    assert not [line for line in lines if EXPRESSION.search(line)], lines
    walk.shot("reviewer-facts")
    page.get_by_test_id(f"expert-{expert.username}").check()
    walk.act("send_to_experts")
    expect(page.get_by_test_id("state")).to_have_text("专家评审")
    walk.logout()

    # ── 评审专家 ─────────────────────────────────────────────────────────────────────────────────
    walk.login(expert.username)
    walk.go(f"/applications/{application.pk}/")
    declare_no_conflict(page)  # 回避声明, then the rubric (tests/browser/officer_support.py)
    fill_rubric(page)
    page.get_by_test_id("recommended").fill("100000")
    page.get_by_test_id("comment").fill("博士研发方向与企业主营产品一致, 建议按标准支持")
    page.get_by_test_id("do-score").click()
    expect(page.locator(".messages")).to_contain_text("评分已提交")
    walk.logout()

    # ── 部门审核员: expert review complete, approve ────────────────────────────────────────────
    walk.login(reviewer.username)
    walk.go(f"/applications/{application.pk}/")
    walk.act("complete_expert_review")
    expect(page.get_by_test_id("state")).to_have_text("待审定")
    expect(page.get_by_test_id("approve-amount")).to_have_value("100000.00")
    walk.act("approve")
    expect(page.get_by_test_id("state")).to_have_text("公示中")
    expect(page.get_by_test_id("approved-amount")).to_have_text("100,000.00")
    walk.shot("approved")
    walk.logout()
    award = Award.objects.get(application=application)
    award_fact = Fact.objects.get(organisation=enterprise, event_type=AWARD_FACT)
    assert award.amount_fen == 10_000_000 and award_fact.fields["amount_fen"] == 10_000_000

    # ── 申报人: the record's next calculation reads the award as a prior grant ───────────────────
    walk.login(applicant.username)
    walk.go("/records/")
    expect(page.get_by_test_id(f"fact-{award_fact.pk}")).to_contain_text("平台奖补")
    expect(page.get_by_test_id(f"fact-{award_fact.pk}")).to_contain_text("100,000")
    expect(page.get_by_test_id(f"correct-{award_fact.pk}")).to_have_count(0)  # the platform's own fact
    walk.shot("record-after-award")
    qualified = page.get_by_test_id("qualified-lf-rc-1")
    expect(qualified.locator(".ent-amount")).to_have_text("0.00")  # the same hire is paid once
    expect(qualified).to_contain_text("就高不重复")
    expect(qualified).to_contain_text("100,000.00")
    expect(page.get_by_test_id("entitlements-total")).to_contain_text("0.00 元")
    # the calculator starts from the record: the award is listed among its facts, read as a prior grant
    walk.go("/calculator/")
    award_row = page.get_by_test_id("record-fact").filter(has_text="平台奖补")
    expect(award_row).to_contain_text("作为已获支持")
    expect(award_row).to_contain_text("100,000.00")
    page.get_by_test_id("calculate").click()
    expect(page.get_by_test_id("deduction-lf-rc-1")).to_contain_text("100,000.00")
    expect(page.get_by_test_id("record-amount-lf-rc-1")).to_contain_text("0.00")
    walk.shot("calculator-from-record")
