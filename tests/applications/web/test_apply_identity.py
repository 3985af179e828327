"""The application form: kind, valley and 入驻日期 come from the organisation's record and the
计算基准日 is the submission date; the form shows them read-only and ignores them if posted anyway."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jinchuang.applications.models import Application
from jinchuang.records.models import Fact
from tests.applications.web.conftest import Cast, case_post, tech_case

pytestmark = pytest.mark.django_db


def test_the_form_shows_the_record_read_only_and_offers_no_identity_fields(cast: Cast) -> None:
    html = cast.client(cast.applicant).get("/applications/apply/jc-8/").content.decode()
    for name in ("applicant_kind", "applicant_valley", "settled_on", "as_of"):
        assert f'name="{name}"' not in html, name
    assert 'data-testid="record-valley">晋城<' in html
    assert 'data-testid="record-settled-on">2025-01-01<' in html
    assert f'data-testid="record-as-of">{timezone.localdate().isoformat()}<' in html


def test_a_jincheng_enterprise_posting_valley_datong_cannot_apply_for_a_datong_measure(cast: Cast) -> None:
    client = cast.client(cast.applicant)
    preview = client.get("/applications/apply/dt-8/").content.decode()
    assert "不能申报" in preview  # the engine box says so before anything is typed
    case = tech_case()
    case["applicant"]["valley"] = "大同"
    response = client.post("/applications/apply/dt-8/submit/", case_post(case, idempotency_key="k-dt"))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="form-errors"' in html
    assert "属于大同晋创谷的政策" in html and "本机构登记在晋城晋创谷" in html
    assert not Application.objects.exists()


def test_a_posted_settled_on_earlier_than_the_records_is_ignored(cast: Cast) -> None:
    """Posted 2025-01-10 would make the 2025-06-01 contract a 入驻企业's; the record says 2025-07-01."""
    cast.organisation.settled_on = dt.date(2025, 7, 1)
    cast.organisation.save()
    client = cast.client(cast.applicant)
    response = client.post("/applications/apply/jc-8/submit/", case_post(tech_case(), idempotency_key="k-early"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "不符合该措施的条件" in html and "入驻企业" in html
    assert not Application.objects.exists()


def test_a_posted_as_of_is_ignored_and_the_record_is_stored(cast: Cast) -> None:
    """A posted 计算基准日 before the contract used to refuse it; the case is judged as of today and
    stored with the record's identity, whatever was posted."""
    case = tech_case()
    case["as_of"] = "2025-01-01"
    case["applicant"].update({"kind": "university", "settled_on": "2020-01-01"})
    client = cast.client(cast.applicant)
    response = client.post("/applications/apply/jc-8/submit/", case_post(case, idempotency_key="k-asof"))
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = Application.objects.get(idempotency_key="k-asof")
    assert stored.engine_max_fen == 240_000_00
    assert stored.case_data["as_of"] == timezone.localdate().isoformat()
    assert stored.case_data["applicant"]["kind"] == "enterprise"
    assert stored.case_data["applicant"]["settled_on"] == "2025-01-01"


def test_one_contract_posted_four_ways_through_the_page_is_one_fact_of_the_record(cast: Cast) -> None:
    client = cast.client(cast.applicant)
    for n, amount in enumerate(("800000", "800000.00", "800,000", " 800000 ")):
        case = tech_case()
        case["events"][0]["amount"] = amount
        response = client.post("/applications/apply/jc-8/submit/", case_post(case, idempotency_key=f"k-w{n}"))
        assert response.status_code == 302, response.content.decode()[:500]
    (fact,) = Fact.objects.filter(organisation=cast.organisation, event_type="tech_contract_registered")
    assert fact.fields["amount"] == 800_000_00
    assert {f.pk for a in Application.objects.all() for f in a.facts.all()} == {fact.pk}
