"""免申即享 through the pages: an officer records facts, the enterprise confirms the offer it gets."""

from __future__ import annotations

from jinchuang.applications.models import Application, Offer, OfferState
from jinchuang.applications.workflow import State
from tests.applications.web.conftest import Cast

FACTS = {
    "as_of": "2025-12-31",
    "applicant_kind": "enterprise",
    "applicant_valley": "晋城",
    "settled_on": "2025-01-01",
    "ev-0-type": "tech_contract_registered",
    "ev-0-date": "2025-06-01",
    "ev-0-amount": "1200000",
    "ev-0-mode": "transfer",
    "ev-0-role": "buyer",
}


def test_officer_records_facts_and_the_enterprise_confirms(cast: Cast) -> None:
    reviewer = cast.client(cast.reviewer)
    page = reviewer.get(f"/applications/offers/new/?organisation={cast.organisation.pk}").content.decode()
    assert cast.organisation.name in page and "生成免申即享" in page
    response = reviewer.post(f"/applications/offers/new/?organisation={cast.organisation.pk}", FACTS)
    assert response.status_code == 302
    offer = Offer.objects.get(organisation=cast.organisation, measure_id="jc-8")
    assert offer.engine_max_fen == 240_000_00 and offer.state == OfferState.OPEN
    # the same facts again create no second open offer for the measure
    reviewer.post(f"/applications/offers/new/?organisation={cast.organisation.pk}", FACTS)
    assert Offer.objects.filter(organisation=cast.organisation, measure_id="jc-8").count() == 1

    applicant = cast.client(cast.applicant)
    listing = applicant.get("/applications/offers/").content.decode()
    assert f'data-testid="confirm-{offer.pk}"' in listing and "240,000.00" in listing
    # another enterprise neither sees nor confirms it
    other = cast.client(cast.other_applicant)
    assert f'data-testid="offer-{offer.pk}"' not in other.get("/applications/offers/").content.decode()
    assert other.post(f"/applications/offers/{offer.pk}/confirm/").status_code == 404

    response = applicant.post(f"/applications/offers/{offer.pk}/confirm/")
    application = Application.objects.get(organisation=cast.organisation, measure_id="jc-8")
    assert response.status_code == 302 and response["Location"] == f"/applications/{application.pk}/"
    assert application.state == State.SUBMITTED
    applicant.post(f"/applications/offers/{offer.pk}/confirm/")  # a second click submits nothing new
    assert Application.objects.filter(organisation=cast.organisation, measure_id="jc-8").count() == 1


def test_bad_facts_are_named_and_only_officers_record_facts(cast: Cast) -> None:
    reviewer = cast.client(cast.reviewer)
    response = reviewer.post(
        f"/applications/offers/new/?organisation={cast.organisation.pk}", {**FACTS, "ev-0-amount": "-5"}
    )
    assert response.status_code == 400 and "金额不能为负数" in response.content.decode()
    assert not Offer.objects.exists()
    assert cast.client(cast.applicant).get("/applications/offers/new/").status_code == 403
