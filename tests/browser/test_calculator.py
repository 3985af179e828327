"""The calculator as people use it, in Chromium: the guided form (who you are → what happened, one event at
a time, 万元 accepted), a result that starts with the answer, 由个人申报 for a hired PhD in 大同, the five
valleys compared, errors beside the field, worked examples on demand. Screenshots at 1366 and 390 px."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import shoot

pytestmark = pytest.mark.django_db(transaction=True)


def _wait_for_htmx(page: Page, test_id: str) -> None:
    """A row just swapped in: wait until HTMX has wired its controls before using them."""
    page.wait_for_function(
        f"() => {{ const s = document.querySelector('[data-testid={test_id}]'); return s && s['htmx-internal-data'] }}"
    )


def _hire_a_phd(page: Page, index: int) -> None:
    page.get_by_test_id("new-event-type").select_option("person_hired")
    page.get_by_test_id("add-event").click()
    expect(page.get_by_test_id(f"ev-{index}-degree")).to_be_visible()
    page.get_by_test_id(f"ev-{index}-date").fill("2025-06-01")
    page.get_by_test_id(f"ev-{index}-degree").select_option("phd")
    page.get_by_test_id(f"ev-{index}-talent_level").select_option("high_level")
    page.get_by_test_id(f"ev-{index}-full_time").select_option("true")
    page.get_by_test_id(f"ev-{index}-full_time_degree").select_option("true")
    page.get_by_test_id(f"ev-{index}-contract_years").fill("3")
    page.get_by_test_id(f"ev-{index}-social_insurance_months").fill("6")
    page.get_by_test_id(f"ev-{index}-months").fill("12")
    page.get_by_test_id(f"ev-{index}-housing").select_option("purchase")


def test_guided_journey_a_datong_enterprise_hires_a_phd(live_server: Any, page: Page) -> None:
    page.goto(f"{live_server.url}/calculator/")
    expect(page.get_by_role("heading", name="政策计算器")).to_be_visible()
    expect(page.get_by_test_id("step-who")).to_contain_text("第一步: 你是谁")
    shoot(page, "calculator-01-form")

    # step 1: who you are
    page.get_by_test_id("applicant_kind").select_option("enterprise")
    page.get_by_test_id("applicant_valley").select_option("大同")
    page.get_by_test_id("settled_on").fill("2025-01-01")
    page.get_by_test_id("as_of").fill("2025-12-31")
    # step 2: what happened — a technology contract typed in 万元, then a PhD added as a second event
    page.get_by_test_id("ev-0-date").fill("2025-06-01")
    page.get_by_test_id("ev-0-amount").fill("120")
    page.get_by_test_id("ev-0-amount-unit").select_option("wan")
    page.get_by_test_id("ev-0-mode").select_option("transfer")
    page.get_by_test_id("ev-0-role").select_option("buyer")
    _hire_a_phd(page, 1)
    expect(page.get_by_test_id("event-row")).to_have_count(2)
    shoot(page, "calculator-02-two-events")

    page.get_by_test_id("calculate").click()
    # the answer first: what the enterprise receives, and apart from it what its PhD claims himself
    expect(page.get_by_test_id("eligible-大同")).to_have_text("340,000.00 元")
    expect(page.get_by_test_id("person-total-大同")).to_contain_text("310,000.00 元")
    card = page.get_by_test_id("measure-dt-8")
    expect(card.get_by_test_id("amount-dt-8")).to_have_text("240,000.00")  # 20% of 120 万元
    expect(card.get_by_test_id("cite-dt-8")).to_have_text("同政办规〔2024〕4号 第八条")
    expect(card.get_by_test_id("apply-dt-8")).to_be_visible()
    for measure, amount in (("dt-17", "200,000.00"), ("dt-18", "110,000.00")):
        person = page.get_by_test_id(f"measure-{measure}")
        expect(person.get_by_test_id(f"person-paid-{measure}")).to_have_text("由个人申报")
        expect(person.get_by_test_id(f"amount-{measure}")).to_have_text(amount)
        expect(person).to_contain_text("博士研究生")
        expect(person).not_to_contain_text("36.00 元")
    # the amount typed in 万元 is shown back in 元
    expect(page.get_by_test_id("ev-0-amount")).to_have_value("1200000")
    # the full explanation is folded, on demand
    explain = page.get_by_test_id("explain-dt-17")
    expect(explain.locator(".clause-text")).not_to_be_visible()
    explain.locator("summary").click()
    expect(explain.locator(".clause-text")).to_contain_text("购房补贴 20 万元")
    expect(page.get_by_test_id("support")).to_be_visible()
    shoot(page, "calculator-03-answer-person-paid")

    # the same case across the five valleys: totals side by side (由个人申报 in its own column), a chart
    page.get_by_test_id("scope").select_option("all")
    page.get_by_test_id("calculate").click()
    expect(page.get_by_test_id("person-大同")).to_have_text("310,000.00 元")
    expect(page.get_by_test_id("eligible-晋城")).to_have_text("240,000.00 元")
    expect(page.get_by_test_id("totals-chart").locator("canvas")).to_have_count(1)
    expect(page.get_by_test_id("measure-jc-11")).to_contain_text("需评审，最高 20 万元")
    shoot(page, "calculator-04-five-valleys")


def test_bad_input_is_explained_beside_the_field_and_kept(live_server: Any, page: Page) -> None:
    page.goto(f"{live_server.url}/calculator/")
    page.get_by_test_id("as_of").fill("2025-12-31")
    page.get_by_test_id("ev-0-date").fill("2025-06-01")
    page.get_by_test_id("ev-0-amount").fill("-10")
    page.get_by_test_id("ev-0-mode").select_option("transfer")
    page.get_by_test_id("calculate").click()
    expect(page.get_by_test_id("form-errors")).to_contain_text("事件 1 · 技术交易额: 金额不能为负数")
    expect(page.get_by_test_id("form-errors")).not_to_contain_text("events[0]")
    expect(page.locator("#ev-0 .field-error")).to_contain_text("金额不能为负数")
    expect(page.get_by_test_id("ev-0-amount")).to_have_value("-10")
    shoot(page, "calculator-05-error-beside-the-field")


def test_an_event_row_follows_its_kind_and_examples_load_on_demand(live_server: Any, page: Page) -> None:
    page.goto(f"{live_server.url}/calculator/")
    page.get_by_test_id("new-event-type").select_option("premium_paid")
    page.get_by_test_id("add-event").click()
    expect(page.get_by_test_id("ev-1-amount")).to_be_visible()
    _wait_for_htmx(page, "ev-1-type")
    page.get_by_test_id("ev-1-type").select_option("person_hired")
    expect(page.get_by_test_id("ev-1-degree")).to_be_visible()
    expect(page.get_by_test_id("ev-1-amount")).to_have_count(0)
    page.get_by_test_id("remove-ev-1").click()
    expect(page.get_by_test_id("event-row")).to_have_count(1)

    examples = page.get_by_test_id("examples")
    expect(page.get_by_test_id("example-link")).to_have_count(0)  # not shipped with the page
    examples.locator("summary").click()
    expect(page.get_by_test_id("example-link").first).to_be_visible()
    assert page.get_by_test_id("example-link").count() == 40
    page.get_by_test_id("examples-next").click()
    expect(page.get_by_test_id("examples-page")).to_contain_text("第 2/")
    shoot(page, "calculator-06-examples")
    page.get_by_test_id("example-link").first.click()
    expect(page.get_by_test_id("calc-form")).to_be_visible()
