"""W6 / W7 (bench/records.py): the seeded record is valid and the re-evaluation path it times gives the
offers the engine finds, in the project's own test database at tiny sizes. Not timed tests: they check
that what the benchmark measures is the real path and that its figures are counts, not guesses."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.test import Client

from bench import records as bench_records
from jinchuang.applications.jobs import REEVALUATE_BATCH, reevaluation_enqueue_all
from jinchuang.applications.models import Offer
from jinchuang.policy.catalog import default_catalog
from jinchuang.records.models import Fact, FactState
from jinchuang.records.services import normalise_event
from jinchuang.tasks.models import Job, JobState
from jinchuang.tasks.services import run_pending

pytestmark = pytest.mark.django_db


def test_generated_events_are_valid_and_seeded() -> None:
    today = dt.date(2026, 12, 1)
    one = bench_records.org_events(random.Random(3), "enterprise", 60, today)
    again = bench_records.org_events(random.Random(3), "enterprise", 60, today)
    assert one == again
    types = {e["type"] for e in one}
    assert len(types) > 3  # a mix, not one type
    for event in one:
        event_type, date, fields, digest, _ref = normalise_event(event)  # raises on a bad field
        assert event_type in default_catalog().vocabulary and date <= today and len(digest) == 24
        assert all(not isinstance(v, float) for v in fields.values())  # money in integer fen, never float


def test_reevaluation_path_gives_the_offers_the_engine_finds() -> None:
    built = bench_records.build_verified_record(40, 10, seed=2)
    assert built["facts"] == 400
    assert Fact.objects.filter(state=FactState.VERIFIED).count() == 400
    assert all(len(v) == 10 for v in _digests_by_org().values())  # distinct facts per organisation
    jobs = reevaluation_enqueue_all(default_catalog().digest, batch=15)
    assert jobs == 3
    assert run_pending() == 3
    assert not Job.objects.filter(name=REEVALUATE_BATCH).exclude(state=JobState.DONE).exists()
    engine = bench_records.engine_reference()
    offers = Offer.objects.count()
    assert engine["engine_payable"] > 0 and offers == engine["engine_payable"]
    # the same catalog again: nothing new
    assert reevaluation_enqueue_all(default_catalog().digest, batch=15) == 3
    run_pending()
    assert Offer.objects.count() == offers


def _digests_by_org() -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    for org, digest in Fact.objects.values_list("organisation_id", "digest"):
        out.setdefault(org, set()).add(digest)
    return out


def test_page_record_is_mixed_and_pages_answer(settings: object) -> None:
    built = bench_records.build_page_record(24, seed=5)
    facts = Fact.objects.filter(organisation_id=built["organisation"])
    states = set(facts.values_list("state", flat=True))
    assert {FactState.DECLARED, FactState.VERIFIED, FactState.SUPERSEDED} <= states
    assert built["superseded"] >= 1 and built["evidence"] >= 1
    assert not Fact.objects.filter(organisation_id=built["empty"]).exists()
    for user, path in (
        (built["member"], "/records/"),
        (built["officer"], f"/records/{built['organisation']}/"),
    ):
        timing = bench_records.time_get(user, path, warmup=1, requests=3)
        assert timing["p50_ms"] > 0 and timing["p95_ms"] >= timing["p50_ms"] and timing["bytes"] > 1000
    client = Client()
    from jinchuang.accounts.models import User

    client.force_login(User.objects.get(pk=built["member"]))
    page = client.get("/records/").content.decode()
    assert "待核验" in page and "已核验" in page
