"""申报 pages: start from a calculator row or a measure page, autosave drafts, submit once."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from jinchuang.applications.models import Application
from jinchuang.applications.workflow import State
from tests.applications.web.conftest import Cast, case_post, startup_case, tech_case

pytestmark = pytest.mark.django_db


def _key(html: str) -> str:
    match = re.search(r'name="idempotency_key" value="([^"]+)"', html)
    assert match, "the form carries an idempotency key"
    return match.group(1)


def test_calculator_row_offers_apply_for_payable_measures(client: Client) -> None:
    data = case_post(tech_case(), scope="")
    data["ev-0-type"] = "tech_contract_registered"
    response = client.post("/calculator/", data)
    html = response.content.decode()
    assert 'data-testid="apply-jc-8"' in html
    assert 'name="case_json"' in html
    assert 'data-testid="apply-jc-3"' not in html  # not eligible: no 申报 button


def test_apply_from_calculator_prefills_the_case_and_shows_amount_and_clause(cast: Cast) -> None:
    client = cast.client(cast.applicant)
    response = client.post("/applications/apply/", {"measure_id": "jc-8", "case_json": json.dumps(tech_case())})
    assert response.status_code == 302
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "支持技术交易" in html or "技术交易" in html
    assert "240,000.00" in html  # the engine's amount
    assert "第8条" in html  # the clause cited
    assert 'value="1200000"' in html  # the prefilled fact
    assert _key(html)


def test_apply_from_a_measure_page(cast: Cast) -> None:
    client = cast.client(cast.applicant)
    measure_page = client.get("/policies/jc-3/").content.decode()
    assert 'href="/applications/apply/jc-3/"' in measure_page
    html = client.get("/applications/apply/jc-3/").content.decode()
    assert "创新启动资金" in html
    assert 'name="ev-0-paid_in_capital"' in html  # field derived from what the measure needs
    assert "法定区间" in html or "经评审" in html


def test_apply_requires_login(client: Client) -> None:
    response = client.get("/applications/apply/jc-3/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_unknown_measure_is_404(cast: Cast) -> None:
    assert cast.client(cast.applicant).get("/applications/apply/no-such-measure/").status_code == 404


def test_autosave_creates_then_updates_one_draft(cast: Cast) -> None:
    client = cast.client(cast.applicant)
    post = case_post(startup_case(), idempotency_key="k-autosave-1")
    first = client.post("/applications/apply/jc-3/draft/", post, HTTP_HX_REQUEST="true")
    assert first.status_code == 200
    assert "草稿已自动保存" in first.content.decode()
    draft = Application.objects.get(organisation=cast.organisation, idempotency_key="k-autosave-1")
    assert draft.state == State.DRAFT
    assert first["HX-Replace-Url"] == f"/applications/{draft.pk}/edit/"
    post["ev-0-paid_in_capital"] = "3000000"
    client.post("/applications/apply/jc-3/draft/", post, HTTP_HX_REQUEST="true")
    assert Application.objects.filter(organisation=cast.organisation).count() == 1
    draft.refresh_from_db()
    assert draft.case_data["events"][0]["paid_in_capital"] == "3000000"
    # the draft opens again in the form, with the same key
    html = client.get(f"/applications/{draft.pk}/edit/").content.decode()
    assert _key(html) == "k-autosave-1" and 'value="3000000"' in html


def test_submit_twice_with_the_same_key_creates_one_application(cast: Cast) -> None:
    client = cast.client(cast.applicant)
    html = client.get("/applications/apply/jc-3/").content.decode()
    post = case_post(startup_case(), idempotency_key=_key(html))
    first = client.post("/applications/apply/jc-3/submit/", post)
    second = client.post("/applications/apply/jc-3/submit/", post)  # double click / retried POST
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    applications = Application.objects.filter(organisation=cast.organisation)
    assert applications.count() == 1
    assert applications.get().state == State.SUBMITTED


def test_submit_after_autosave_submits_the_draft(cast: Cast) -> None:
    client = cast.client(cast.applicant)
    post = case_post(startup_case(), idempotency_key="k-draft-then-submit")
    client.post("/applications/apply/jc-3/draft/", post, HTTP_HX_REQUEST="true")
    client.post("/applications/apply/jc-3/submit/", post)
    only = Application.objects.get(organisation=cast.organisation)
    assert only.state == State.SUBMITTED and only.engine_max_fen == 50_000_000


def test_submit_not_eligible_shows_the_unmet_condition_in_chinese(cast: Cast) -> None:
    client = cast.client(cast.applicant)
    post = case_post(startup_case(selected=False), idempotency_key="k-not-eligible")
    response = client.post("/applications/apply/jc-3/submit/", post)
    assert response.status_code == 400
    html = response.content.decode()
    assert "不符合该措施的条件" in html and "经遴选入区的创新主体" in html
    assert _key(html) == "k-not-eligible"  # the same key is kept for the retry
    assert not Application.objects.exclude(state=State.DRAFT).exists()


def test_submit_bad_fact_is_shown_beside_the_field(cast: Cast) -> None:
    client = cast.client(cast.applicant)
    post = case_post(startup_case(), idempotency_key="k-bad-fact")
    post["ev-0-paid_in_capital"] = "-5"
    response = client.post("/applications/apply/jc-3/submit/", post)
    assert response.status_code == 400
    assert 'class="field-error"' in response.content.decode()


def test_submit_without_key_is_refused(cast: Cast) -> None:
    response = cast.client(cast.applicant).post("/applications/apply/jc-3/submit/", case_post(startup_case()))
    assert response.status_code == 400
    assert "表单已过期" in response.content.decode()
    assert not Application.objects.exists()


def test_a_reviewer_cannot_apply(cast: Cast) -> None:
    post = case_post(startup_case(), idempotency_key="k-reviewer")
    response = cast.client(cast.reviewer).post("/applications/apply/jc-3/submit/", post)
    assert response.status_code == 403
    assert not Application.objects.exists()
