"""A visitor fills the calculator form in Chromium and reads the explained result."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_fill_a_case_and_see_the_amount_the_clause_and_the_chart(live_server: Any, page: Page) -> None:
    page.goto(f"{live_server.url}/calculator/")
    expect(page.get_by_role("heading", name="政策计算器")).to_be_visible()
    page.get_by_test_id("applicant_kind").select_option("enterprise")
    page.get_by_test_id("applicant_valley").select_option("晋城")
    page.get_by_test_id("settled_on").fill("2025-01-01")
    page.get_by_test_id("as_of").fill("2025-12-31")
    page.get_by_test_id("ev-0-date").fill("2025-06-01")
    page.get_by_test_id("ev-0-amount").fill("1200000")
    page.get_by_test_id("ev-0-mode").select_option("transfer")
    page.get_by_test_id("ev-0-role").select_option("buyer")

    # a second event added through HTMX, whose fields follow the chosen type
    page.get_by_test_id("add-event").click()
    expect(page.get_by_test_id("ev-1-type")).to_be_visible()
    # the row was just swapped in: wait until HTMX has wired its type <select> before changing it
    page.wait_for_function(
        "() => { const s = document.querySelector('[data-testid=ev-1-type]'); return s && s['htmx-internal-data'] }"
    )
    page.get_by_test_id("ev-1-type").select_option("premium_paid")
    expect(page.get_by_test_id("ev-1-amount")).to_be_visible()
    expect(page.get_by_test_id("ev-1-mode")).to_have_count(0)
    page.get_by_test_id("ev-1-date").fill("2025-07-01")
    page.get_by_test_id("ev-1-amount").fill("600000")

    page.get_by_test_id("calculate").click()
    expect(page.get_by_test_id("amount-jc-8")).to_have_text("240,000.00")
    row = page.get_by_test_id("measure-jc-8")
    expect(row).to_contain_text("晋市政办〔2024〕39号 第8条")
    row.get_by_text("条文与计算过程").click()
    expect(row.locator(".clause-text")).to_contain_text("按当年实际技术交易")

    # the same case across the five valleys: totals side by side, drawn as a chart
    page.get_by_test_id("scope").select_option("all")
    page.get_by_test_id("calculate").click()
    expect(page.get_by_test_id("total-临汾")).to_contain_text("200,000.00")
    expect(page.get_by_test_id("amount-lf-jr-7")).to_have_text("200,000.00")
    expect(page.get_by_test_id("totals-chart").locator("canvas")).to_have_count(1)


def test_bad_input_is_explained_beside_the_field(live_server: Any, page: Page) -> None:
    page.goto(f"{live_server.url}/calculator/")
    page.get_by_test_id("as_of").fill("2025-12-31")
    page.get_by_test_id("ev-0-date").fill("2025-06-01")
    page.get_by_test_id("ev-0-amount").fill("-10")
    page.get_by_test_id("ev-0-mode").select_option("transfer")
    page.get_by_test_id("calculate").click()
    expect(page.get_by_test_id("form-errors")).to_contain_text("events[0].amount")
    expect(page.locator("#ev-0 .field-error")).to_contain_text("金额不能为负数")
