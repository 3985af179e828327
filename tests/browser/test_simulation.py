"""A policy maker in Chromium: builds a scenario with the form (no YAML, no ids), saves it, runs it and watches the
progress, sees the warning for a year without population events, builds a second scenario, and compares the two;
the YAML fold-out still explains a bad reform beside its text. Screenshots at 1366 and 390 px at each step."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from playwright.sync_api import Page, expect

from jinchuang.accounts.models import Role
from jinchuang.simulations.populations import population_generate
from tests.browser.conftest import shoot
from tests.factories import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True)

SMALL = "browser-300"


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


def _login(page: Page, base: str) -> None:
    user = make_user(roles={Role.POLICY_MAKER: ""}, username="policy1", display_name="郑研究")
    page.goto(f"{base}/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("logout")).to_be_visible()


def _choose(page: Page, row: int, city: str, measure: str, parameter: str) -> None:
    page.wait_for_load_state("load")  # HTMX (a deferred script) is listening
    page.get_by_test_id(f"valley-{row}").select_option(city)
    # the city's measures arrive through HTMX
    expect(page.get_by_test_id(f"measure-{row}").locator("option", has_text="大同 · ")).to_have_count(0)
    # settled: the swapped-in lists are live (builder.js marks them after htmx:afterSettle)
    expect(page.get_by_test_id(f"parameter-{row}")).to_have_attribute("data-unit-bound", "1")
    page.get_by_test_id(f"measure-{row}").select_option(measure)
    # the parameter list of the measure arrives through HTMX
    expect(page.get_by_test_id(f"parameter-{row}").locator(f'option[value="{parameter}"]')).to_have_count(1)
    page.get_by_test_id(f"parameter-{row}").select_option(parameter)


def _run(page: Page, population: str, first: str, last: str) -> None:
    page.get_by_test_id("population").select_option(population)
    page.get_by_test_id("first_year").fill(first)
    page.get_by_test_id("last_year").fill(last)
    page.get_by_test_id("run-scenario").click()
    expect(page).to_have_url(re.compile(r"/simulations/\d+/$"))
    expect(page.get_by_test_id("progress")).to_be_visible()
    expect(page.get_by_test_id("run-status")).to_have_attribute("data-status", "done", timeout=60_000)


def test_build_save_run_and_compare_two_scenarios(live_server: Any, page: Page, small_population: str) -> None:
    base = live_server.url
    _login(page, base)
    page.goto(f"{base}/simulations/")
    expect(page.get_by_role("heading", name="预算模拟", exact=True)).to_be_visible()
    page.get_by_test_id("new-scenario").click()

    # scenario 1: 晋城 第8条's yearly cap from 50 to 100 万元, plus a second row removed again
    expect(page.get_by_test_id("parameter-0")).to_contain_text("请先选择措施")
    _choose(page, 0, "晋城", "jc-8", "caps.per_entity_per_year")
    expect(page.get_by_test_id("parameter-0")).to_contain_text("每年累计上限 (现值 500,000.00 元 (50 万元))")
    page.get_by_test_id("value-0").fill("一百")
    page.get_by_test_id("unit-0").select_option("wan")
    page.get_by_test_id("save-scenario").click()
    expect(page.get_by_test_id("name-error")).to_have_text("请填写方案名称")
    expect(page.get_by_test_id("value-error-0")).to_contain_text("金额格式错误")
    expect(page.get_by_test_id("value-0")).to_have_value("一百")  # the inputs are kept
    expect(page.get_by_test_id("unit-0")).to_have_value("wan")
    shoot(page, "simulation-builder-errors")
    page.get_by_test_id("scenario-name").fill("晋城技术交易上限提高到100万元")
    page.get_by_test_id("value-0").fill("100")
    page.get_by_test_id("add-row").click()
    expect(page.get_by_test_id("change-1")).to_be_visible()
    expect(page.get_by_test_id("value-0")).to_have_value("100")
    page.get_by_test_id("remove-1").click()
    expect(page.get_by_test_id("change-1")).to_have_count(0)
    shoot(page, "simulation-builder")
    page.get_by_test_id("save-scenario").click()

    expect(page.get_by_test_id("scenario-title")).to_have_text("晋城技术交易上限提高到100万元")
    changes = page.get_by_test_id("scenario-changes")
    expect(changes).to_contain_text("晋市政办〔2024〕39号 第8条 支持技术交易")
    expect(changes).to_contain_text("1,000,000.00 元 (100 万元)")
    shoot(page, "simulation-scenario")

    # run it over 2025–2028: the demo data ends in 2027, so 2028 is flagged
    _run(page, small_population, "2025", "2028")
    expect(page.get_by_test_id("total-diff")).to_have_text(re.compile(r"^\+[1-9][\d,]*\.\d\d 元$"))
    expect(page.get_by_test_id("total-diff-yi")).to_contain_text("亿元")
    expect(page.get_by_test_id("quiet-years-warning")).to_contain_text("2028")
    expect(page.get_by_test_id("quiet-year-2028")).to_be_visible()
    expect(page.get_by_test_id("quiet-year-2027")).to_have_count(0)
    expect(page.get_by_test_id("by-valley-diff-大同")).to_have_text("0.00")
    expect(page.get_by_test_id("by-department")).to_contain_text("市科技局")
    expect(page.get_by_test_id("year-chart")).to_have_attribute("data-chart-ready", "1")
    expect(page.get_by_test_id("valley-chart").locator("canvas")).to_have_count(1)
    expect(page.get_by_test_id("measure-chart").locator("canvas")).to_have_count(1)
    row = page.get_by_test_id("measure-jc-8")
    expect(row.get_by_role("link", name="晋市政办〔2024〕39号 第8条")).to_have_attribute("href", "/policies/jc-8/")
    expect(page.locator("body")).not_to_contain_text("caps.per_entity_per_year")
    shoot(page, "simulation-run-warning")

    # scenario 2: the rate of 第8条 from 20% to 25%
    page.goto(f"{base}/simulations/scenarios/new/")
    page.get_by_test_id("scenario-name").fill("晋城技术交易奖励比例提高到25%")
    _choose(page, 0, "晋城", "jc-8", "jc-8-trade.rate")
    expect(page.get_by_test_id("unit-0")).to_be_hidden()  # a ratio has no money unit
    page.get_by_test_id("value-0").fill("25%")
    page.get_by_test_id("save-scenario").click()
    expect(page.get_by_test_id("scenario-changes")).to_contain_text("25%")
    _run(page, small_population, "2025", "2028")

    # compare the two
    page.goto(f"{base}/simulations/scenarios/")
    expect(page.get_by_test_id("scenario-row")).to_have_count(2)
    shoot(page, "simulation-scenarios")
    page.get_by_test_id("compare-link").click()
    for side, name in (("a", "晋城技术交易上限提高到100万元 · "), ("b", "晋城技术交易奖励比例提高到25% · ")):
        select = page.get_by_test_id(f"compare-{side}")
        value = select.locator("option", has_text=name).get_attribute("value")
        assert value is not None
        select.select_option(value)
    page.get_by_test_id("compare").click()
    expect(page.get_by_test_id("total-a")).to_contain_text("亿元")
    expect(page.get_by_test_id("compare-by-measure")).to_contain_text("晋市政办〔2024〕39号 第8条")
    expect(page.get_by_test_id("quiet-years-warning")).to_contain_text("2028")
    expect(page.get_by_test_id("compare-valley-diff-大同")).to_have_text("0.00")
    expect(page.get_by_test_id("compare-year-chart")).to_have_attribute("data-chart-ready", "1")
    expect(page.get_by_test_id("compare-valley-chart").locator("canvas")).to_have_count(1)
    expect(page.get_by_test_id("compare-measure-chart").locator("canvas")).to_have_count(1)
    shoot(page, "simulation-compare")

    # against current policy
    page.get_by_test_id("compare-b").select_option("baseline")
    page.get_by_test_id("compare").click()
    expect(page.get_by_test_id("compare-report")).to_contain_text("现行政策")
    expect(page.get_by_test_id("total-compare-diff")).to_contain_text("-")


def test_a_bad_reform_in_the_yaml_fold_out_is_explained_beside_it(
    live_server: Any, page: Page, small_population: str
) -> None:
    page.goto(f"{live_server.url}/simulations/")
    page.get_by_test_id("yaml-fold").locator("summary").click()
    text = "name: x\nchanges:\n  - measure: jc-8\n    set:\n      caps.per_award: -1\n"
    page.get_by_test_id("reform").fill(text)
    page.get_by_test_id("simulate").click()
    expect(page.get_by_test_id("reform-errors")).to_contain_text("金额不能为负数")
    expect(page.get_by_test_id("reform")).to_have_value(text)
