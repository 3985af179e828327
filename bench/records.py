"""W6 / W7: the organisation record under load, each in a fresh child process with its own SQLite file.

    python -m bench.records w6 DB --orgs N [--facts 10] [--profile FILE]
    python -m bench.records w7 DB [--facts 200] [--requests 50]

W6 builds N organisations with ``--facts`` verified facts each (bulk_create, facts in canonical form
through ``records.services.normalise_event``), then times the catalog-change path end to end:
``applications.jobs.reevaluation_enqueue_all(digest)`` + ``tasks.services.run_pending()``. Peak RSS is
the child's VmHWM, reset just before that path (bench/child.py). The same-run reference: the pure
engine (``parse_case`` + ``evaluate`` on the organisation's valley, no database) on the same record
cases, read back from the database afterwards (not timed).

W7 builds one organisation with ``--facts`` facts through the record's services (declared, verified,
some superseded, evidence on some) and one with none, and times ``GET /records/`` (its member) and
``GET /records/<id>/`` (an officer) through Django's WSGI handler.

Each prints one JSON line. Nothing here is imported by the project.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import io
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

BATCH = 5_000


def setup_django(db: Path) -> None:
    """Point the project at a fresh SQLite file (and a media directory beside it) and migrate it."""
    if db.exists():
        db.unlink()
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("MEDIA_ROOT", str(db.parent / f"{db.stem}-media"))
    os.environ["DJANGO_DEBUG"] = "0"  # DEBUG keeps every query in memory
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,localhost"  # the test client's host
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + "x" * 50)
    os.environ["DJANGO_SETTINGS_MODULE"] = "jinchuang.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _status(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> str:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return "process lifetime (incl. building the database)"
    return "the timed path only (database already built)"


# --- a seeded record: organisations and events in the case format -----------------------------------


def _value(rng: random.Random, name: str, ftype: str, options: Mapping[str, str] | None, kind: str) -> Any:
    from jinchuang.policy import synthetic as syn

    if ftype == "money":
        median = syn.MONEY_MEDIAN.get(name, 400_000)
        fen = round(min(rng.lognormvariate(0, 1.1) * median, 5e9) * 100)
        return str(Decimal(max(fen, 1)) / 100)
    if ftype == "ratio":
        return rng.choice(("0.3", "0.35", "0.45", "0.5"))
    if ftype == "int":
        return rng.choice(syn.INT_CHOICES.get(name, [0, 1, 2, 3, 5]))
    if ftype == "bool":
        return rng.random() < syn.BOOL_TRUE.get(name, 0.85)
    if options:
        if name == "role" and "buyer" in options:  # a technology contract: who the organisation is in it
            if kind == "intermediary":
                return "broker"
            return "buyer" if kind == "enterprise" else rng.choice(("seller", "broker"))
        weights = syn.WEIGHTED_OPTIONS.get(name)
        if weights and all(o in options for o in weights):
            return rng.choices(list(weights), weights=list(weights.values()))[0]
        return rng.choice(list(options))
    return f"样本{name}{rng.randrange(1000)}"


def org_events(rng: random.Random, kind: str, count: int, today: dt.date) -> list[dict[str, Any]]:
    """``count`` events in the case format for an organisation of ``kind``: event types in the
    proportions of ``policy.synthetic.RATES`` (every other type at its OTHER_RATE), dated in the two
    years up to ``today``; a few optional fields left out, as in the synthetic population."""
    from jinchuang.policy import synthetic as syn
    from jinchuang.policy.catalog import default_catalog
    from jinchuang.policy.vocabulary import OrgKind

    vocabulary = default_catalog().vocabulary
    rates = syn.RATES.get(OrgKind(kind), {})
    types = list(vocabulary)
    weights = [rates.get(t, syn.OTHER_RATE) for t in types]
    events = []
    for event_type in rng.choices(types, weights=weights, k=count):
        spec = vocabulary[event_type]
        event: dict[str, Any] = {
            "type": event_type,
            "date": (today - dt.timedelta(days=rng.randrange(730))).isoformat(),
        }
        for name, f in spec.fields.items():
            if not f.required and rng.random() < 0.03:
                continue
            event[name] = _value(rng, name, f.type, f.options, kind)
        events.append(event)
    return events


def organisations(rng: random.Random, n: int, today: dt.date) -> list[dict[str, Any]]:
    from jinchuang.policy import synthetic as syn

    kinds = rng.choices([k.value for k in syn.KIND_SHARES], weights=list(syn.KIND_SHARES.values()), k=n)
    valleys = rng.choices([v.value for v in syn.VALLEY_SHARES], weights=list(syn.VALLEY_SHARES.values()), k=n)
    return [
        {
            "name": f"基准机构{i:06d}",
            "kind": kinds[i],
            "valley": valleys[i],
            "settled_on": today - dt.timedelta(days=730 + rng.randrange(730)),
        }
        for i in range(n)
    ]


def build_verified_record(n_orgs: int, facts_per_org: int, seed: int = 6) -> dict[str, Any]:
    """``n_orgs`` organisations with ``facts_per_org`` distinct verified facts each, by bulk_create (no
    services, no signals, no audit rows: this is the state a department's lists leave behind), and one
    applicant each (who is notified of the offers; no usable password)."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from jinchuang.accounts.models import Organisation, Role, User, UserRole
    from jinchuang.records.models import Fact, FactState, Provenance
    from jinchuang.records.services import normalise_event

    rng = random.Random(seed)
    today = timezone.localdate()
    now = timezone.now()
    t0 = time.perf_counter()
    specs = organisations(rng, n_orgs, today)
    facts_total = 0
    for start in range(0, n_orgs, BATCH):
        chunk = specs[start : start + BATCH]
        with transaction.atomic():
            orgs = Organisation.objects.bulk_create([Organisation(**s) for s in chunk])
            users = User.objects.bulk_create(
                [
                    User(
                        username=f"bench{start + i}",
                        display_name=f"申报人{start + i}",
                        organisation=org,
                        password=make_password(None),
                    )
                    for i, org in enumerate(orgs)
                ]
            )
            UserRole.objects.bulk_create([UserRole(user=u, role=Role.APPLICANT) for u in users])
            rows: list[Fact] = []
            for org in orgs:
                seen: set[str] = set()
                while len(seen) < facts_per_org:
                    for event in org_events(rng, org.kind, facts_per_org - len(seen), today):
                        event_type, date, fields, digest, ref = normalise_event(event)
                        if digest in seen:
                            continue
                        seen.add(digest)
                        rows.append(
                            Fact(
                                organisation=org,
                                event_type=event_type,
                                date=date,
                                fields=fields,
                                digest=digest,
                                ref=ref,
                                provenance=Provenance.IMPORTED,
                                source="基准测试部门名单",
                                state=FactState.VERIFIED,
                                decided_at=now,
                            )
                        )
            Fact.objects.bulk_create(rows, batch_size=BATCH)
            facts_total += len(rows)
    return {"orgs": n_orgs, "facts": facts_total, "build_s": time.perf_counter() - t0}


# --- W6 ----------------------------------------------------------------------------------------------


def w6(db: Path, n_orgs: int, facts_per_org: int, profile: Path | None) -> dict[str, Any]:
    setup_django(db)
    built = build_verified_record(n_orgs, facts_per_org)
    from jinchuang.applications.jobs import REEVALUATE_BATCH, reevaluation_enqueue_all
    from jinchuang.applications.models import Offer
    from jinchuang.policy.catalog import default_catalog
    from jinchuang.tasks.models import Job, JobState
    from jinchuang.tasks.services import run_pending

    digest = default_catalog().digest
    gc.collect()
    rss_before = _status("VmRSS")
    scope = _reset_peak()
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    t0 = time.perf_counter()
    jobs = reevaluation_enqueue_all(digest)
    t1 = time.perf_counter()
    ran = run_pending()
    t2 = time.perf_counter()
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
    peak = _status("VmHWM")
    batches = Job.objects.filter(name=REEVALUATE_BATCH)
    failed = batches.exclude(state=JobState.DONE).count()
    offers = Offer.objects.count()
    engine = engine_reference()
    return {
        **built,
        "jobs": jobs,
        "ran": ran,
        "failed": failed,
        "enqueue_s": t1 - t0,
        "run_s": t2 - t1,
        "wall_s": t2 - t0,
        "orgs_per_s": n_orgs / (t2 - t0),
        "offers": offers,
        "offer_orgs": Offer.objects.values("organisation").distinct().count(),
        "rss_before_mb": rss_before,
        "peak_mb": peak,
        "peak_scope": scope,
        **engine,
    }


def engine_reference() -> dict[str, Any]:
    """The pure engine on the same cases: every organisation's verified record as the re-evaluation
    builds it (``record_case(..., verified_only=True)`` on today), read back from the database without
    timing; timed: ``parse_case`` + ``evaluate`` on the organisation's valley, without explanation, as
    ``calculator.services.calculation_run`` does. Also counts the (measure, organisation) pairs the
    engine finds payable, the upper bound of the offers."""
    from django.utils import timezone

    from jinchuang.accounts.models import Organisation
    from jinchuang.policy.case import parse_case
    from jinchuang.policy.catalog import default_catalog
    from jinchuang.policy.evaluate import evaluate
    from jinchuang.policy.results import Status
    from jinchuang.policy.schema import Valley
    from jinchuang.records.models import Fact, FactState
    from jinchuang.records.selectors import case_from_facts

    today = timezone.localdate()
    catalog = default_catalog()
    by_org: dict[int, list[Fact]] = {}
    for fact in Fact.objects.filter(state=FactState.VERIFIED).order_by("date", "pk").iterator(chunk_size=BATCH):
        by_org.setdefault(fact.organisation_id, []).append(fact)
    cases = [
        (case_from_facts(org, by_org.get(org.pk, []), as_of=today, verified_only=True).case_data, Valley(org.valley))
        for org in Organisation.objects.order_by("pk").iterator(chunk_size=BATCH)
    ]
    del by_org
    payable = 0
    t0 = time.perf_counter()
    for data, valley in cases:
        result = evaluate(parse_case(data, catalog), catalog, [valley], explain=False)
        payable += sum(
            1 for m in result.measures if m.status in (Status.ELIGIBLE, Status.NEEDS_REVIEW) and m.amount > 0
        )
    engine_s = time.perf_counter() - t0
    return {"engine_s": engine_s, "engine_orgs_per_s": len(cases) / engine_s, "engine_payable": payable}


# --- W7 ----------------------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n% bench evidence\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def build_page_record(facts: int, seed: int = 7) -> dict[str, Any]:
    """Two enterprises of one valley (one with ``facts`` facts, one with none), a member of each and an
    administrator. Facts through the record's services: about 40% declared by the member, the rest
    entered by the officer (verified), some declared then verified, 1 in 20 corrected (superseded), one
    in 8 with a PDF evidence file."""
    from django.utils import timezone

    from jinchuang.accounts.models import Role
    from jinchuang.accounts.services import organisation_create, user_create
    from jinchuang.records.evidence import evidence_upload
    from jinchuang.records.models import Fact
    from jinchuang.records.services import fact_declare, fact_enter, fact_supersede, fact_verify

    rng = random.Random(seed)
    today = timezone.localdate()
    settled = today - dt.timedelta(days=1000)
    full = organisation_create(
        actor=None, name="基准机构(多事实)", kind="enterprise", valley="晋城", settled_on=settled
    )
    empty = organisation_create(
        actor=None, name="基准机构(无事实)", kind="enterprise", valley="晋城", settled_on=settled
    )
    password = "bench-correct-horse-9"
    member = user_create(
        actor=None, username="member", password=password, organisation=full, roles={Role.APPLICANT: ""}
    )
    empty_member = user_create(
        actor=None, username="member0", password=password, organisation=empty, roles={Role.APPLICANT: ""}
    )
    government = organisation_create(actor=None, name="基准政府部门", kind="government", valley="晋城")
    officer = user_create(
        actor=None, username="officer", password=password, organisation=government, roles={Role.ADMIN: ""}
    )
    made: list[Fact] = []
    while len(made) < facts:
        (event,) = org_events(rng, "enterprise", 1, today)
        evidence = ()
        if rng.random() < 0.125:
            evidence = (
                evidence_upload(
                    file=io.BytesIO(PDF), original_name=f"证明{len(made)}.pdf", actor=member, organisation=full
                ),
            )
        roll = rng.random()
        if roll < 0.4:
            fact, created = fact_declare(organisation=full, event_data=event, actor=member, evidence=evidence)
        else:
            fact, created = fact_enter(
                organisation=full, event_data=event, actor=officer, note="依据部门名单录入", evidence=evidence
            )
        if not created:
            continue
        if 0.3 <= roll < 0.4:
            fact = fact_verify(fact=fact, actor=officer, note="已核对原件")
        made.append(fact)
    superseded = 0
    for fact in made[::20]:
        (event,) = org_events(rng, "enterprise", 1, today)
        event["type"], event["date"] = fact.event_type, fact.date.isoformat()
        try:
            fact_supersede(fact=fact, event_data={**event}, actor=officer, reason="金额更正")
        except Exception:
            continue
        superseded += 1
    return {
        "organisation": full.pk,
        "empty": empty.pk,
        "member": member.pk,
        "empty_member": empty_member.pk,
        "officer": officer.pk,
        "facts": Fact.objects.filter(organisation=full).count(),
        "superseded": superseded,
        "evidence": Fact.evidence.through.objects.filter(fact__organisation=full).count(),
    }


def time_get(user_id: int, path: str, warmup: int, requests: int, profile: Path | None = None) -> dict[str, Any]:
    """Server time of ``requests`` GETs after ``warmup`` (the test client calls the WSGI handler with
    every middleware; no network). With ``profile``, the timed requests run under cProfile."""
    from django.test import Client

    from jinchuang.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(pk=user_id))
    size = 0
    for _ in range(warmup):
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} answered {response.status_code}")
        size = len(response.content)
    samples = []
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    for _ in range(requests):
        t0 = time.perf_counter_ns()
        response = client.get(path)
        samples.append(time.perf_counter_ns() - t0)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} answered {response.status_code}")
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
    ms = sorted(s / 1e6 for s in samples)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return {"p50_ms": statistics.median(ms), "p95_ms": p95, "bytes": size}


def w7(db: Path, facts: int, requests: int, warmup: int, profile: Path | None = None) -> dict[str, Any]:
    setup_django(db)
    t0 = time.perf_counter()
    built = build_page_record(facts)
    build_s = time.perf_counter() - t0
    org, empty = built["organisation"], built["empty"]
    return {
        **built,
        "build_s": build_s,
        "requests": requests,
        "pages": {
            "mine": time_get(built["member"], "/records/", warmup, requests, profile),
            "mine_empty": time_get(built["empty_member"], "/records/", warmup, requests),
            "officer": time_get(built["officer"], f"/records/{org}/", warmup, requests),
            "officer_empty": time_get(built["officer"], f"/records/{empty}/", warmup, requests),
        },
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("workload", choices=("w6", "w7"))
    parser.add_argument("db", type=Path)
    parser.add_argument("--orgs", type=int, default=2_000)
    parser.add_argument("--facts", type=int)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--profile", type=Path)
    args = parser.parse_args(argv)
    run: Callable[[], dict[str, Any]]
    if args.workload == "w6":
        run = lambda: w6(args.db, args.orgs, args.facts or 10, args.profile)  # noqa: E731
    else:
        run = lambda: w7(args.db, args.facts or 200, args.requests, args.warmup, args.profile)  # noqa: E731
    out = run()
    print(json.dumps(out, default=str))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
