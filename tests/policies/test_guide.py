"""办事指南 per measure: derived from the catalog and the applications workflow (docs/guide-format.md)."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from jinchuang.applications.conf import DEFAULT_STEP_WORKING_HOURS, public_notice_days
from jinchuang.applications.workflow import State
from jinchuang.policies.selectors import guide_for
from tests.code_tokens import code_tokens
from tests.policies.helpers import needs_documents, visible_text

pytestmark = pytest.mark.django_db


def test_an_unknown_measure_has_no_guide() -> None:
    assert guide_for("no-such-measure") is None


@needs_documents("datong")
def test_the_guide_of_a_cash_measure() -> None:
    guide = guide_for("dt-8")
    assert guide is not None
    assert guide.citation == "同政办规〔2024〕4号 第八条"
    assert guide.who == ["企业"]
    assert guide.lead_departments == ["市科技局"] and "市经开区" in guide.cooperating_departments
    assert guide.supports[0].amount == "按技术交易额的 20% 计算"
    assert "交易方式为委托开发、技术转让(专利转让)或独占许可" in [c.sentence for c in guide.supports[0].conditions]
    names = [m.name for m in guide.materials]
    assert names[0] == "申报表" and guide.materials[0].template
    assert "“技术合同认定登记”的证明材料" in names
    # the steps and time limits are the workflow's settings
    steps = {s.label: s for s in guide.steps}
    assert steps["受理"].limit == "半个工作日" and steps["受理"].holder == "服务专员"
    assert steps["初审"].limit == f"{DEFAULT_STEP_WORKING_HOURS[State.INITIAL_REVIEW] // 8} 个工作日"
    assert steps["部门审核"].holder == "市科技局"
    assert steps["公示"].limit == f"{public_notice_days()} 日"
    assert "专家评审" not in steps  # 第八条 is not 经评审
    assert "一站式服务窗口" in guide.contact and guide.contact_clauses


@needs_documents("datong")
def test_a_measure_with_expert_review_has_the_expert_step() -> None:
    guide = guide_for("dt-15")
    assert guide is not None
    assert "专家评审" in [s.label for s in guide.steps]


@needs_documents("jincheng")
def test_a_service_measure_is_not_applied_for_online() -> None:
    guide = guide_for("jc-1")
    assert guide is not None and not guide.online and guide.steps == [] and guide.materials == []


def test_no_guide_shows_code() -> None:
    from jinchuang.policies.selectors import library_catalog

    for _document, measure in library_catalog().catalog.measures():
        guide = guide_for(measure.id)
        assert guide is not None
        words = [guide.summary, guide.contact, *guide.who, *guide.notes, *(m.name + m.note for m in guide.materials)]
        for support in guide.supports:
            words += [support.amount, support.event, *(c.sentence + c.text + c.hint for c in support.conditions)]
        words += [s.label + s.holder + s.limit for s in guide.steps]
        assert [code_tokens(w) for w in words if code_tokens(w)] == [], measure.id


@needs_documents("datong")
def test_the_measure_page_shows_the_guide_and_the_template_downloads(client: Client) -> None:
    html = client.get(reverse("policies:measure", args=["dt-17"])).content.decode()
    text = visible_text(html)
    assert "办事指南" in text and "申报材料清单" in text and "办理流程与时限" in text
    assert "半个工作日" in text
    response = client.get(reverse("policies:guide-template", args=["dt-17"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert sheet is not None
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert cells[0] == "人才住房保障 申报表" or cells[0].endswith("申报表")
    assert any("同政办规〔2024〕4号 第十七条" in c for c in cells)
    assert "学历层次" in cells and "统一社会信用代码" in cells
    assert any("最长 36 个月" in c for c in cells)
    assert client.get(reverse("policies:guide-template", args=["dt-1"])).status_code == 404


@needs_documents("datong")
def test_the_template_tag_renders_the_guide_of_a_measure() -> None:
    from django.template import Context, Template

    html = Template("{% load policy_guide %}{% measure_guide measure_id %}").render(Context({"measure_id": "dt-8"}))
    text = visible_text(html)
    assert "办事指南" in text and "同政办规〔2024〕4号 第八条" in text and "半个工作日" in text
    assert Template("{% load policy_guide %}{% measure_guide 'nope' %}").render(Context()).strip() == ""
