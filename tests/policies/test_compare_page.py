"""/policies/compare/ — like measures of the five valleys side by side, with a bar chart of the ceilings."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.policies.helpers import needs_documents, visible_text

pytestmark = pytest.mark.django_db

URL = reverse("policies:compare")


def chart_data(html: str) -> dict[str, object]:
    match = re.search(r'<script id="compare-chart-data" type="application/json">(.*?)</script>', html, re.S)
    assert match
    data = json.loads(match.group(1))
    assert isinstance(data, dict)
    return data


def test_columns_are_the_five_valleys_and_default_is_tech_transaction(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    headers = re.findall(r'<th scope="col">([^<]+)</th>', html)
    assert headers == ["晋城", "晋中", "临汾", "阳泉", "大同"]
    assert "五市政策对比: 技术交易" in visible_text(html)
    assert 'src="/static/vendor/echarts.min.js"' in html
    assert chart_data(html)["valleys"] == headers


@needs_documents("jincheng", "datong")
def test_tech_transaction_jincheng_500k_vs_datong_1m(client: Client) -> None:
    html = client.get(URL, {"category": "tech_transaction"}).content.decode()
    text = visible_text(html)
    assert "晋市政办〔2024〕39号 第8条" in text and "同政办规〔2024〕4号 第八条" in text
    assert "20%" in text
    assert "500,000.00 元" in text and "1,000,000.00 元" in text
    data = chart_data(html)
    values = dict(zip(data["valleys"], data["values"], strict=True))  # type: ignore[call-overload]
    assert values["晋城"] == "500000"
    assert values["大同"] == "1000000"


def test_valley_without_a_measure_of_the_category_shows_a_dash(client: Client) -> None:
    html = client.get(URL, {"category": "tech_transaction"}).content.decode()
    data = chart_data(html)
    if None not in data["values"]:  # type: ignore[operator]
        pytest.skip("every valley has a capped technology-transaction measure")
    assert "单项最高: 无可计算的金额" in visible_text(html)


def test_category_picker_lists_categories_in_chinese(client: Client) -> None:
    text = visible_text(client.get(URL).content.decode())
    assert "政策类别" in text and "技术交易" in text


def test_unknown_category_is_named_not_500(client: Client) -> None:
    response = client.get(URL, {"category": "no_such_category"})
    assert response.status_code == 400
    assert "筛选条件“政策类别”的取值“no_such_category”无效" in visible_text(response.content.decode())
