"""The calculator from the organisation's record: identity and facts from the record, hypothetical events
(假设) added and never saved, platform awards deducted as prior grants (就高不重复); the page and the API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from jinchuang.accounts.models import Role
from jinchuang.calculator.services import calculation_from_record
from jinchuang.policy.vocabulary import OrgKind, Valley
from jinchuang.records.models import Fact
from jinchuang.records.services import award_fact_record, fact_declare
from tests.applications.api.conftest import Api, api_for
from tests.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db

THIS_YEAR = dt.date.today().year
CONTRACT_DAY = f"{THIS_YEAR}-01-15" if dt.date.today() > dt.date(THIS_YEAR, 1, 20) else f"{THIS_YEAR - 1}-06-01"


def contract(amount: str, date: str = CONTRACT_DAY, ref: str = "") -> dict[str, Any]:
    event = {"type": "tech_contract_registered", "date": date, "amount": amount, "mode": "transfer", "role": "buyer"}
    if ref:
        event["ref"] = ref
    return event


@pytest.fixture
def member() -> Any:
    organisation = make_organisation(kind=OrgKind.ENTERPRISE, valley=Valley.JINCHENG, settled_on=dt.date(2024, 10, 1))
    return make_user(organisation=organisation, roles={Role.APPLICANT: ""})


def _row(prefix: str, event: dict[str, Any]) -> dict[str, str]:
    return {f"{prefix}-{k}": str(v) for k, v in event.items()}


def post_record(client: Client, *events: dict[str, Any], **extra: str) -> Any:
    data: dict[str, str] = {"mode": "record", "as_of": dt.date.today().isoformat(), **extra}
    for i, event in enumerate(events):
        data.update(_row(f"ev-{i}", event))
    return client.post("/calculator/", data)


def test_identity_from_the_record_whatever_is_typed(client: Client, member: Any) -> None:
    fact_declare(organisation=member.organisation, event_data=contract("1200000"), actor=member)
    client.force_login(member)
    page = client.get("/calculator/")
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="record-identity"' in html
    assert 'name="applicant_kind"' not in html and 'name="settled_on"' not in html  # nothing to type
    assert "2024-10-01" in html and "档案中的事实" in html
    # a hand-made POST typing another kind, valley and 入驻日期 is judged on the record's identity
    response = post_record(
        client, applicant_kind="university", applicant_valley="大同", settled_on="2030-01-01", applicant_name="假冒"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="record-valley">晋城<' in html
    assert 'data-testid="record-total-晋城">240,000.00<' in html  # jc-8: 20% of 1,200,000, an 入驻企业 of 晋城
    assert "大同" not in html.split('data-testid="record-compare"')[1].split("</table>")[0]


def test_facts_listed_with_labels_and_states_never_codes(client: Client, member: Any) -> None:
    fact_declare(organisation=member.organisation, event_data=contract("1200000"), actor=member)
    client.force_login(member)
    html = client.get("/calculator/").content.decode()
    facts = html.split('data-testid="record-facts"')[1].split("</ul>")[0]
    assert "技术合同登记" in facts or "技术合同" in facts
    assert "待核验" in facts and "1,200,000.00" in facts
    assert "tech_contract_registered" not in facts and "transfer" not in facts and "buyer" not in facts


def test_what_if_adds_and_saves_nothing(client: Client, member: Any) -> None:
    fact_declare(organisation=member.organisation, event_data=contract("1200000"), actor=member)
    client.force_login(member)
    facts_before = Fact.objects.count()
    response = post_record(client, contract("1000000", ref="假设合同"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="record-total-晋城">240,000.00<' in html
    # the cap of jc-8 is 500,000 a year: 240,000 + 200,000 stays below it
    assert 'data-testid="what-if-total-晋城">440,000.00<' in html
    assert 'data-testid="added-jc-8">200,000.00<' in html
    assert 'data-testid="compare-chart"' in html
    assert Fact.objects.count() == facts_before


def test_what_if_past_the_cap_adds_only_up_to_it(member: Any) -> None:
    fact_declare(organisation=member.organisation, event_data=contract("1200000"), actor=member)
    calculation = calculation_from_record(organisation=member.organisation, extra_events=[contract("3000000")])
    jc8 = next(d for d in calculation.differences if d.measure_id == "jc-8")
    assert (jc8.record_amount, jc8.what_if_amount, jc8.added) == (
        Decimal("240000.00"),
        Decimal("500000.00"),
        Decimal("260000.00"),
    )


def test_a_platform_award_is_a_prior_grant(client: Client, member: Any) -> None:
    fact, _ = fact_declare(organisation=member.organisation, event_data=contract("1200000"), actor=member)
    award_fact_record(
        organisation=member.organisation,
        award_ref="AW-1",
        matter="tech_transaction",
        amount_fen=100_000_00,
        date=fact.date,
        policy="晋城技术交易支持",
        actor=None,
        events=[fact.digest],
    )
    calculation = calculation_from_record(organisation=member.organisation)
    jc8 = calculation.result.by_id("jc-8")
    assert jc8.prior_grant_deduction == Decimal("100000.00")
    assert jc8.amount == Decimal("140000.00")
    client.force_login(member)
    html = client.get("/calculator/").content.decode()
    assert "平台奖补" in html and "就高不重复" in html
    html = post_record(client).content.decode()
    assert 'data-testid="deduction-jc-8"' in html and "100,000.00" in html


def test_bad_hypothetical_is_named_beside_its_field(client: Client, member: Any) -> None:
    client.force_login(member)
    response = post_record(client, contract("-5"))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="form-errors"' in html and "events[0]" not in html
    assert Fact.objects.count() == 0


def test_anonymous_and_free_calculator_unchanged(client: Client, member: Any) -> None:
    html = client.get("/calculator/").content.decode()
    assert 'name="applicant_kind"' in html and 'data-testid="record-identity"' not in html
    client.force_login(member)
    html = client.get("/calculator/?free=1").content.decode()
    assert 'name="applicant_kind"' in html and 'data-testid="record-identity"' not in html


# --- API -------------------------------------------------------------------------------------------------


def _documented(response: Any, path: str) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert str(response.status_code) in schema["paths"]["/api/v1" + path]["post"]["responses"], response.status_code


def test_api_from_record(member: Any) -> None:
    fact_declare(organisation=member.organisation, event_data=contract("1200000"), actor=member)
    api = api_for(member)
    before = Fact.objects.count()
    response = api.post("/calculator/from-record", {"extra_events": [contract("1000000")]})
    _documented(response, "/calculator/from-record")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["record_totals"]["晋城"] == {"record": "240000.00", "what_if": "440000.00", "added": "200000.00"}
    assert body["totals"]["晋城"]["eligible"] == "440000.00"
    jc8 = next(d for d in body["differences"] if d["measure"] == "jc-8")
    assert jc8["added"] == "200000.00"
    assert body["record_facts"][0]["state"] == "declared" and body["record_facts"][0]["state_label"] == "待核验"
    assert Fact.objects.count() == before
    plain = api.post("/calculator/from-record", {})
    assert plain.status_code == 200 and plain.json()["record_totals"]["晋城"]["added"] == "0.00"


def test_api_errors_name_the_field(member: Any) -> None:
    api = api_for(member)
    bad = api.post("/calculator/from-record", {"extra_events": [contract("1000000"), contract("-1")]})
    _documented(bad, "/calculator/from-record")
    assert bad.status_code == 400 and bad.json()["error"] == "invalid_case"
    assert "extra_events[1].amount" in {e["field"] for e in bad.json()["errors"]}
    shape = api.post("/calculator/from-record", {"extra_events": "contract"})
    _documented(shape, "/calculator/from-record")
    assert shape.status_code == 422 and shape.json()["errors"][0]["field"] == "extra_events"
    lax = api.post("/calculator/from-record", {"as_of": 0})  # no number read as a date
    assert lax.status_code == 422 and lax.json()["errors"][0]["field"] == "as_of"
    not_object = api.post("/calculator/from-record", [None])
    _documented(not_object, "/calculator/from-record")
    assert not_object.status_code == 422


def test_api_anonymous_401_and_no_organisation_403(db: None) -> None:
    anonymous = Api(None).post("/calculator/from-record", {})
    _documented(anonymous, "/calculator/from-record")
    assert anonymous.status_code == 401
    loner = make_user(roles={Role.EXPERT: ""})
    type(loner).objects.filter(pk=loner.pk).update(organisation=None)  # an account of no organisation
    loner.refresh_from_db()
    forbidden = api_for(loner).post("/calculator/from-record", {})
    _documented(forbidden, "/calculator/from-record")
    assert forbidden.status_code == 403 and forbidden.json()["errors"][0]["message"]
