"""免申即享 that runs by itself: a verified fact → a background job re-evaluates the organisation → an
offer for each newly eligible measure, never twice on the same facts; a catalog change reaches every
organisation through batch jobs keyed by the catalog's digest."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command

from jinchuang.applications.models import Notification, Offer
from jinchuang.applications.offers import offer_confirm
from jinchuang.applications.services import application_transition
from jinchuang.policy.vocabulary import Valley
from jinchuang.records.services import fact_declare, fact_verify
from jinchuang.tasks.models import Job
from jinchuang.tasks.services import run_pending
from tests.applications.conftest import Cast, make_cast

pytestmark = pytest.mark.django_db

HIGH_TECH = {"type": "certification_granted", "date": "2025-11-20", "cert": "high_tech"}


@pytest.fixture
def linfen() -> Cast:
    return make_cast(valley=Valley.LINFEN, settled_on=dt.date(2024, 3, 1))


def _declare_and_verify(cast: Cast, capture: Any, event: dict[str, Any] | None = None) -> None:
    fact, _ = fact_declare(organisation=cast.organisation, event_data=event or HIGH_TECH, actor=cast.applicant)
    with capture(execute=True):
        fact_verify(fact=fact, actor=cast.agent, note="核对认定证书")


def test_a_verified_fact_gives_an_offer_through_a_background_job(
    linfen: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    _declare_and_verify(linfen, django_capture_on_commit_callbacks)
    assert Job.objects.filter(name="offers.reevaluate", state="ready").count() == 1
    assert not Offer.objects.exists()  # not run yet: the worker does it
    run_pending()
    (offer,) = Offer.objects.filter(organisation=linfen.organisation)
    assert (offer.measure_id, offer.engine_max_fen, offer.state) == ("lf-cx-5", 10_000_000, "open")
    assert [f.event_type for f in offer.facts.all()] == ["certification_granted"]
    (notice,) = Notification.objects.filter(user=linfen.applicant, text__contains="免申即享")
    assert "科技创新·五" in notice.text and "100,000.00" in notice.text  # the clause and the amount


def test_the_same_measure_is_never_offered_twice_on_the_same_facts(
    linfen: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    _declare_and_verify(linfen, django_capture_on_commit_callbacks)
    run_pending()
    offer = Offer.objects.get()
    application = offer_confirm(offer=offer, actor=linfen.applicant)
    application_transition(application=application, transition="withdraw", actor=linfen.applicant)
    # another state of the record (an unrelated verified fact) → a new job, but no new lf-cx-5 offer
    _declare_and_verify(
        linfen, django_capture_on_commit_callbacks, {"type": "rd_spending", "date": "2025-12-31", "amount": "1000"}
    )
    run_pending()
    assert Offer.objects.filter(measure_id="lf-cx-5").count() == 1


def test_a_catalog_refresh_enqueues_batches_once_per_catalog(
    linfen: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    _declare_and_verify(linfen, django_capture_on_commit_callbacks)
    Job.objects.all().delete()  # as if the organisation had never been judged
    call_command("offers_refresh", batch=1)
    call_command("offers_refresh", batch=1)
    assert Job.objects.filter(name="offers.reevaluate_batch").count() == 1
    run_pending()
    assert Offer.objects.filter(organisation=linfen.organisation, measure_id="lf-cx-5").count() == 1
    assert Job.objects.get(name="offers.reevaluate_batch").result == {"organisations": 1, "offers": 1}
