"""免申即享: offers from facts the platform holds, confirmed into a submitted application."""

from __future__ import annotations

from typing import Any

import pytest

from jinchuang.applications.errors import TransitionPermissionDenied
from jinchuang.applications.models import Offer, OfferState
from jinchuang.applications.offers import offer_confirm, offer_create_from_facts
from jinchuang.applications.workflow import State
from tests.applications.conftest import Cast, submit, tech_transfer_case

pytestmark = pytest.mark.django_db


def facts() -> dict[str, Any]:
    case = tech_transfer_case()
    case["events"].append(
        {"type": "platform_approved", "date": "2025-05-01", "platform": "national_key_lab", "level": "national"}
    )
    return case


def test_offers_for_every_eligible_measure_not_applied_for(cast: Cast) -> None:
    submit(cast)  # jc-8 already applied for
    offers = offer_create_from_facts(organisation=cast.organisation, case_data=facts(), actor=cast.reviewer)
    assert [o.measure_id for o in offers] == ["jc-4"]
    assert offers[0].engine_max_fen == 1_000_000_00
    assert offer_create_from_facts(organisation=cast.organisation, case_data=facts(), actor=cast.reviewer) == []


def test_confirming_an_offer_submits_once(cast: Cast) -> None:
    (offer, *_rest) = offer_create_from_facts(organisation=cast.organisation, case_data=facts(), actor=cast.reviewer)
    application = offer_confirm(offer=offer, actor=cast.applicant)
    assert application.state == State.SUBMITTED and application.measure_id == offer.measure_id
    assert offer_confirm(offer=offer, actor=cast.applicant).pk == application.pk
    assert Offer.objects.get(pk=offer.pk).state == OfferState.CONFIRMED


def test_only_officers_create_and_only_the_organisation_confirms(cast: Cast) -> None:
    with pytest.raises(TransitionPermissionDenied):
        offer_create_from_facts(organisation=cast.organisation, case_data=facts(), actor=cast.applicant)
    offer = offer_create_from_facts(organisation=cast.organisation, case_data=facts(), actor=cast.agent)[0]
    with pytest.raises(TransitionPermissionDenied):
        offer_confirm(offer=offer, actor=cast.other_applicant)
    assert Offer.objects.get(pk=offer.pk).state == OfferState.OPEN
