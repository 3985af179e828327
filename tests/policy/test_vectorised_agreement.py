"""Property: the vectorised (Polars) evaluator agrees with the exact per-case evaluator to the fen.

100,000 seeded boundary cases by default (JINCHUANG_AGREEMENT_CASES to change), every cash measure
of all five valleys, caps, instalments, prior grants and 就高不重复 included.  The cases come in
chunks of 5,000, each generated once from its own seed in a worker process that runs both
evaluators on it, so nothing is generated twice and nothing is sent between processes but results.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from decimal import Decimal

import polars as pl
import pytest

from jinchuang.policy.boundary_cases import BoundaryCases
from jinchuang.policy.case import Case
from jinchuang.policy.catalog import default_catalog
from jinchuang.policy.evaluate import evaluate
from jinchuang.policy.population import Population, population_from_cases
from jinchuang.policy.results import Status
from jinchuang.policy.schema import MeasureKind
from jinchuang.policy.vectorised import evaluate_population
from jinchuang.policy.vocabulary import Valley

CASES = int(os.environ.get("JINCHUANG_AGREEMENT_CASES", "100000"))
CHUNK = 5000
SEED = 20261129

Key = tuple[int, str]


Measures = dict[Key, tuple[str, int]]
Payments = dict[tuple[int, str, int], int]


def _chunk_seed(index: int) -> int:
    return SEED * 1000 + index


@dataclass
class ChunkOutcome:
    """What one chunk sends back: its disagreements (empty when the evaluators agree) and what it covered."""

    diffs: list[tuple[Key, tuple[str, int] | None, tuple[str, int] | None]]
    pay_diffs: list[tuple[tuple[int, str, int], int, int]]
    paying: Counter[str]
    organisations: set[int]
    count: int


def _chunk(args: tuple[int, int, int]) -> ChunkOutcome:
    """One chunk, generated once from its own seed, through both evaluators (organisations numbered
    from ``start``), compared in the worker so that only disagreements travel back."""
    index, start, count = args
    catalog = default_catalog()
    cases = BoundaryCases(catalog, _chunk_seed(index)).cases(count)
    measures: Measures = {}
    payments: Payments = {}
    for offset, case in enumerate(cases):
        org = start + offset
        for m in evaluate(case, catalog, list(Valley), explain=False, cash_only=True).measures:
            if m.status in (Status.ELIGIBLE, Status.NEEDS_REVIEW):
                measures[(org, m.measure_id)] = (m.status.value, int(m.amount * 100))
                for s in m.schedule:
                    payments[(org, m.measure_id, s.year)] = int(s.amount * 100)
    vec_measures, vec_payments = _vectorised(cases, start)
    return ChunkOutcome(
        diffs=[
            (k, measures.get(k), vec_measures.get(k))
            for k in measures.keys() | vec_measures.keys()
            if measures.get(k) != vec_measures.get(k)
        ],
        pay_diffs=[
            (k, payments.get(k, 0), vec_payments.get(k, 0))
            for k in payments.keys() | vec_payments.keys()
            if payments.get(k, 0) != vec_payments.get(k, 0)
        ],
        paying=Counter(mid for (_, mid), (_, fen) in measures.items() if fen > 0),
        organisations={org for org, _ in measures},
        count=len(cases),
    )


def _vectorised(cases: list[Case], start: int) -> tuple[Measures, Payments]:
    catalog = default_catalog()
    population = population_from_cases(cases, catalog.vocabulary)
    as_of = max(c.as_of for c in cases)
    result = evaluate_population(population, catalog, as_of)
    measures = {
        (start + r["org_id"], r["measure_id"]): (r["status"], r["amount_fen"])
        for r in result.measures.iter_rows(named=True)
    }
    payments = {
        (start + r["org_id"], r["measure_id"], r["year"]): r["amount_fen"]
        for r in result.payments.iter_rows(named=True)
    }
    return measures, payments


def test_every_cash_measure_is_exercised_and_both_evaluators_agree() -> None:
    catalog = default_catalog()
    chunks = [(index, start, min(CHUNK, CASES - start)) for index, start in enumerate(range(0, CASES, CHUNK))]
    diffs: list[tuple[Key, tuple[str, int] | None, tuple[str, int] | None]] = []
    pay_diffs: list[tuple[tuple[int, str, int], int, int]] = []
    paying: Counter[str] = Counter()
    organisations: set[int] = set()
    generated = 0
    # spawn, not fork: the workers run Polars, whose thread pool (started by earlier tests in this
    # process) deadlocks a forked child
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(4, os.cpu_count() or 1), mp_context=spawn) as pool:
        for outcome in pool.map(_chunk, chunks):
            diffs += outcome.diffs
            pay_diffs += outcome.pay_diffs
            paying.update(outcome.paying)
            organisations |= outcome.organisations
            generated += outcome.count

    cash = {m.id for _, m in catalog.measures() if m.kind is MeasureKind.CASH}
    assert cash - set(paying) == set(), f"cash measures never paid by the generated cases: {cash - set(paying)}"
    assert diffs == [], f"{len(diffs)} disagreements, e.g. {sorted(diffs)[:10]}"
    assert pay_diffs == [], f"{len(pay_diffs)} payment disagreements, e.g. {sorted(pay_diffs)[:10]}"
    assert generated == sum(count for _, _, count in chunks) == CASES
    assert len(organisations) > CASES // 2  # most cases pay or need review somewhere


def test_each_chunk_is_generated_from_its_own_seed() -> None:
    """Chunks are reproducible on their own (a failing chunk can be rerun alone) and differ from each other."""
    catalog = default_catalog()
    first = BoundaryCases(catalog, _chunk_seed(0)).cases(50)
    assert first == BoundaryCases(catalog, _chunk_seed(0)).cases(50)
    assert first != BoundaryCases(catalog, _chunk_seed(1)).cases(50)


def test_caps_and_review_and_overlap_all_occur() -> None:
    """The generator is worth its name: caps bind, reviews occur and 就高不重复 zeroes something."""
    catalog = default_catalog()
    cases = BoundaryCases(catalog, 7).cases(3000)
    caps: Counter[str] = Counter()
    reviews, overlaps, netted = 0, 0, 0
    for case in cases:
        for m in evaluate(case, catalog, list(Valley), explain=False).measures:
            if m.binding_cap:
                caps[m.binding_cap.cap] += 1
            reviews += m.status is Status.NEEDS_REVIEW
            overlaps += bool(m.overlap and m.prior_grant_deduction == 0)
            netted += m.prior_grant_deduction > Decimal(0)
    assert set(caps) == {"per_award", "per_entity_per_year", "cumulative_per_entity"}
    assert reviews and netted
    # no two measures of one shipped document share an overlap group, so 就高不重复 inside a
    # document is exercised on the synthetic catalog below


def test_agreement_on_the_synthetic_catalog_with_overlaps_and_alternatives() -> None:
    from tests.policy.test_evaluator_mechanics import CATALOG

    cases = BoundaryCases(CATALOG, 11).cases(4000)
    exact: dict[Key, tuple[str, int]] = {}
    overlapped = 0
    for org, case in enumerate(cases):
        for m in evaluate(case, CATALOG, [Valley.JINCHENG], explain=False).measures:
            if m.status in (Status.ELIGIBLE, Status.NEEDS_REVIEW):
                exact[(org, m.measure_id)] = (m.status.value, int(m.amount * 100))
                overlapped += bool(m.overlap and m.prior_grant_deduction == 0)
    population = population_from_cases(cases, CATALOG.vocabulary)
    result = evaluate_population(population, CATALOG, max(c.as_of for c in cases), [Valley.JINCHENG])
    vec = {
        (r["org_id"], r["measure_id"]): (r["status"], r["amount_fen"]) for r in result.measures.iter_rows(named=True)
    }
    assert overlapped > 50
    assert {k: v for k, v in exact.items() if vec.get(k) != v} == {}
    assert set(vec) == set(exact)


@pytest.mark.parametrize("bad", ["amount / 2", "amount * 0.000000001 * 0.5"])
def test_what_cannot_be_vectorised_exactly_is_refused(bad: str) -> None:
    from jinchuang.policy import expr
    from jinchuang.policy.schema import EventType
    from jinchuang.policy.vectorised import Compiler, VectorisationError

    spec = EventType.model_validate({"label": "x", "fields": {"amount": {"type": "money", "label": "x"}}})
    with pytest.raises(VectorisationError):
        Compiler(spec, None).compile(expr.parse(bad))
    assert pl is not None


def test_organisation_numbers_need_not_be_dense() -> None:
    """Populations numbered 0..n-1 attach organisations by position; any other numbering by a join."""
    catalog = default_catalog()
    cases = BoundaryCases(catalog, 5).cases(1500)
    dense = population_from_cases(cases, catalog.vocabulary)
    shift = 10_000
    sparse = Population(
        dense.organisations.with_columns(pl.col("org_id") * 3 + shift),
        None,
        dense.prior_grants.with_columns(pl.col("org_id") * 3 + shift),
        by_type={t: f.with_columns(pl.col("org_id") * 3 + shift) for t, f in dense.by_type.items()},
    )
    as_of = max(c.as_of for c in cases)
    a = evaluate_population(dense, catalog, as_of).measures.with_columns(pl.col("org_id") * 3 + shift)
    b = evaluate_population(sparse, catalog, as_of).measures
    key = ["org_id", "measure_id"]
    assert a.sort(key).equals(b.sort(key))
    assert a.height > 500
