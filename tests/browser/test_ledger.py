"""The finance officer's ledger in Chromium: open it, filter by measure and by month paid, see the
charts drawn (by measure, by month), read the totals with their separators and the clause of each row,
download the Excel file and read it back; screenshots at 1366 px and 390 px (no sideways scroll)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from jinchuang.accounts.models import Role
from jinchuang.policy.vocabulary import OrgKind, Valley
from tests.applications.ledger_support import STARTUP, TECH, award
from tests.browser.conftest import shoot
from tests.factories import TEST_PASSWORD, make_organisation, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def _ledger() -> tuple[str, str]:
    government = make_organisation(kind=OrgKind.GOVERNMENT, valley=Valley.JINCHENG)
    finance = make_user(organisation=government, roles={Role.FINANCE: ""}, display_name="钱财务")
    reviewer = make_user(organisation=government, roles={Role.REVIEWER: "晋城市科学技术局"}, display_name="王审核")
    company = make_organisation(
        kind=OrgKind.ENTERPRISE,
        valley=Valley.JINCHENG,
        name="晋城光电科技有限公司",
        unified_social_credit_code="91140500MA0KXXXX1G",
    )
    other = make_organisation(kind=OrgKind.ENTERPRISE, valley=Valley.JINCHENG, name="晋城新材料股份有限公司")
    award(
        organisation=company,
        approver=reviewer,
        payer=finance,
        measure=TECH,
        instalments=[(2026, 110_000_000, dt.date(2026, 1, 5))],
    )
    award(
        organisation=other,
        approver=reviewer,
        payer=finance,
        measure=STARTUP,
        instalments=[(2026, 33_333_333, dt.date(2026, 3, 2)), (2027, 33_333_334, None)],
    )
    award(
        organisation=company,
        approver=reviewer,
        payer=finance,
        measure=TECH,
        instalments=[(2026, 24_000_000, dt.date(2026, 3, 20))],
    )
    return finance.username, reviewer.get_full_name()


def test_finance_officer_filters_the_ledger_sees_the_chart_and_downloads_excel(
    live_server: Any, page: Page, tmp_path: Path
) -> None:
    username, reviewer_name = _ledger()
    page.goto(f"{live_server.url}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("logout")).to_be_visible()

    page.goto(f"{live_server.url}/applications/ledger/")
    expect(page.get_by_test_id("total")).to_have_text("2,006,666.67 元")
    expect(page.get_by_test_id("paid")).to_have_text("1,673,333.33 元")
    expect(page.get_by_test_id("chart-measures")).to_have_attribute("data-chart-ready", "1")
    expect(page.get_by_test_id("chart-months")).to_have_attribute("data-chart-ready", "1")
    ledger = page.get_by_test_id("ledger")
    expect(ledger).to_contain_text("晋市政办〔2024〕39号 第8条")
    expect(ledger).to_contain_text("91140500MA0KXXXX1G")
    expect(ledger).to_contain_text("1,100,000.00")
    expect(ledger).to_contain_text(reviewer_name)
    shoot(page, "ledger-all")

    # 措施: 支持技术交易, 拨付月份: 2026-03 → the one March payment of 240,000.00
    page.get_by_test_id("filter-measure").select_option("jc-8")
    page.get_by_test_id("filter-month").fill("2026-03")
    page.get_by_test_id("filter-submit").click()
    expect(page.get_by_test_id("total")).to_have_text("240,000.00 元")
    expect(page.get_by_test_id("filter-month")).to_have_value("2026-03")
    expect(ledger.locator("tbody tr")).to_have_count(1)
    expect(ledger).not_to_contain_text("1,100,000.00 ")
    expect(page.get_by_test_id("chart-measures")).to_have_attribute("data-chart-ready", "1")
    shoot(page, "ledger-filtered")

    with page.expect_download() as caught:
        page.get_by_test_id("export-xlsx").click()
    download = caught.value
    assert download.suggested_filename.startswith("ledger-") and download.suggested_filename.endswith(".xlsx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    sheet = load_workbook(saved).active
    assert sheet is not None
    assert sheet["A1"].value == "晋创谷支持资金台账"
    assert sheet["A2"].value == "筛选条件: 措施: 支持技术交易 (晋市政办〔2024〕39号 第8条); 拨付月份: 2026-03"
    assert sheet.freeze_panes == "A5"
    assert sheet["A6"].value == "合计 (1 期)" and Decimal(str(sheet["K6"].value)) == Decimal("240000.00")
    assert sheet["L5"].is_date and sheet["L5"].value == dt.datetime(2026, 3, 20)

    # a month that is not a month: the message beside the field, the typed text kept
    page.goto(f"{live_server.url}/applications/ledger/?month=2026-13")
    expect(page.get_by_test_id("error-month")).to_contain_text("拨付月份请按 年-月 填写")
    shoot(page, "ledger-bad-month")

    # the same ledger in English: headings, filters and totals translated, amounts formatted alike
    page.goto(f"{live_server.url}/applications/ledger/")
    page.locator("#language-select").select_option("en")
    expect(page.get_by_test_id("ledger")).to_contain_text("Application number")
    expect(page.get_by_test_id("ledger-filters")).to_contain_text("Month paid")
    expect(page.get_by_test_id("total")).to_have_text("2,006,666.67 yuan")
    expect(page.get_by_test_id("chart-months")).to_have_attribute("data-chart-ready", "1")
    shoot(page, "ledger-english")
