"""A policy maker simulates a reform in Chromium: progress, totals, the difference, and the charts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from playwright.sync_api import Page, expect

from jinchuang.simulations.populations import population_generate

pytestmark = pytest.mark.django_db(transaction=True)

SMALL = "browser-300"
UNCHANGED = """\
name: 对照方案 — 晋城技术交易奖励上限仍为50万元
changes:
  - measure: jc-8
    set:
      caps.per_entity_per_year: 500000
"""


@pytest.fixture(scope="module")
def populations_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("populations")
    with override_settings(JINCHUANG_POPULATIONS_DIR=root):
        population_generate(name=SMALL, size=300, seed=2026, first_year=2025, last_year=2027)
        population_generate(name="another-50", size=50, seed=1, first_year=2025, last_year=2027)
    return root


@pytest.fixture
def small_population(populations_root: Path) -> Iterator[str]:
    with override_settings(JINCHUANG_POPULATIONS_DIR=populations_root):
        yield SMALL


def test_apply_a_reform_watch_progress_and_see_the_difference_and_charts(
    live_server: Any, page: Page, small_population: str
) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_test_id("nav-simulations").click()
    expect(page.get_by_role("heading", name="预算模拟", exact=True)).to_be_visible()
    page.get_by_test_id("population").select_option(small_population)
    page.get_by_test_id("first_year").fill("2025")
    page.get_by_test_id("last_year").fill("2027")
    expect(page.get_by_test_id("reform")).to_contain_text("caps.per_entity_per_year: 1000000")
    page.get_by_test_id("simulate").click()

    # the run's page: a progress bar polled by HTMX, then the result in place
    expect(page).to_have_url(re.compile(r"/simulations/\d+/$"))
    first_run = page.url
    expect(page.get_by_test_id("progress")).to_be_visible()
    expect(page.get_by_test_id("run-status")).to_have_attribute("data-status", "done", timeout=60_000)
    expect(page.get_by_test_id("total-diff")).to_have_text(_positive_yuan())
    expect(page.get_by_test_id("by-valley-diff-晋城")).to_have_text(_positive_yuan())
    expect(page.get_by_test_id("by-valley-diff-大同")).to_have_text("0.00")
    row = page.get_by_test_id("measure-jc-8")
    expect(row).to_contain_text("晋市政办〔2024〕39号 第8条")
    expect(row.get_by_role("link", name="晋市政办〔2024〕39号 第8条")).to_have_attribute("href", "/policies/jc-8/")
    expect(page.get_by_test_id("year-chart").locator("canvas")).to_have_count(1)
    expect(page.get_by_test_id("measure-chart").locator("canvas")).to_have_count(1)
    expect(page.get_by_test_id("year-chart")).to_have_attribute("data-chart-ready", "1")

    # change the reform back to the current cap: no difference any more
    page.get_by_test_id("reform").fill(UNCHANGED)
    page.get_by_test_id("simulate").click()
    expect(page).to_have_url(re.compile(r"/simulations/\d+/$"))
    assert page.url != first_run
    expect(page.get_by_test_id("run-status")).to_have_attribute("data-status", "done", timeout=60_000)
    expect(page.get_by_test_id("total-diff")).to_have_text("0.00")
    expect(page.get_by_test_id("by-valley-diff-晋城")).to_have_text("0.00")
    expect(page.get_by_test_id("total-baseline")).not_to_have_text("0.00")
    expect(page.get_by_test_id("year-chart").locator("canvas")).to_have_count(1)


def test_a_bad_reform_is_explained_beside_the_textarea(live_server: Any, page: Page, small_population: str) -> None:
    page.goto(f"{live_server.url}/simulations/")
    page.get_by_test_id("reform").fill("name: x\nchanges:\n  - measure: jc-8\n    set:\n      caps.per_award: -1\n")
    page.get_by_test_id("simulate").click()
    expect(page.get_by_test_id("reform-errors")).to_contain_text("changes[0].set.caps.per_award")
    expect(page.get_by_test_id("reform-errors")).to_contain_text("金额不能为负数")
    expect(page.get_by_test_id("reform")).to_have_value(
        "name: x\nchanges:\n  - measure: jc-8\n    set:\n      caps.per_award: -1\n"
    )


def _positive_yuan() -> re.Pattern[str]:
    return re.compile(r"^\+[1-9][\d,]*\.\d\d$")
