"""A visitor filters the policy library, reads a clause beside its reading, and compares the five valleys."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.policies.helpers import needs_documents

pytestmark = [pytest.mark.django_db(transaction=True), needs_documents("jincheng", "datong")]


def test_filter_search_read_and_compare(live_server: Any, page: Page) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_test_id("nav-policies").click()
    expect(page.get_by_role("heading", name="政策库")).to_be_visible()
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
    expect(row).to_contain_text("1,000,000.00 元")

    row.get_by_role("link", name="支持技术交易").click()
    original = page.get_by_test_id("original-text")
    reading = page.get_by_test_id("structured-reading")
    expect(original).to_contain_text("最高支持 100 万元")
    expect(original).to_contain_text("同政办规〔2024〕4号")
    expect(reading).to_contain_text("每年累计上限 1,000,000.00 元")
    left, right = original.bounding_box(), reading.bounding_box()
    assert left and right
    assert left["x"] + left["width"] <= right["x"], "the original text sits to the left of the reading"
    assert abs(left["y"] - right["y"]) < 5, "side by side, not stacked"
    expect(page.get_by_test_id("worked-example").first).to_contain_text("符合条件")

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
    expect(table).to_contain_text("500,000.00 元")
    expect(table).to_contain_text("1,000,000.00 元")
