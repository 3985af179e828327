"""由个人申报: what the people an organisation hires may claim themselves (大同 第十七、十八条 pay the person).

Regression (issue 10, wrong text): the calculator dropped these measures for an enterprise that hires a
PhD (they are not applicable to the enterprise), so an HR officer missed up to 200,000 yuan per PhD; and
the months of 第十七/十八条 were shown as money ("最高 36.00 元")."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.test import Client

from jinchuang.policy.case import parse_case
from jinchuang.policy.catalog import default_catalog
from jinchuang.policy.evaluate import evaluate
from jinchuang.policy.person_paid import person_claims
from jinchuang.policy.results import Status
from jinchuang.policy.vocabulary import Valley
from tests.code_tokens import code_tokens, page_text

PHD = {
    "type": "person_hired",
    "date": "2025-06-01",
    "degree": "phd",
    "full_time": True,
    "contract_years": 3,
    "social_insurance_months": 6,
    "months": 12,
    "full_time_degree": True,
    "housing": "purchase",
}


def _case(*events: dict[str, Any], kind: str = "enterprise", valley: str = "大同") -> Any:
    data = {"as_of": "2025-12-31", "applicant": {"kind": kind, "valley": valley}, "events": list(events)}
    return parse_case(data, default_catalog())


def test_a_phd_hired_by_an_enterprise_claims_datong_17_and_18_himself() -> None:
    catalog = default_catalog()
    case = _case(PHD)
    claims = {c.result.measure_id: c for c in person_claims(case, catalog, [Valley.DATONG])}
    assert set(claims) == {"dt-17", "dt-18"}
    assert claims["dt-17"].amount == Decimal("200000.00")  # 购房补贴 博士 20 万元
    assert claims["dt-18"].amount == Decimal("110000.00")  # 生活补贴 5000 元/月 x 12 + 学费补贴 5 万元
    assert all(c.result.status is Status.ELIGIBLE and c.event_index == 0 for c in claims.values())
    # judged for the enterprise they stay not applicable, and never reach its total
    result = evaluate(case, catalog, [Valley.DATONG])
    assert result.by_id("dt-17").status is Status.NOT_ELIGIBLE
    assert result.total("大同") == sum(
        (m.amount for m in result.measures if m.status is Status.ELIGIBLE), Decimal("0.00")
    )


def test_one_claim_per_person_and_the_clause_conditions_still_apply() -> None:
    renter = {**PHD, "housing": "rent", "months": 40}  # 租房补贴 at most 36 months
    master_not_renowned = {**PHD, "degree": "master", "renowned_university": False}
    claims = person_claims(_case(PHD, renter, master_not_renowned), default_catalog(), [Valley.DATONG])
    by_person = {(c.event_index, c.result.measure_id): c.amount for c in claims}
    assert by_person[(0, "dt-17")] == Decimal("200000.00")
    assert by_person[(1, "dt-17")] == Decimal("36000.00")  # 1,000 元/月 x 36 months, not 40
    assert by_person[(1, "dt-18")] == Decimal("230000.00")  # 5,000 x 36 + 50,000
    assert not [k for k in by_person if k[0] == 2]  # 硕士 must come from a 国内外知名高校


def test_a_person_applicant_and_other_valleys_get_no_duplicate_claims() -> None:
    catalog = default_catalog()
    assert person_claims(_case(PHD, kind="person"), catalog, [Valley.DATONG]) == []
    claims = person_claims(_case(PHD), catalog, list(Valley))
    assert {c.valley for c in claims} == {"大同"}  # no other valley has a person-only clause for a hire


FORM = {
    "as_of": "2025-12-31",
    "applicant_kind": "enterprise",
    "applicant_valley": "大同",
    "settled_on": "2025-01-01",
    "ev-0-type": "person_hired",
    "ev-0-date": "2025-06-01",
    "ev-0-degree": "phd",
    "ev-0-full_time": "true",
    "ev-0-contract_years": "3",
    "ev-0-social_insurance_months": "6",
    "ev-0-months": "12",
    "ev-0-full_time_degree": "true",
    "ev-0-housing": "purchase",
    "scope": "",
}


def test_the_page_shows_the_person_paid_measures_as_by_the_person_with_their_amounts(client: Client) -> None:
    r = client.post("/calculator/", FORM)
    assert r.status_code == 200
    html = r.content.decode()
    assert 'data-testid="person-paid-dt-17">由个人申报<' in html
    assert 'data-testid="person-paid-dt-18">由个人申报<' in html
    assert 'data-testid="amount-dt-17">200,000.00<' in html
    assert 'data-testid="amount-dt-18">110,000.00<' in html
    assert "同政办规〔2024〕4号 第十七条" in html and "同政办规〔2024〕4号 第十八条" in html
    # the person's money is told apart from the enterprise's
    assert re.search(r'data-testid="person-total-大同">[^<]*310,000.00 元', html)
    assert 'data-testid="apply-dt-17"' not in html  # the enterprise does not apply for it
    # 36 is months: never shown as money
    assert "36.00 元" not in html


def test_the_five_valley_comparison_has_a_person_column(client: Client) -> None:
    html = client.post("/calculator/", {**FORM, "scope": "all"}).content.decode()
    assert 'data-testid="person-大同">310,000.00 元<' in html
    assert 'data-testid="person-晋城">0.00 元<' in html


def test_jincheng_11_needs_review_up_to_200000_in_the_comparison(client: Client) -> None:
    """Wrong text: 晋城 showed 0 for 高层次人才 although 第11条 gives up to 200,000 after review."""
    hire = {**FORM, "applicant_valley": "晋城", "ev-0-talent_level": "high_level", "scope": "all"}
    html = client.post("/calculator/", hire).content.decode()
    card = html[html.index('data-testid="measure-jc-11"') :]
    card = card[: card.index("</article>")]
    assert "需评审，最高 20 万元" in card
    assert 'data-testid="amount-jc-11">200,000.00<' in card
    assert not re.search(r'data-testid="review-晋城">0.00 元<', html)


def test_the_result_page_reads_as_sentences_without_code(client: Client) -> None:
    html = client.post("/calculator/", {**FORM, "scope": "all"}).content.decode()
    text = page_text(html)
    assert code_tokens(text) == [], code_tokens(text)[:10]


def test_the_api_returns_the_person_claims_apart_from_the_organisations_totals(client: Client) -> None:
    import json

    case = {"as_of": "2025-12-31", "applicant": {"kind": "enterprise", "valley": "大同"}, "events": [PHD]}
    response = client.post("/api/v1/calculate", json.dumps({"case": case}), content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    claims = {c["measure"]["measure"]: c for c in body["person_claims"]}
    assert set(claims) == {"dt-17", "dt-18"}
    assert claims["dt-17"]["measure"]["amount"] == "200000.00" and claims["dt-17"]["event_index"] == 0
    assert claims["dt-18"]["measure"]["amount"] == "110000.00"
    organisation = {m["measure"]: m for m in body["measures"]}
    assert organisation["dt-17"]["status"] != "eligible"  # the enterprise itself is not paid
    eligible = sum(Decimal(m["amount"]) for m in body["measures"] if m["status"] == "eligible")
    assert Decimal(body["totals"]["大同"]["eligible"]) == eligible
