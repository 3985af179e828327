"""Regression tests for the wrong texts of issue 10, on the policy library's pages."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.policies.helpers import needs_documents, visible_text

pytestmark = pytest.mark.django_db


@needs_documents("datong")
@pytest.mark.parametrize("measure_id", ["dt-17", "dt-18"])
def test_datong_17_18_cap_the_months_not_yuan(client: Client, measure_id: str) -> None:
    """大同 第十七/十八条 showed "最高 36.00 元": 36 is the number of months the subsidy is paid for."""
    text = visible_text(client.get(reverse("policies:measure", args=[measure_id])).content.decode())
    assert "最长 36 个月" in text
    assert "36.00 元" not in text and not re.search(r"最高 36(\.00)? 元", text)
    library = visible_text(client.get(reverse("policies:library"), {"valley": "大同"}).content.decode())
    assert "36.00 元" not in library


@needs_documents("jincheng")
def test_jincheng_11_high_level_talent_shows_its_reviewed_ceiling_in_the_comparison(client: Client) -> None:
    """晋城 第11条 gives up to 200,000 yuan after review; the comparison showed nothing (0 in the chart)."""
    html = client.get(reverse("policies:compare"), {"category": "talent_high_level"}).content.decode()
    cell = re.search(r'<td data-valley="晋城">(.*?)</td>', html, re.S)
    assert cell is not None
    text = visible_text(cell.group(1))
    assert "需评审" in text and "200,000.00 元" in text
    assert "晋市政办〔2024〕39号 第11条" in text
    body = visible_text(html)
    assert "需评审, 最高 20 万元" in body
    chart = re.search(r'<script id="compare-chart-data" type="application/json">(.*?)</script>', html, re.S)
    assert chart is not None and '"200000"' in chart.group(1)


@needs_documents("datong")
def test_datong_clauses_are_cited_once(client: Client) -> None:
    """ "同政办规〔2024〕4号 第第八条条": the 第…条 of a clause printed as 第八条 was doubled."""
    for url in (reverse("policies:measure", args=["dt-8"]), reverse("policies:library") + "?valley=大同"):
        text = visible_text(client.get(url).content.decode())
        assert "同政办规〔2024〕4号 第八条" in text
        assert "第第" not in text and "条条" not in text


@needs_documents("datong")
def test_the_reading_takes_ceilings_from_money_parameters_only() -> None:
    """The headline (API) and the ceiling read a min() bound as money only when its parameter's unit is yuan."""
    from jinchuang.policies.reading import measure_reading
    from jinchuang.policy.catalog import default_catalog

    catalog = default_catalog()
    document, measure = catalog.measure("dt-17")
    reading = measure_reading(document, measure, catalog.vocabulary)
    rent = next(r for r in reading.rules if r.id == "dt-17-rent")
    assert "36" not in rent.headline
    assert reading.ceiling is not None and reading.ceiling.amount == 200000
