"""/policies/ — the policy library: every measure of the five valleys, filters, search, HTMX partial."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from jinchuang.policies.selectors import library_catalog
from jinchuang.policy.schema import Measure
from tests.policies.helpers import needs_documents, visible_text

pytestmark = pytest.mark.django_db

URL = reverse("policies:library")


def result_count(text: str) -> int:
    match = re.search(r"共 (\d+) 条政策", text)
    assert match, text[:500]
    return int(match.group(1))


def test_library_lists_every_measure_of_the_catalog(client: Client) -> None:
    catalog = library_catalog().catalog
    total = sum(1 for _ in catalog.measures())
    response = client.get(URL)
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert "政策库" in text
    assert result_count(text) == total
    for document, measure in catalog.measures():
        assert measure.title in text
        assert document.valley.value in text


def test_every_filter_is_offered_with_chinese_labels(client: Client) -> None:
    text = visible_text(client.get(URL).content.decode())
    for label in ("晋创谷", "政策类别", "适用对象", "部门(牵头或配合)", "支持方式", "关键词"):
        assert label in text
    for valley in ("晋城", "晋中", "临汾", "阳泉", "大同"):
        assert valley in text
    for kind in ("资金支持", "实物/场地支持", "服务", "一事一议", "原则/机制"):
        assert kind in text
    assert "科创团队" in text and "孵化载体运营单位" in text


@needs_documents("datong")
def test_filter_by_valley_shows_only_that_valley(client: Client) -> None:
    catalog = library_catalog().catalog
    expected = [m for d, m in catalog.measures() if d.valley.value == "大同"]
    response = client.get(URL, {"valley": "大同"})
    html = response.content.decode()
    assert result_count(visible_text(html)) == len(expected)
    rows = re.findall(r'<tr data-measure="([^"]+)">', html)
    assert rows == [m.id for m in expected]
    assert all(r.startswith("dt-") for r in rows)


@needs_documents("datong")
def test_search_finds_the_technology_transaction_clause(client: Client) -> None:
    response = client.get(URL, {"valley": "大同", "q": "技术交易"})
    text = visible_text(response.content.decode())
    assert "支持技术交易" in text
    assert "同政办规〔2024〕4号 第八条" in text
    assert "按技术交易额的 20% 计算" in text and "每年累计最高 100 万元" in text


@needs_documents("jincheng")
def test_cash_row_shows_headline_parameters_and_citation(client: Client) -> None:
    text = visible_text(client.get(URL, {"valley": "晋城", "category": "tech_transaction"}).content.decode())
    assert "晋市政办〔2024〕39号 第8条" in text
    assert "按技术交易额的 20% 计算" in text and "每年累计最高 50 万元" in text
    assert "资金支持" in text


def test_search_by_clause_text_and_no_match(client: Client) -> None:
    text = visible_text(client.get(URL, {"q": "这段文字不会出现在任何政策中"}).content.decode())
    assert result_count(text) == 0
    assert "没有符合条件的政策" in text


def test_filters_by_kind_beneficiary_category_and_department(client: Client) -> None:
    catalog = library_catalog().catalog
    _doc, sample = next(iter(catalog.measures()))
    department = sample.lead_departments[0]
    checks: list[tuple[dict[str, str], Callable[[Measure], bool]]] = [
        ({"kind": "cash"}, lambda m: m.kind.value == "cash"),
        ({"beneficiary": "research_team"}, lambda m: "research_team" in m.beneficiaries),
        ({"category": sample.category}, lambda m: m.category == sample.category),
        ({"department": department}, lambda m: department in [*m.lead_departments, *m.cooperating_departments]),
    ]
    for params, keep in checks:
        html = client.get(URL, params).content.decode()
        rows = re.findall(r'<tr data-measure="([^"]+)">', html)
        assert rows == [m.id for _d, m in catalog.measures() if keep(m)], params


def test_review_and_assessment_badges(client: Client) -> None:
    catalog = library_catalog().catalog
    reviewed = [m for _d, m in catalog.measures() if m.expert_review]
    assessed = [m for _d, m in catalog.measures() if m.annual_assessment]
    html = client.get(URL).content.decode()
    assert html.count('class="badge badge-review">经评审<') == len(reviewed)
    assert html.count('class="badge badge-assess">年度考核<') == len(assessed)


@pytest.mark.parametrize(
    ("params", "label"),
    [
        ({"valley": "太原"}, "晋创谷"),
        ({"kind": "gift"}, "支持方式"),
        ({"beneficiary": "alien"}, "适用对象"),
        ({"category": "no_such_category"}, "政策类别"),
        ({"department": "不存在的局"}, "部门"),
        ({"q": "字" * 101}, "关键词"),
    ],
)
def test_invalid_filter_is_named_in_chinese_never_500(client: Client, params: dict[str, str], label: str) -> None:
    response = client.get(URL, params)
    assert response.status_code == 400
    text = visible_text(response.content.decode())
    assert f"筛选条件“{label}”" in text
    assert "共 " not in text


def test_htmx_request_gets_only_the_results(client: Client) -> None:
    response = client.get(URL, {"kind": "cash"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'data-testid="result-count"' in html
    assert "HX-Request" in response["Vary"]


def test_htmx_invalid_filter_is_swapped_in_with_its_message(client: Client) -> None:
    response = client.get(URL, {"valley": "太原"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "筛选条件“晋创谷”的取值“太原”无效" in visible_text(response.content.decode())


def test_page_without_javascript_still_filters_by_get_form(client: Client) -> None:
    html = client.get(URL).content.decode()
    assert 'method="get"' in html and 'hx-get="/policies/"' in html and 'hx-target="#policy-results"' in html


def test_nav_links_to_the_library_and_comparison(client: Client) -> None:
    html = client.get(reverse("web:home")).content.decode()
    assert 'href="/policies/"' in html and 'href="/policies/compare/"' in html
