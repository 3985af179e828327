"""The 办事指南 of the measure on the application form (docs/guide-format.md), folded near the top."""

from __future__ import annotations

import re

import pytest

from jinchuang.applications.models import Application
from jinchuang.policies.selectors import guide_for
from tests.applications.web.conftest import Cast, case_post, startup_case

pytestmark = pytest.mark.django_db


def _guide_block(html: str) -> str:
    match = re.search(r'<details class="fold" data-testid="apply-guide">(.*?)</details>', html, re.S)
    assert match, "the form carries the guide in a folded block"
    return match.group(1)


def test_the_apply_form_shows_the_measures_guide_folded_above_the_form(cast: Cast) -> None:
    guide = guide_for("jc-8")
    assert guide is not None and guide.materials and guide.steps
    html = cast.client(cast.applicant).get("/applications/apply/jc-8/").content.decode()
    block = _guide_block(html)
    assert html.index('data-testid="apply-guide"') < html.index('data-testid="apply-form"')
    assert "申报材料清单" in block and "办理流程与时限" in block
    for material in guide.materials:  # 申报表, 统一社会信用代码证明, the contract's proof, …
        assert material.name in block
    for step in guide.steps:  # 填报申报 → 受理 → 初审 → 部门审核 → 审定 → 公示 → 拨付, with their limits
        assert step.label in block and step.limit in block
    assert "市科技局" in block and "第8条" in block
    assert 'href="/policies/jc-8/guide/template.xlsx"' in block
    assert '<details class="fold" data-testid="apply-guide" open' not in html  # folded by default


def test_a_draft_opened_again_shows_its_own_measures_guide(cast: Cast) -> None:
    client = cast.client(cast.applicant)
    client.post("/applications/apply/jc-3/draft/", case_post(startup_case(), idempotency_key="k-guide"))
    draft = Application.objects.get(organisation=cast.organisation, idempotency_key="k-guide")
    block = _guide_block(client.get(f"/applications/{draft.pk}/edit/").content.decode())
    guide = guide_for("jc-3")
    assert guide is not None
    assert guide.title in block and "专家评审" in block  # jc-3 is decided after expert review
    assert "技术合同认定登记" not in block  # not the guide of another measure
