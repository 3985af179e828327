"""The workflow table through the API: every step by the permitted role, 403 for a visible case the
caller may not move, 404 for one they may not see, 409 when the state or a guard forbids, 400 for data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jinchuang.applications.models import Application, Instalment, PublicNotice
from jinchuang.applications.workflow import State
from tests.applications.api.conftest import api_for
from tests.applications.conftest import Cast, startup_capital_case, submit, walk
from tests.factories import verify_facts

pytestmark = pytest.mark.django_db


def fire(user: object, application: Application, name: str, **data: object) -> object:
    return api_for(user).post(f"/applications/{application.pk}/transitions/{name}", data)  # type: ignore[arg-type]


def test_the_whole_path_with_expert_review_and_two_instalments(cast: Cast) -> None:
    applicant = api_for(cast.applicant)
    created = applicant.post(
        "/applications",
        {"measure_id": "jc-3", "case_data": startup_capital_case(), "idempotency_key": "walk"},
    ).json()
    pk = created["id"]
    agent, reviewer, expert, finance = (api_for(u) for u in (cast.agent, cast.reviewer, cast.expert, cast.finance))
    assert agent.post(f"/applications/{pk}/transitions/accept").json()["state"] == State.INITIAL_REVIEW
    assert agent.post(f"/applications/{pk}/transitions/pass_initial_review").json()["state"] == State.DEPARTMENT_REVIEW
    verify_facts(Application.objects.get(pk=pk), cast.agent)
    sent = reviewer.post(f"/applications/{pk}/transitions/send_to_experts", {"experts": [cast.expert.pk]})
    assert sent.status_code == 200, sent.content
    assert sent.json()["state"] == State.EXPERT_REVIEW
    early = reviewer.post(f"/applications/{pk}/transitions/complete_expert_review")
    assert early.status_code == 409
    maximum = created["engine_max"]["fen"]
    undeclared = expert.post(f"/applications/{pk}/expert-scores", {"score": 88, "recommended_amount_fen": maximum})
    assert undeclared.status_code == 400 and undeclared.json()["errors"][0]["field"] == "no_conflict"
    declared = expert.post(f"/applications/{pk}/expert-declaration", {"conflict": False})
    assert declared.status_code == 200 and declared.json()["recused"] is False, declared.content
    bad = expert.post(
        f"/applications/{pk}/expert-scores",
        {"criteria": {"innovation": 31, "team": 20}, "recommended_amount_fen": maximum},
    )
    assert bad.status_code == 400, bad.content
    assert {e["field"] for e in bad.json()["errors"]} == {
        "criteria.innovation",
        "criteria.market",
        "criteria.funding_plan",
    }
    scored = expert.post(
        f"/applications/{pk}/expert-scores",
        {
            "criteria": {"innovation": 27, "team": 20, "market": 21, "funding_plan": 15},
            "recommended_amount_fen": maximum,
        },
    )
    assert scored.status_code == 200, scored.content
    assert scored.json()["score"] == 83 and scored.json()["criteria"]["innovation"] == 27
    assert scored.json()["recommended_amount"]["fen"] == maximum
    assert reviewer.post(f"/applications/{pk}/transitions/complete_expert_review").json()["state"] == State.APPROVAL
    above = reviewer.post(f"/applications/{pk}/transitions/approve", {"amount_fen": maximum + 1})
    assert above.status_code == 400
    assert above.json()["errors"][0]["field"] == "amount_fen"
    below = reviewer.post(f"/applications/{pk}/transitions/approve", {"amount_fen": maximum - 100})
    assert below.status_code == 400
    assert below.json()["errors"][0]["field"] == "reason"
    approved = reviewer.post(f"/applications/{pk}/transitions/approve", {"amount_fen": maximum})
    assert approved.status_code == 200, approved.content
    data = approved.json()
    assert data["state"] == State.PUBLIC_NOTICE
    assert data["approved_amount"]["fen"] == maximum
    notices = api_for(cast.other_applicant).get("/notices").json()
    assert [n["application_id"] for n in notices["items"]] == [pk]
    assert reviewer.post(f"/applications/{pk}/transitions/end_public_notice").status_code == 409  # 公示期未满
    PublicNotice.objects.filter(application_id=pk).update(
        starts_at=timezone.now() - dt.timedelta(days=10), ends_at=timezone.now() - dt.timedelta(days=1)
    )
    assert reviewer.post(f"/applications/{pk}/transitions/end_public_notice").json()["state"] == State.PAYMENT_SCHEDULED
    rows = Instalment.objects.filter(award__application_id=pk).order_by("sequence")
    assert rows.count() >= 1
    for row in rows:
        paid = finance.post(f"/ledger/{row.pk}/payment", {"paid_on": "2026-01-05", "voucher_no": f"PZ-{row.sequence}"})
        assert paid.status_code == 200, paid.content
        assert paid.json()["voucher_no"] == f"PZ-{row.sequence}"
    again = finance.post(f"/ledger/{rows[0].pk}/payment", {"paid_on": "2026-01-06", "voucher_no": "PZ-9"})
    assert again.status_code == 409
    detail = applicant.get(f"/applications/{pk}").json()
    assert detail["state"] == State.PAID
    assert all(i["paid_on"] for i in detail["award"]["instalments"])
    assert finance.post(f"/applications/{pk}/transitions/close").json()["state"] == State.CLOSED


def test_required_data_and_unused_fields_are_named(cast: Cast) -> None:
    application = walk(submit(cast), cast, State.INITIAL_REVIEW)
    no_message = fire(cast.agent, application, "return")
    assert no_message.status_code == 400  # type: ignore[attr-defined]
    assert no_message.json()["errors"][0]["field"] == "message"  # type: ignore[attr-defined]
    unused = fire(cast.agent, application, "accept", amount_fen=1)
    assert unused.status_code == 400  # type: ignore[attr-defined]
    assert unused.json()["errors"][0]["field"] == "amount_fen"  # type: ignore[attr-defined]
    returned = fire(cast.agent, application, "return", message="请补充技术合同登记证明")
    assert returned.json()["state"] == State.RETURNED  # type: ignore[attr-defined]
    assert returned.json()["message"] == "请补充技术合同登记证明"  # type: ignore[attr-defined]
    resubmitted = fire_resubmit(cast, application)
    assert fire(cast.agent, resubmitted, "accept").json()["state"] == State.INITIAL_REVIEW  # type: ignore[attr-defined]
    reject = fire(cast.agent, resubmitted, "reject", message="x")
    assert reject.status_code == 400  # type: ignore[attr-defined]
    assert reject.json()["errors"][0]["field"] == "unmet_condition"  # type: ignore[attr-defined]


def fire_resubmit(cast: Cast, application: Application) -> Application:
    response = fire(cast.applicant, application, "resubmit")
    assert response.json()["state"] == State.RESUBMITTED  # type: ignore[attr-defined]
    return Application.objects.get(pk=application.pk)


def test_403_when_the_case_is_visible_but_not_yours_to_move_404_when_not_visible(cast: Cast) -> None:
    application = submit(cast)
    # the applicant sees the case but may not accept it; the reviewer sees it but is not the step's owner
    assert fire(cast.applicant, application, "accept").status_code == 403  # type: ignore[attr-defined]
    assert fire(cast.reviewer, application, "reject", message="m", unmet_condition="c").status_code == 403  # type: ignore[attr-defined]
    # these users cannot see it at all
    for outsider in (cast.other_applicant, cast.other_agent, cast.other_reviewer, cast.expert):
        response = fire(outsider, application, "accept")
        assert response.status_code == 404, outsider  # type: ignore[attr-defined]
    assert fire(cast.agent, application, "close").status_code == 409  # type: ignore[attr-defined]
    unknown = api_for(cast.agent).post(f"/applications/{application.pk}/transitions/teleport")
    assert unknown.status_code == 422
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


def test_experts_must_exist_and_be_experts(cast: Cast) -> None:
    application = walk(submit(cast, startup_capital_case(), measure_id="jc-3"), cast, State.DEPARTMENT_REVIEW)
    unknown = fire(cast.reviewer, application, "send_to_experts", experts=[987654])
    assert unknown.status_code == 400  # type: ignore[attr-defined]
    assert unknown.json()["errors"][0]["field"] == "experts"  # type: ignore[attr-defined]
    not_expert = fire(cast.reviewer, application, "send_to_experts", experts=[cast.finance.pk])
    assert not_expert.status_code == 400  # type: ignore[attr-defined]
    # someone who may not send it cannot probe user ids
    assert fire(cast.applicant, application, "send_to_experts", experts=[987654]).status_code == 403  # type: ignore[attr-defined]


def test_withdraw_by_the_applicant(cast: Cast) -> None:
    application = submit(cast)
    response = fire(cast.applicant, application, "withdraw")
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert response.json()["state"] == State.WITHDRAWN  # type: ignore[attr-defined]
    assert response.json()["transitions_available"] == []  # type: ignore[attr-defined]


def test_an_objection_during_public_notice_blocks_the_end_of_notice(cast: Cast) -> None:
    application = walk(submit(cast), cast, State.PUBLIC_NOTICE)
    filed = api_for(cast.other_applicant).post(f"/applications/{application.pk}/objections", {"text": "重复申报"})
    assert filed.status_code == 201, filed.content
    PublicNotice.objects.filter(application=application).update(
        starts_at=timezone.now() - dt.timedelta(days=10), ends_at=timezone.now() - dt.timedelta(days=1)
    )
    assert fire(cast.reviewer, application, "end_public_notice").status_code == 409  # type: ignore[attr-defined]
    closed = api_for(cast.other_applicant).post(f"/applications/{application.pk}/objections", {"text": "again"})
    assert closed.status_code == 404  # the notice period is over: nothing to object to


def test_the_application_shows_its_facts_and_the_explanation_and_approval_waits_for_verification(cast: Cast) -> None:
    application = walk(submit(cast), cast, State.SUBMITTED)
    agent, reviewer = api_for(cast.agent), api_for(cast.reviewer)
    for name in ("accept", "pass_initial_review", "pass_department_review"):
        actor = reviewer if name == "pass_department_review" else agent
        assert actor.post(f"/applications/{application.pk}/transitions/{name}").status_code == 200
    detail = reviewer.get(f"/applications/{application.pk}").json()
    (fact,) = detail["facts"]
    assert (fact["label"], fact["state"], fact["provenance"]) == ("技术合同认定登记", "declared", "declared")
    assert any(label == "技术交易额" and "1,200,000.00" in value for label, value in fact["fields"])
    assert any("240,000.00" in line for line in detail["explanation"])
    refused = reviewer.post(f"/applications/{application.pk}/transitions/approve", {"amount_fen": 24_000_000})
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "facts"
    verified = agent.post(f"/records/facts/{fact['id']}/verify", {"note": "核对合同原件"})
    assert verified.status_code == 200, verified.content
    approved = reviewer.post(f"/applications/{application.pk}/transitions/approve", {"amount_fen": 24_000_000})
    assert approved.status_code == 200, approved.content
    assert approved.json()["facts"][0]["state"] == "verified"


def test_an_objection_outside_public_notice_is_409_for_whoever_may_see_it_and_404_for_others(cast: Cast) -> None:
    application = submit(cast)  # submitted, not under 公示
    own = api_for(cast.applicant).post(f"/applications/{application.pk}/objections", {"text": "x"})
    assert own.status_code == 409, own.content
    assert own.json()["errors"][0]["field"] == "id"
    stranger = api_for(cast.other_applicant).post(f"/applications/{application.pk}/objections", {"text": "x"})
    assert stranger.status_code == 404  # nothing revealed about an application the caller may not see
