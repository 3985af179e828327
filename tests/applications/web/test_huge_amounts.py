"""A 40-digit money amount on the application pages (issue 8): a Chinese error naming the field, the
form again or the page it came from, never a 500 and never a number silently rounded into the database."""

from __future__ import annotations

import json
import re

import pytest

from jinchuang.applications.models import Application, ExpertScore
from jinchuang.applications.workflow import State
from tests.applications.web.conftest import Cast, case_post, startup_case, submitted
from tests.applications.web.rubric_support import declare_no_conflict, rubric_post
from tests.factories import verify_facts

pytestmark = pytest.mark.django_db

HUGE = "1" * 40
OUT_OF_RANGE = "金额超出范围: 最大 999,999,999,999.99 元"


def test_submit_refuses_a_40_digit_amount_beside_its_field(cast: Cast) -> None:
    client = cast.client(cast.applicant)
    post = case_post(startup_case(), idempotency_key="k-huge-submit")
    post["ev-0-paid_in_capital"] = HUGE
    response = client.post("/applications/apply/jc-3/submit/", post)
    assert response.status_code == 400
    html = response.content.decode()
    beside = rf'name="ev-0-paid_in_capital" value="1{{40}}".*?class="field-error"[^>]*>{OUT_OF_RANGE}'
    assert re.search(beside, html, re.S)
    assert not Application.objects.exclude(state=State.DRAFT).exists()


def test_autosave_keeps_a_40_digit_amount_as_typed_and_the_draft_explains_it(cast: Cast) -> None:
    client = cast.client(cast.applicant)
    post = case_post(startup_case(), idempotency_key="k-huge-draft")
    post["ev-0-paid_in_capital"] = HUGE
    saved = client.post("/applications/apply/jc-3/draft/", post, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200 and "草稿已自动保存" in saved.content.decode()
    draft = Application.objects.get(idempotency_key="k-huge-draft")
    assert draft.case_data["events"][0]["paid_in_capital"] == HUGE  # text, as typed: nothing parsed or rounded
    page = client.get(f"/applications/{draft.pk}/edit/")
    assert page.status_code == 200
    assert OUT_OF_RANGE in page.content.decode()


def test_a_calculator_case_with_a_40_digit_amount_opens_the_form_with_the_error(cast: Cast) -> None:
    case = startup_case()
    case["events"][0]["paid_in_capital"] = HUGE
    client = cast.client(cast.applicant)
    start = client.post("/applications/apply/", {"measure_id": "jc-3", "case_json": json.dumps(case)})
    page = client.get(start["Location"])
    assert page.status_code == 200
    assert OUT_OF_RANGE in page.content.decode()


def test_approve_and_expert_score_refuse_a_40_digit_amount_naming_the_field(cast: Cast) -> None:
    application = submitted(cast.applicant, startup_case())
    agent, reviewer, expert = cast.client(cast.agent), cast.client(cast.reviewer), cast.client(cast.expert)
    agent.post(f"/applications/{application.pk}/act/accept/")
    agent.post(f"/applications/{application.pk}/act/pass_initial_review/")
    verify_facts(application, cast.agent)
    reviewer.post(f"/applications/{application.pk}/act/send_to_experts/", {"experts": [cast.expert.pk]})
    declare_no_conflict(expert, application)
    scored = expert.post(
        f"/applications/{application.pk}/score/", rubric_post(application, recommended=HUGE), follow=True
    )
    assert scored.status_code == 200
    assert f"建议金额: {OUT_OF_RANGE}" in scored.content.decode()
    assert not ExpertScore.objects.filter(application=application, recommended_amount_fen__isnull=False).exists()
    expert.post(f"/applications/{application.pk}/score/", rubric_post(application, recommended="400000"))
    reviewer.post(f"/applications/{application.pk}/act/complete_expert_review/")
    application.refresh_from_db()
    assert application.state == State.APPROVAL
    approved = reviewer.post(f"/applications/{application.pk}/act/approve/", {"amount": HUGE}, follow=True)
    assert approved.status_code == 200
    assert f"核定金额: {OUT_OF_RANGE}" in approved.content.decode()
    application.refresh_from_db()
    assert application.state == State.APPROVAL and application.approved_amount_fen is None
