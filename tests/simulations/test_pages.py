"""The simulation pages through Django's test client."""

from __future__ import annotations

import json
import re

import pytest
from django.http import HttpResponse
from django.test import Client, TestCase

from jinchuang.simulations.models import RunStatus, SimulationRun
from jinchuang.simulations.services import simulation_execute

pytestmark = pytest.mark.django_db

BAD_CAP = "name: x\nchanges:\n  - measure: jc-8\n    set:\n      caps.per_award: abc\n"


def _post(client: Client, population: str, reform: str, first: str = "2025", last: str = "2027") -> HttpResponse:
    with TestCase.captureOnCommitCallbacks(execute=False):
        return client.post(  # type: ignore[return-value]
            "/simulations/", {"population": population, "first_year": first, "last_year": last, "reform": reform}
        )


def test_the_page_lists_populations_and_offers_examples(client: Client, small_population: str) -> None:
    response = client.get("/simulations/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<option value="{small_population}" selected>{small_population} (300 个机构)' in html
    assert "caps.per_entity_per_year: 1000000" in html  # prefilled: jc-8 cap raised like 大同
    assert "?example=jc-4-national-2m" in html and "?example=jc-8-rate-25" in html
    example = client.get("/simulations/?example=jc-8-rate-25").content.decode()
    assert "rate: &#x27;0.25&#x27;" in example
    assert client.get("/simulations/?example=nope").status_code == 404


def test_the_nav_links_to_the_page(client: Client) -> None:
    assert 'href="/simulations/"' in client.get("/").content.decode()


def test_no_population_says_how_to_make_one(client: Client, settings: object, tmp_path: object) -> None:
    settings.JINCHUANG_POPULATIONS_DIR = tmp_path  # type: ignore[attr-defined]
    assert "make_demo_population" in client.get("/simulations/").content.decode()


def test_a_bad_reform_is_explained_beside_the_textarea(client: Client, small_population: str) -> None:
    response = _post(client, small_population, BAD_CAP)
    html = response.content.decode()
    assert response.status_code == 400
    assert re.search(r'id="reform-errors".*changes\[0\]\.set\.caps\.per_award</code>: 金额格式错误', html, re.S)
    assert "caps.per_award: abc" in html  # the text is kept for correction
    assert SimulationRun.objects.count() == 0


def test_bad_years_are_explained_beside_the_years(client: Client, small_population: str) -> None:
    html = _post(client, small_population, "x", first="2027", last="abc").content.decode()
    assert 'data-testid="years-error">年份须为整数' in html


def test_submit_redirects_to_a_run_that_shows_progress_then_the_result(client: Client, small_population: str) -> None:
    reform = client.get("/simulations/").context["form"].reform_text
    response = _post(client, small_population, reform)
    run = SimulationRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/simulations/{run.pk}/"

    waiting = client.get(f"/simulations/{run.pk}/").content.decode()
    assert f'hx-get="/simulations/{run.pk}/progress/" hx-trigger="every 500ms"' in waiting
    assert 'role="progressbar"' in waiting and 'data-status="queued"' in waiting

    simulation_execute(run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.result is not None
    fragment = client.get(f"/simulations/{run.pk}/progress/").content.decode()
    assert "hx-trigger" not in fragment  # polling stops
    diff = run.result["totals"]["diff_fen"]
    yuan, fen = divmod(diff, 100)
    assert f'data-testid="total-diff">+{yuan:,}.{fen:02d} 元<' in fragment
    assert re.search(
        r'data-testid="by-valley-diff-晋城"><span class="amount" title="精确值 [\d,.]+ 元" '
        r'data-fen="[1-9]\d*">\+[\d,]*\.\d\d<',
        fragment,
    )
    assert re.search(r'data-testid="by-valley-diff-大同"><span [^>]*data-fen="0">0.00<', fragment)
    assert '<a href="/policies/jc-8/">晋市政办〔2024〕39号 第8条</a>' in fragment
    data = re.search(r'id="sim-chart-data" type="application/json">(.*?)</script>', fragment, re.S)
    assert data is not None
    chart = json.loads(data[1])
    assert chart["years"] == ["2025", "2026", "2027"] and chart["measures_changed"] is True
    assert chart["measures"] == ["晋市政办〔2024〕39号 第8条 支持技术交易"]
    assert sum(chart["reform_by_year"]) - sum(chart["baseline_by_year"]) == diff

    page = client.get(f"/simulations/{run.pk}/").content.decode()
    assert "vendor/echarts.min.js" in page and 'id="sim-year-chart"' in page and 'id="sim-measure-chart"' in page
    assert "caps.per_entity_per_year: 1000000" in page  # the form again, to change the reform and re-run


def test_a_failed_run_shows_its_error(client: Client, small_population: str) -> None:
    run = SimulationRun.objects.create(
        population=small_population,
        reform_text="x",
        reform_name="x",
        first_year=2025,
        last_year=2025,
        status=RunStatus.FAILED,
        error="计算出错 (RuntimeError): 磁盘已满",
    )
    assert "磁盘已满" in client.get(f"/simulations/{run.pk}/progress/").content.decode()
    assert client.get("/simulations/99999/").status_code == 404


def test_with_the_synchronous_setting_the_request_runs_the_simulation(
    client: Client, small_population: str, settings: object
) -> None:
    settings.JINCHUANG_SIMULATIONS_SYNC = True  # type: ignore[attr-defined]
    reform = client.get("/simulations/").context["form"].reform_text
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            "/simulations/",
            {"population": small_population, "first_year": "2025", "last_year": "2025", "reform": reform},
        )
    run = SimulationRun.objects.get()
    assert response.status_code == 302
    assert run.status == RunStatus.DONE and run.result is not None and run.result["years"] == [2025]
    page = client.get(f"/simulations/{run.pk}/").content.decode()
    assert 'data-status="done"' in page and 'role="progressbar"' in page
