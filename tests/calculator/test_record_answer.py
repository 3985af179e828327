"""The answer from the organisation's record: what to do next is 免申即享 when every fact the amount rests
on is verified (the platform offers it by itself), 申报 otherwise; the record's hires show 由个人申报."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from jinchuang.policy.vocabulary import Valley
from jinchuang.records.services import fact_declare, fact_verify
from tests.applications.conftest import make_cast

pytestmark = pytest.mark.django_db

DAY = dt.date.today() - dt.timedelta(days=30)
CONTRACT = {"type": "tech_contract_registered", "date": DAY.isoformat(), "amount": "1200000", "mode": "transfer"}
PHD = {
    "type": "person_hired",
    "date": DAY.isoformat(),
    "degree": "phd",
    "full_time": True,
    "contract_years": 3,
    "social_insurance_months": 6,
    "months": 12,
    "full_time_degree": True,
    "housing": "purchase",
}


def _compute(client: Client, user: Any) -> str:
    client.force_login(user)
    response = client.post("/calculator/", {"mode": "record", "as_of": dt.date.today().isoformat(), "scope": ""})
    assert response.status_code == 200
    return response.content.decode()


def _card(html: str, measure_id: str) -> str:
    card = html[html.index(f'data-testid="measure-{measure_id}"') :]
    return card[: card.index("</article>")]


def test_a_verified_fact_is_free_to_claim_a_declared_one_is_applied_for(client: Client) -> None:
    cast = make_cast(valley=Valley.DATONG, settled_on=dt.date(2024, 1, 1))
    contract, _ = fact_declare(
        organisation=cast.organisation, event_data={**CONTRACT, "role": "buyer"}, actor=cast.applicant
    )
    card = _card(_compute(client, cast.applicant), "dt-8")
    assert 'data-testid="apply-dt-8"' in card and 'data-testid="auto-dt-8"' not in card
    fact_verify(fact=contract, actor=cast.agent, note="合同登记表已核对")
    card = _card(_compute(client, cast.applicant), "dt-8")
    assert 'data-testid="auto-dt-8">免申即享<' in card and 'data-testid="apply-dt-8"' not in card
    assert 'href="/applications/offers/"' in card


def test_the_records_hire_shows_what_the_phd_claims_himself(client: Client) -> None:
    cast = make_cast(valley=Valley.DATONG, settled_on=dt.date(2024, 1, 1))
    fact_declare(organisation=cast.organisation, event_data=PHD, actor=cast.applicant)
    html = _compute(client, cast.applicant)
    for measure_id, amount in (("dt-17", "200,000.00"), ("dt-18", "110,000.00")):
        card = _card(html, measure_id)
        assert f'data-testid="person-paid-{measure_id}">由个人申报<' in card
        assert f'data-testid="amount-{measure_id}">{amount}<' in card
        assert f'data-testid="apply-{measure_id}"' not in card and f'data-testid="auto-{measure_id}"' not in card
