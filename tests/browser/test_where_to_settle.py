"""A team choosing where to settle opens the demo case and compares the five valleys in Chromium."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import shoot

pytestmark = pytest.mark.django_db(transaction=True)

VALLEYS = ["晋城", "晋中", "临汾", "阳泉", "大同"]


def test_demo_case_shows_five_valleys_amounts_citations_and_chart(live_server: Any, page: Page) -> None:
    page.goto(f"{live_server.url}/calculator/")
    page.get_by_test_id("link-settle").click()
    expect(page.get_by_role("heading", name="选址对比", exact=True)).to_be_visible()
    page.get_by_test_id("demo:team-choosing-a-valley").click()

    table = page.get_by_test_id("settle-table")
    for valley in VALLEYS:
        expect(table.get_by_test_id(f"col-{valley}")).to_have_text(valley)
    expect(page.get_by_test_id("total-晋城")).to_have_text("★ 950,000.00")
    expect(page.get_by_test_id("total-大同")).to_have_text("650,000.00")
    expect(page.get_by_test_id("total-阳泉")).to_have_text("0.00")
    expect(page.get_by_test_id("review-晋城")).to_have_text("60,000.00")

    # measure by measure: the same contract in 晋城 and 大同, each amount with its clause
    expect(page.get_by_test_id("amount-jc-8")).to_have_text("450,000.00")
    expect(page.get_by_test_id("cite-jc-8")).to_have_text("晋市政办〔2024〕39号 第8条")
    expect(page.get_by_test_id("cap-jc-8")).to_contain_text("每年累计上限 500,000.00 元")
    expect(page.get_by_test_id("amount-dt-8")).to_have_text("550,000.00")
    expect(page.get_by_test_id("cite-dt-8")).to_have_attribute("href", "/policies/dt-8/")
    expect(page.get_by_test_id("cell-tech_transaction-大同")).to_contain_text("★ 本类最高")
    expect(page.get_by_test_id("amount-lf-jr-7")).to_have_text("200,000.00")

    chart = page.get_by_test_id("settle-chart")
    expect(chart.locator("canvas")).to_have_count(1)
    expect(chart).to_have_attribute("data-chart-ready", "1")

    shoot(page, "settle-01-demo-case")
    page.get_by_test_id("cite-dt-8").click()
    expect(page).to_have_url(f"{live_server.url}/policies/dt-8/")


def test_bad_input_is_explained_beside_the_field(live_server: Any, page: Page) -> None:
    page.goto(f"{live_server.url}/calculator/settle/")
    page.get_by_test_id("as_of").fill("2025-12-31")
    page.get_by_test_id("ev-0-date").fill("2025-06-01")
    page.get_by_test_id("ev-0-amount").fill("-10")
    page.get_by_test_id("ev-0-mode").select_option("transfer")
    page.get_by_test_id("calculate").click()
    expect(page.get_by_test_id("form-errors")).to_contain_text("事件 1 · 技术交易额: 金额不能为负数")
    expect(page.get_by_test_id("form-errors")).not_to_contain_text("events[0]")
    expect(page.locator("#ev-0 .field-error")).to_contain_text("金额不能为负数")
    expect(page.get_by_test_id("settle-result")).to_have_count(0)
    shoot(page, "settle-02-error-beside-the-field")
