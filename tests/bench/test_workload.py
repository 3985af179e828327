"""The benchmark workload (bench/): our side is exact to the fen against the reference.

Not a timed test: it checks W1's claim for ours on a small population, in the project's own
environment (OpenFisca is installed only in bench/.venv and is not imported here).
"""

from __future__ import annotations

import sys
from decimal import Decimal

import polars as pl
import pytest

from bench import generate as gen
from bench import ours
from jinchuang.policy.population import Population, normalise
from jinchuang.policy.vectorised import evaluate_population

N = 500


@pytest.fixture(scope="module")
def workload() -> gen.Workload:
    return gen.generate(N, seed=11)


def test_openfisca_is_not_imported() -> None:
    assert not any(name.startswith("openfisca") for name in sys.modules)


def test_generator_is_seeded_and_shaped(workload: gen.Workload) -> None:
    again = gen.generate(N, seed=11)
    assert workload.enterprises.equals(again.enterprises)
    assert workload.employees.equals(again.employees)
    assert workload.employees.height == N * gen.EMPLOYEES_PER_ENTERPRISE
    ref = gen.reference(workload)
    # every measure pays someone and the technology cap binds somewhere
    assert all(any(values) for values in ref.values())
    assert gen.TECH_CAP_FEN in ref["bm-tech"]


def test_reference_rounds_half_up() -> None:
    assert gen._half_up(5 * 20, 100) == 1  # 0.05 yuan x 20% = 0.01
    assert gen._half_up(3 * 20, 100) == 1  # 0.6 fen -> 1 fen
    assert gen._half_up(2 * 20, 100) == 0  # 0.4 fen -> 0
    assert gen._half_up(25 * 10, 100) == 3  # 2.5 fen -> 3 fen (half up)


def test_per_case_evaluator_is_exact(workload: gen.Workload) -> None:
    ref = gen.reference(workload)
    catalog = ours.benchmark_catalog()
    for row in gen.enterprise_rows(workload):
        got = ours.amounts_fen(ours.calculate(gen.case_data(row), catalog, explain=True))
        for mid in gen.MEASURES:
            assert got[mid] == Decimal(ref[mid][row["org_id"]]), (mid, row)


def test_vectorised_evaluator_is_exact(workload: gen.Workload) -> None:
    catalog = ours.benchmark_catalog()
    pop = normalise(Population(*gen.population_frames(workload)), catalog.vocabulary)
    result = evaluate_population(pop, catalog, as_of=gen.AS_OF)
    paid = result.measures.filter(pl.col("status") == "eligible")
    ref = gen.reference(workload)
    for mid in gen.MEASURES:
        got = dict(paid.filter(pl.col("measure_id") == mid).select("org_id", "amount_fen").iter_rows())
        assert [got.get(org, 0) for org in range(N)] == ref[mid], mid
