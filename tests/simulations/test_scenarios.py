"""Saved scenarios through Django's test client: the builder (errors beside the field, inputs kept, rows added and
removed), saving, running on the job path, comparing two runs or a run and current policy; department rows per
city; the warning for years in which the population has no events."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client, TestCase
from django.utils import translation

from jinchuang.accounts.models import Role
from jinchuang.policy.catalog import default_catalog
from jinchuang.policy.reform import load_reform
from jinchuang.policy.simulate import simulate
from jinchuang.simulations.models import RunStatus, Scenario, SimulationRun
from jinchuang.simulations.populations import population_load
from jinchuang.simulations.selectors import quiet_years
from jinchuang.simulations.services import simulation_execute
from jinchuang.simulations.summary import events_by_year, result_summary
from tests.factories import make_user

pytestmark = pytest.mark.django_db

CAP_100_WAN = {
    "name": "晋城技术交易上限提高到100万元",
    "description": "与大同一致",
    "rows": "1",
    "measure-0": "jc-8",
    "parameter-0": "caps.per_entity_per_year",
    "value-0": "100",
    "unit-0": "wan",
    "since-0": "",
}


def _login(client: Client) -> Any:
    user = make_user(roles={Role.POLICY_MAKER: ""})
    client.force_login(user)
    return user


def _post(client: Client, url: str, data: dict[str, str]) -> HttpResponse:
    with TestCase.captureOnCommitCallbacks(execute=False):
        return client.post(url, data)  # type: ignore[return-value]


def test_the_builder_needs_a_signed_in_user(client: Client) -> None:
    response = client.get("/simulations/scenarios/new/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_builder_offers_measures_by_city_and_parameters_with_current_values(client: Client) -> None:
    _login(client)
    html = client.get("/simulations/scenarios/new/").content.decode()
    assert '<optgroup label="晋城">' in html and '<optgroup label="大同">' in html
    assert '<option value="jc-8">晋城 · 晋市政办〔2024〕39号 第8条 支持技术交易</option>' in html
    cities = client.get("/simulations/scenarios/measures/", {"row": "0", "valley-0": "大同"}).content.decode()
    assert 'id="measure-field-0"' in cities and "大同 · " in cities and "晋城 · " not in cities
    assert 'id="parameter-field-0" hx-swap-oob="true"' in cities and "请先选择措施" in cities  # parameters emptied
    fragment = client.get("/simulations/scenarios/parameters/", {"row": "0", "measure-0": "jc-8"}).content.decode()
    assert 'name="parameter-0"' in fragment
    assert 'data-unit="yuan">每年累计上限 (现值 500,000.00 元 (50 万元))</option>' in fragment
    assert "支持比例 (现值 20%)" in fragment and "停止执行本措施" in fragment


def test_errors_are_shown_beside_their_field_and_the_inputs_kept(client: Client) -> None:
    _login(client)
    data = {**CAP_100_WAN, "name": "", "value-0": "一百"}
    response = _post(client, "/simulations/scenarios/new/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="name-error">请填写方案名称<' in html
    assert re.search(r'data-testid="value-error-0">金额格式错误', html)
    assert 'value="一百"' in html  # what was typed stays
    assert (
        '<option value="jc-8" selected>' in html
        and 'value="caps.per_entity_per_year" data-unit="yuan" selected' in html
    )
    assert "changes[0]" not in html and "caps.per_entity_per_year<" not in html  # no code shown to the user
    assert Scenario.objects.count() == 0


def test_rows_are_added_and_removed_keeping_the_others(client: Client) -> None:
    _login(client)
    html = _post(client, "/simulations/scenarios/new/", {**CAP_100_WAN, "action": "add"}).content.decode()
    assert 'name="measure-1"' in html and 'name="rows" value="2"' in html
    assert 'value="100"' in html
    two = {**CAP_100_WAN, "rows": "2", "measure-1": "dt-17", "parameter-1": "disable", "action": "remove-0"}
    html = _post(client, "/simulations/scenarios/new/", two).content.decode()
    assert (
        'name="rows" value="1"' in html and '<option value="dt-17" selected>' in html and 'name="measure-1"' not in html
    )


def test_save_run_and_compare(client: Client, small_population: str) -> None:
    author = _login(client)
    response = _post(client, "/simulations/scenarios/new/", CAP_100_WAN)
    scenario = Scenario.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/simulations/scenarios/{scenario.pk}/"
    assert scenario.author == author and scenario.description == "与大同一致"
    assert scenario.changes == [
        {"measure": "jc-8", "parameter": "caps.per_entity_per_year", "value": "1000000", "since": ""}
    ]
    page = client.get(f"/simulations/scenarios/{scenario.pk}/").content.decode()
    assert "500,000.00 元 (50 万元)" in page and "1,000,000.00 元 (100 万元)" in page
    assert "晋市政办〔2024〕39号 第8条 支持技术交易" in page
    listing = client.get("/simulations/scenarios/").content.decode()
    assert scenario.name in listing and "与大同一致" in listing

    run_data = {"population": small_population, "first_year": "2025", "last_year": "2027"}
    response = _post(client, f"/simulations/scenarios/{scenario.pk}/", run_data)
    run = SimulationRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/simulations/{run.pk}/"
    assert run.scenario == scenario and run.status == RunStatus.QUEUED and run.created_by == author
    assert load_reform(run.reform_text).changes[0].set == {"caps.per_entity_per_year": "1000000"}
    simulation_execute(run.pk)

    # a second scenario: the rate from 20% to 25%
    rate = {**CAP_100_WAN, "name": "比例25%", "parameter-0": "jc-8-trade.rate", "value-0": "25%"}
    _post(client, "/simulations/scenarios/new/", rate)
    second = Scenario.objects.get(name="比例25%")
    _post(client, f"/simulations/scenarios/{second.pk}/", run_data)
    run2 = SimulationRun.objects.exclude(pk=run.pk).get()
    simulation_execute(run2.pk)
    run.refresh_from_db()
    run2.refresh_from_db()
    assert run.result is not None and run2.result is not None

    html = client.get("/simulations/compare/", {"a": run.pk, "b": run2.pk}).content.decode()
    diff = run2.result["totals"]["reform_fen"] - run.result["totals"]["reform_fen"]
    assert f'data-fen="{run.result["totals"]["reform_fen"]}"' in html and "亿元" in html
    assert re.search(rf'data-testid="total-compare-diff"><span class="amount" [^>]*data-fen="{diff}">', html)
    assert 'id="sim-compare-data"' in html and 'id="cmp-measure-chart"' in html
    assert (
        'data-testid="compare-valley-diff-大同"><span class="amount" title="精确值 0.00 元" data-fen="0">0.00<' in html
    )

    baseline = client.get("/simulations/compare/", {"a": str(run.pk), "b": "baseline"}).content.decode()
    want = run.result["totals"]["baseline_fen"] - run.result["totals"]["reform_fen"]
    assert re.search(rf'data-testid="total-compare-diff"><span class="amount" [^>]*data-fen="{want}">', baseline)
    assert "现行政策" in baseline


def test_two_runs_of_different_years_are_not_compared(client: Client, small_population: str) -> None:
    user = _login(client)
    common = {"population": small_population, "status": RunStatus.DONE, "reform_text": "x", "created_by": user}
    result: dict[str, object] = {
        "totals": {},
        "by_valley": [],
        "by_year": [],
        "by_measure": [],
        "by_department": [],
        "years": [],
    }
    a = SimulationRun.objects.create(reform_name="A", first_year=2025, last_year=2026, result=result, **common)
    b = SimulationRun.objects.create(reform_name="B", first_year=2025, last_year=2027, result=result, **common)
    response = client.get("/simulations/compare/", {"a": str(a.pk), "b": str(b.pk)})
    assert response.status_code == 400
    assert 'data-testid="compare-b-error">两次模拟的人群或年份不同' in response.content.decode()
    response = client.get("/simulations/compare/", {"a": "999999", "b": "baseline"})
    assert 'data-testid="compare-a-error">请选择一次已完成的模拟' in response.content.decode()


def test_only_the_author_edits_a_scenario(client: Client) -> None:
    owner = make_user(roles={Role.POLICY_MAKER: ""})
    scenario = Scenario.objects.create(author=owner, name="x", changes=[])
    _login(client)
    assert client.get(f"/simulations/scenarios/{scenario.pk}/edit/").status_code == 403
    assert client.get(f"/simulations/scenarios/{scenario.pk}/").status_code == 200


def test_department_rows_are_per_city(small_population: str) -> None:
    catalog = default_catalog()
    population = population_load(small_population)
    summary = result_summary(simulate(population, catalog, None, [2025, 2026]), catalog, population)
    rows = {(r["valley"], r["department"]): r["baseline_fen"] for r in summary["by_department"]}
    # 市科技局 leads measures in all five cities: five rows, not one adding five bureaus together
    assert {v for v, d in rows if d == "市科技局"} == {"晋城", "晋中", "临汾", "阳泉", "大同"}
    per_city = {v: sum(f for (vv, _), f in rows.items() if vv == v) for v, _ in rows}
    assert per_city == {r["valley"]: r["baseline_fen"] for r in summary["by_valley"]}


def test_years_without_population_events_are_flagged(client: Client, small_population: str) -> None:
    population = population_load(small_population)
    counts = events_by_year(population, [2025, 2026, 2027, 2028])
    assert counts["2028"] == 0 and all(counts[y] > 0 for y in ("2025", "2026", "2027"))
    user = _login(client)
    scenario = Scenario.objects.create(
        author=user,
        name="停止大同第十七条",
        changes=[{"measure": "dt-17", "parameter": "disable", "value": "", "since": ""}],
    )
    data = {"population": small_population, "first_year": "2026", "last_year": "2028"}
    _post(client, f"/simulations/scenarios/{scenario.pk}/", data)
    run = SimulationRun.objects.get()
    simulation_execute(run.pk)
    run.refresh_from_db()
    assert run.result is not None and quiet_years(run.result) == ["2028"]
    html = client.get(f"/simulations/{run.pk}/").content.decode()
    assert 'data-testid="quiet-years-warning"' in html and "模拟人群在 2028 年没有任何事件" in html
    assert 'data-testid="quiet-year-2028"' in html and 'data-testid="quiet-year-2027"' not in html
    assert '"quiet_years": ["2028"]' in html  # the chart shades the year
    # a run whose years all have events shows no warning
    assert quiet_years({**run.result, "events_by_year": {"2026": 1, "2027": 2, "2028": 3}}) == []


@pytest.fixture
def english(client: Client, settings: Any) -> Iterator[None]:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    yield
    translation.activate(settings.LANGUAGE_CODE)  # the middleware leaves the request's language active


def test_the_builder_in_english(client: Client, english: None) -> None:
    _login(client)
    html = client.get("/simulations/scenarios/new/").content.decode()
    assert "New simulation scenario" in html and "— Choose a measure —" in html and "Save scenario" in html
    data = {**CAP_100_WAN, "name": ""}
    html = _post(client, "/simulations/scenarios/new/", data).content.decode()
    assert "Enter the scenario&#x27;s name" in html


def test_a_run_and_its_comparison_in_english(client: Client, small_population: str, english: None) -> None:
    user = _login(client)
    scenario = Scenario.objects.create(
        author=user,
        name="停止大同第十七条",
        changes=[{"measure": "dt-17", "parameter": "disable", "value": "", "since": ""}],
    )
    _post(
        client,
        f"/simulations/scenarios/{scenario.pk}/",
        {"population": small_population, "first_year": "2027", "last_year": "2028"},
    )
    run = SimulationRun.objects.get()
    simulation_execute(run.pk)
    page = client.get(f"/simulations/{run.pk}/").content.decode()
    assert "Totals (300 organisations, years 2027, 2028)" in page
    assert "The simulated population has no events in 2028" in page and "No events this year" in page
    assert "By lead department (each city apart)" in page and '"wan": "10k yuan", "yi": "100m yuan"' in page
    compare = client.get("/simulations/compare/", {"a": str(run.pk), "b": "baseline"}).content.decode()
    assert "Compare scenarios" in compare and "Current policy" in compare and "Difference (B − A)" in compare
