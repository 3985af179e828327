"""A visitor filters the policy library, reads a clause beside its reading and its 办事指南, downloads the
申报表, and compares the five valleys; every step in plain Chinese (no code), screenshots at 1366 and 390 px."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import shoot
from tests.code_tokens import code_tokens
from tests.policies.helpers import needs_documents

pytestmark = [pytest.mark.django_db(transaction=True), needs_documents("jincheng", "datong")]


def test_filter_search_read_and_compare(live_server: Any, page: Page) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_test_id("nav-policies").click()
    expect(page.get_by_role("heading", name="政策库")).to_be_visible()
    shoot(page, "policy-library")
    everything = page.get_by_test_id("result-count").inner_text()
    # htmx is loaded with defer: wait until it has wired the filter form
    page.wait_for_function(
        "() => { const f = document.querySelector('[data-testid=policy-filters]');"
        " return f && f['htmx-internal-data'] }"
    )

    # filtering by valley updates the results in place (HTMX) and the address bar
    page.get_by_label("晋创谷").select_option("大同")
    expect(page.get_by_test_id("result-count")).not_to_have_text(everything)
    expect(page).to_have_url(re.compile(r"valley=%E5%A4%A7%E5%90%8C"))
    valleys = page.locator("[data-testid=policy-results] tbody tr td:first-child").all_inner_texts()
    assert valleys and set(valleys) == {"大同"}

    page.get_by_label("关键词(标题、原文、条款号)").fill("技术交易")
    row = page.locator("tr[data-measure=dt-8]")
    expect(row).to_be_visible()
    expect(row).to_contain_text("同政办规〔2024〕4号 第八条")
    expect(row).to_contain_text("按技术交易额的 20% 计算")
    expect(row).to_contain_text("每年累计最高 100 万元")
    shoot(page, "policy-library-filtered")

    row.get_by_role("link", name="支持技术交易").click()
    original = page.get_by_test_id("original-text")
    reading = page.get_by_test_id("structured-reading")
    expect(original).to_contain_text("最高支持 100 万元")
    expect(original).to_contain_text("同政办规〔2024〕4号")
    expect(reading).to_contain_text("每年累计最高 100 万元")
    expect(reading).to_contain_text("交易方式为委托开发、技术转让(专利转让)或独占许可")
    assert code_tokens(reading.inner_text()) == [], "the reading is in words, not code"
    left, right = original.bounding_box(), reading.bounding_box()
    assert left and right
    assert left["x"] + left["width"] <= right["x"], "the original text sits to the left of the reading"
    assert abs(left["y"] - right["y"]) < 5, "side by side, not stacked"
    expect(page.get_by_test_id("worked-example").first).to_contain_text("符合条件")

    # the 办事指南: who, conditions, materials with the 申报表, steps with time limits, departments
    guide = page.get_by_test_id("guide")
    expect(guide).to_contain_text("办事指南")
    expect(page.get_by_test_id("guide-who")).to_contain_text("企业")
    expect(page.get_by_test_id("guide-department")).to_contain_text("市科技局")
    expect(page.get_by_test_id("guide-materials")).to_contain_text("“技术合同认定登记”的证明材料")
    steps = page.get_by_test_id("guide-steps")
    expect(steps).to_contain_text("受理")
    expect(steps).to_contain_text("半个工作日")
    expect(steps).to_contain_text("公示")
    with page.expect_download() as download_info:
        page.get_by_test_id("guide-template").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = download.path()
    assert path is not None and path.read_bytes()[:2] == b"PK", "a real .xlsx (a zip file)"
    guide.scroll_into_view_if_needed()
    shoot(page, "policy-measure-guide")

    page.get_by_test_id("nav-compare").click()
    expect(page.get_by_test_id("compare-category")).to_have_text("技术交易")
    chart = page.get_by_test_id("compare-chart")
    expect(chart).to_have_attribute("data-chart-ready", "1")
    canvas = chart.locator("canvas")
    expect(canvas).to_have_count(1)
    drawn = canvas.evaluate(
        """c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                  for (let i = 3; i < d.length; i += 4) { if (d[i] !== 0) return true; } return false; }"""
    )
    assert drawn, "the bar chart drew something on its canvas"
    table = page.get_by_test_id("compare-table")
    expect(table).to_contain_text("晋市政办〔2024〕39号 第8条")
    expect(table).to_contain_text("最高 50 万元")
    expect(table).to_contain_text("1,000,000.00 元")
    shoot(page, "policy-compare")

    # 晋城 第11条 高层次人才: up to 200,000 yuan after review, not 0
    page.get_by_label("政策类别").select_option(label="高层次人才")
    expect(page.get_by_test_id("compare-category")).to_have_text("高层次人才")
    jincheng = page.locator("[data-testid=compare-table] tfoot td[data-valley=晋城]")
    expect(jincheng).to_contain_text("需评审")
    expect(jincheng).to_contain_text("200,000.00 元")
    expect(jincheng).to_contain_text("晋市政办〔2024〕39号 第11条")
    expect(page.get_by_test_id("compare-chart")).to_have_attribute("data-chart-ready", "1")
    shoot(page, "policy-compare-talent")
