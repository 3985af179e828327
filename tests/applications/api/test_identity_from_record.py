"""POST /api/v1/applications: the applicant's kind, valley and 入驻日期 are the organisation's record,
the judging date is the submission date; what the applicant types for them is ignored."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from jinchuang.applications.models import Application
from jinchuang.records.models import Fact
from tests.applications.api.conftest import api_for
from tests.applications.conftest import SETTLED_ON, Cast, tech_transfer_case

pytestmark = pytest.mark.django_db


def _post(cast: Cast, key: str, measure_id: str, case: dict[str, Any]) -> Any:
    body = {"measure_id": measure_id, "case_data": case, "idempotency_key": key}
    return api_for(cast.applicant).post("/applications", body)


def test_a_jincheng_enterprise_cannot_apply_for_a_datong_measure_by_typing_datong(cast: Cast) -> None:
    case = tech_transfer_case()
    case["applicant"]["valley"] = "大同"
    response = _post(cast, "dt", "dt-8", case)
    assert response.status_code == 400, response.content
    data = response.json()
    assert data["error"] == "other_valley"
    assert data["errors"][0]["field"] == "measure_id"
    assert "大同" in data["errors"][0]["message"] and "晋城" in data["errors"][0]["message"]
    assert not Application.objects.exists()


def test_an_earlier_settled_on_than_the_records_is_ignored(cast: Cast) -> None:
    """Typed 2025-01-10 would make the 2025-06-01 contract a 入驻企业's; the record says 2025-07-01."""
    cast.organisation.settled_on = dt.date(2025, 7, 1)
    cast.organisation.save()
    response = _post(cast, "early", "jc-8", tech_transfer_case())  # applicant.settled_on typed 2025-01-10
    assert response.status_code == 400, response.content
    data = response.json()
    assert data["error"] == "not_eligible"
    assert data["errors"][0]["field"] == "case_data"
    assert "入驻企业" in data["errors"][0]["message"]
    assert not Application.objects.exists()


def test_the_stored_case_holds_the_records_identity_and_the_submission_date(cast: Cast) -> None:
    case = tech_transfer_case()
    case["applicant"].update({"kind": "university", "settled_on": "2020-01-01"})
    case["as_of"] = "2025-06-15"  # typed: ignored (the event is judged as of the submission date)
    response = _post(cast, "stored", "jc-8", case)
    assert response.status_code == 201, response.content
    stored = Application.objects.get().case_data
    assert stored["as_of"] == timezone.localdate().isoformat()
    assert stored["applicant"]["kind"] == "enterprise"
    assert stored["applicant"]["valley"] == "晋城"
    assert stored["applicant"]["settled_on"] == SETTLED_ON.isoformat()


def test_a_typed_as_of_is_ignored(cast: Cast) -> None:
    """A typed 计算基准日 before the contract used to refuse it, and one far ahead let a future event
    through; the judging date is today either way."""
    before = tech_transfer_case()
    before["as_of"] = "2025-01-01"  # before the 2025-06-01 contract
    accepted = _post(cast, "before", "jc-8", before)
    assert accepted.status_code == 201, accepted.content
    future_day = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    ahead = tech_transfer_case(date=future_day)
    ahead["as_of"] = "2099-12-31"
    refused = _post(cast, "ahead", "jc-8", ahead)
    assert refused.status_code == 400, refused.content
    error = refused.json()["errors"][0]
    assert error["field"] == "case_data.events[0].date"
    assert timezone.localdate().isoformat() in error["message"]


@pytest.mark.parametrize("writings", [("800000", "800000.00", 800000, "800,000")])
def test_one_contract_written_four_ways_through_the_api_is_one_fact_of_the_record(
    cast: Cast, writings: tuple[Any, ...]
) -> None:
    for n, amount in enumerate(writings):
        case = tech_transfer_case()
        case["events"][0]["amount"] = amount
        response = _post(cast, f"w{n}", "jc-8", case)
        assert response.status_code in (200, 201), response.content
    (fact,) = Fact.objects.filter(organisation=cast.organisation, event_type="tech_contract_registered")
    assert fact.fields["amount"] == 800_000_00
    assert {f.pk for a in Application.objects.all() for f in a.facts.all()} == {fact.pk}
