"""/policies/<measure_id>/ — the original clause beside the structured reading, and live worked examples."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jinchuang.policies.selectors import library_catalog
from jinchuang.policy.catalog import load_cases
from tests.policies.helpers import needs_documents, visible_text

pytestmark = pytest.mark.django_db


def page_text(client: Client, measure_id: str) -> str:
    response = client.get(reverse("policies:measure", args=[measure_id]))
    assert response.status_code == 200
    return visible_text(response.content.decode())


def test_every_measure_page_shows_its_verbatim_text_and_citation(client: Client) -> None:
    for document, measure in library_catalog().catalog.measures():
        html = client.get(reverse("policies:measure", args=[measure.id])).content.decode()
        text = visible_text(html)
        assert visible_text(measure.text) in text, measure.id
        assert measure.title in text
        assert document.title in text
        assert (document.wenhao or "(无文号)") in text
        assert html.index('data-testid="original-text"') < html.index('data-testid="structured-reading"')


@needs_documents("datong")
def test_datong_tech_transaction_reading(client: Client) -> None:
    text = page_text(client, "dt-8")
    assert "同政办规〔2024〕4号" in text and "第八条" in text
    assert "有效期 2024-09-12 至 2029-09-11" in text
    assert "最高支持 100 万元" in text  # the clause, verbatim
    assert "牵头单位 市科技局" in text and "配合单位 市经开区" in text
    assert "技术合同认定登记" in text  # the triggering event
    assert "按技术交易额的 20% 计算" in text  # the formula, in words
    assert "amount * 0.20" not in text and "tech_contract_registered" not in text
    assert "整条措施上限 每年累计最高 100 万元" in text
    # interpretations are flagged: topic, reading, alternative, why
    assert "“技术入股占比的10%”" in text
    assert "本平台的理解" in text and "另一种理解" in text and "理由" in text


@needs_documents("datong")
def test_worked_examples_are_computed_live_and_cite_the_clause(client: Client) -> None:
    cases = [c for c in load_cases("datong") if c.get("measure") == "dt-8"]
    assert cases, "datong.cases.yaml has examples for dt-8"
    text = page_text(client, "dt-8")
    assert "计算示例" in text
    for case in cases:
        assert case["name"] in text
    assert "技术交易额: 1,200,000.00 元" in text  # an input event, in words
    assert "符合条件" in text and "240,000.00 元" in text
    assert "触及上限 每年累计上限 1,000,000.00 元" in text
    assert "依据 同政办规〔2024〕4号 第八条" in text
    assert "与示例的预期不一致" not in text


def test_measure_with_review_range_shows_the_legal_range(client: Client) -> None:
    catalog = library_catalog().catalog
    reviewed = [m for _d, m in catalog.measures() if any(r.review_range for r in m.rules)]
    if not reviewed:
        pytest.skip("no measure with a review range in the catalog yet")
    measure = reviewed[0]
    rule = next(r for r in measure.rules if r.review_range)
    assert rule.review_range is not None
    text = page_text(client, measure.id)
    assert "经评审法定区间" in text
    assert f"{rule.review_range[1]:,.2f} 元" in text


def test_unknown_measure_is_404_in_chinese(client: Client) -> None:
    response = client.get(reverse("policies:measure", args=["xx-999"]))
    assert response.status_code == 404
