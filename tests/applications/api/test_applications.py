"""Submit once, list and read: what each user may see, and 404 (never 403) for the rest."""

from __future__ import annotations

from typing import Any

import pytest

from jinchuang.applications.models import Application
from jinchuang.applications.workflow import State
from tests.applications.api.conftest import api_for
from tests.applications.conftest import Cast, startup_capital_case, submit, tech_transfer_case

pytestmark = pytest.mark.django_db


def body(key: str | None = None, measure_id: str = "jc-8", case: dict[str, Any] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"measure_id": measure_id, "case_data": case or tech_transfer_case()}
    if key is not None:
        data["idempotency_key"] = key
    return data


def test_submit_returns_the_application_with_money_in_fen_and_yuan_and_the_clause(cast: Cast) -> None:
    response = api_for(cast.applicant).post("/applications", body(), headers={"Idempotency-Key": "k-1"})
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["state"] == State.SUBMITTED
    assert data["engine_max"] == {"fen": 24_000_000, "yuan": "240000.00"}
    assert data["organisation"]["id"] == cast.organisation.pk
    assert data["citation"]["label"].endswith("第8条")
    assert data["citation"]["text"]
    assert data["clock"]["step"] and data["clock"]["deadline"]
    assert "withdraw" in data["transitions_available"]
    assert data["approved_amount"] is None
    from jinchuang.policy.catalog import default_catalog

    assert data["catalog_digest"] == default_catalog().digest


def test_a_retried_submit_returns_the_same_application_with_200_and_no_second_row(cast: Cast) -> None:
    api = api_for(cast.applicant)
    first = api.post("/applications", body(), headers={"Idempotency-Key": "same-key"})
    again = api.post("/applications", body(), headers={"Idempotency-Key": "same-key"})
    in_body = api.post("/applications", body(key="same-key"))
    assert (first.status_code, again.status_code, in_body.status_code) == (201, 200, 200)
    assert first.json()["id"] == again.json()["id"] == in_body.json()["id"]
    assert Application.objects.filter(organisation=cast.organisation).count() == 1


def test_the_key_is_required_and_header_and_body_must_agree(cast: Cast) -> None:
    api = api_for(cast.applicant)
    missing = api.post("/applications", body())
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["field"] == "idempotency_key"
    mismatch = api.post("/applications", body(key="a"), headers={"Idempotency-Key": "b"})
    assert mismatch.status_code == 400
    bad = api.post("/applications", body(key="has spaces"))
    assert bad.status_code == 422
    assert Application.objects.count() == 0


def test_a_key_reused_for_another_measure_is_a_conflict(cast: Cast) -> None:
    api = api_for(cast.applicant)
    assert api.post("/applications", body(key="k")).status_code == 201
    reused = api.post("/applications", body(key="k", measure_id="jc-3", case=startup_capital_case()))
    assert reused.status_code == 409
    assert reused.json()["errors"][0]["field"] == "idempotency_key"


def test_an_ineligible_case_or_a_bad_case_names_the_field(cast: Cast) -> None:
    api = api_for(cast.applicant)
    unknown = api.post("/applications", body(key="u", measure_id="no-such-measure"))
    assert unknown.status_code == 400
    assert unknown.json()["errors"][0]["field"] == "measure_id"
    case = tech_transfer_case()
    case["events"][0]["date"] = "not-a-date"
    invalid = api.post("/applications", body(key="i", case=case))
    assert invalid.status_code == 400
    assert invalid.json()["errors"][0]["field"].startswith("case_data.events")
    nul = api.post("/applications", body(key="n", case={"applicant": {"kind": "enterprise\x00"}}))
    assert nul.status_code == 400
    assert Application.objects.count() == 0


def test_only_an_applicant_may_submit(cast: Cast) -> None:
    for user in (cast.agent, cast.reviewer, cast.finance):
        response = api_for(user).post("/applications", body(key=f"x-{user.pk}"))
        assert response.status_code == 403, user
        assert response.json()["error"] == "forbidden"
    assert Application.objects.count() == 0


def test_the_list_holds_what_the_token_user_may_see(cast: Cast) -> None:
    mine = submit(cast)
    other = api_for(cast.other_applicant).post("/applications", body(key="theirs"))
    assert other.status_code in (201, 400)  # the other organisation may or may not qualify
    listed = api_for(cast.applicant).get("/applications").json()
    assert [a["id"] for a in listed["items"]] == [mine.pk]
    assert listed["count"] == 1
    assert api_for(cast.agent).get("/applications").json()["count"] == 1
    assert api_for(cast.other_agent).get("/applications").json()["count"] == 0
    assert api_for(cast.reviewer).get("/applications").json()["count"] == 2  # the department's measure, both firms
    assert api_for(cast.other_reviewer).get("/applications").json()["count"] == 0  # another department
    filtered = api_for(cast.applicant).get("/applications", state="closed").json()
    assert filtered["count"] == 0


def test_another_enterprise_gets_404_for_an_application_that_exists(cast: Cast) -> None:
    application = submit(cast)
    outsider = api_for(cast.other_applicant)
    hidden = outsider.get(f"/applications/{application.pk}")
    missing = outsider.get("/applications/999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()  # nothing tells the two apart
    assert hidden.json()["error"] == "not_found"
    assert api_for(cast.applicant).get(f"/applications/{application.pk}").status_code == 200


def test_out_of_range_ids_are_422_not_500(cast: Cast) -> None:
    api = api_for(cast.applicant)
    assert api.get(f"/applications/{2**64}").status_code == 422
    assert api.get("/applications/0").status_code == 422
    assert api.get("/applications/abc").status_code == 422
