"""Property (Hypothesis): on small batches the exact and the vectorised evaluator agree to the fen.

A batch is a few organisations of one valley, each with a few events whose fields are drawn from
the event vocabulary (every field's type and options, values near the constants the rule's
conditions and the catalog's caps name, missing values) and sometimes prior grants.  Both
evaluators judge every cash measure of the valley; status, amount and yearly payments must match.
When they do not, Hypothesis shrinks the batch to a minimal one and prints it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jinchuang.policy import expr
from jinchuang.policy.boundary_cases import BoundaryCases
from jinchuang.policy.case import Applicant, Case, Event, PriorGrant, Scalar
from jinchuang.policy.catalog import default_catalog
from jinchuang.policy.evaluate import evaluate, measure_window
from jinchuang.policy.population import population_from_cases
from jinchuang.policy.results import Status
from jinchuang.policy.schema import Document, EventField, Measure, MeasureKind, Rule
from jinchuang.policy.vectorised import evaluate_population
from jinchuang.policy.vocabulary import OrgKind, Valley

CATALOG = default_catalog()
POOLS = BoundaryCases(CATALOG, 0)  # the catalog's amounts at and around its caps, thresholds, date edges
FIRST_DAY, LAST_DAY = dt.date(2024, 6, 1), dt.date(2030, 6, 30)

Outcome = tuple[dict[tuple[int, str], tuple[str, int]], dict[tuple[int, str, int], int]]


def _money() -> st.SearchStrategy[Decimal]:
    return st.one_of(
        st.sampled_from(POOLS.money_pool),
        st.integers(0, 500_000_000).map(lambda fen: Decimal(fen) / 100),
    )


def _generic(f: EventField) -> st.SearchStrategy[Scalar]:
    if f.type == "money":
        return _money()
    if f.type == "int":
        return st.one_of(st.sampled_from(POOLS.int_pool), st.integers(0, 72)).map(Decimal)
    if f.type == "ratio":
        return st.one_of(st.sampled_from(POOLS.ratio_pool), st.integers(0, 10**6).map(lambda p: Decimal(p) / 10**6))
    if f.type == "bool":
        return st.booleans()
    return st.sampled_from(sorted(f.options) if f.options else ["", "x"])


def _near(rule: Rule) -> dict[str, set[Scalar]]:
    """Per field, the values a rule's conditions compare it with (and one step either side of numbers)."""
    near: dict[str, set[Scalar]] = {}
    parameters: dict[str, Scalar] = {name: p.numbers()[-1] for name, p in rule.parameters.items()}
    for cond in rule.conditions:
        for node in expr.walk(expr.substitute(expr.parse(cond.expr), parameters)):
            if isinstance(node, expr.Var):
                near.setdefault(node.name, set()).add(True)
            elif isinstance(node, expr.InSet) and isinstance(node.value, expr.Var):
                near.setdefault(node.value.name, set()).update(o for o in node.options if o is not None)
            elif isinstance(node, expr.Compare):
                for var, const in ((node.left, node.right), (node.right, node.left)):
                    if isinstance(var, expr.Var) and isinstance(const, expr.Const) and const.value is not None:
                        value = const.value
                        values: set[Scalar] = {value}
                        if isinstance(value, Decimal):
                            values |= {value + 1, max(value - 1, Decimal(0))}
                        near.setdefault(var.name, set()).update(values)
    return near


def _field(f: EventField, near: set[Scalar]) -> st.SearchStrategy[Scalar | None]:
    fits = sorted(
        (v for v in near if (f.type == "bool") == isinstance(v, bool) and (f.type == "str") == isinstance(v, str)),
        key=str,
    )
    if f.type == "int":
        fits = [v for v in fits if isinstance(v, Decimal) and v == v.to_integral_value()]
    if f.type == "ratio":
        fits = [v for v in fits if isinstance(v, Decimal) and v <= 1]
    value = st.one_of(st.sampled_from(fits), _generic(f)) if fits else _generic(f)
    return _mostly(value)


def _usually(value: st.SearchStrategy[Any], otherwise: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``value`` nine times in ten, else ``otherwise``."""
    return st.tuples(st.integers(0, 9), value, otherwise).map(lambda t: t[2] if t[0] == 0 else t[1])


def _mostly(value: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """The value nine times in ten, else missing (None); shrinks towards missing."""
    return st.tuples(st.integers(0, 9), value).map(lambda pair: None if pair[0] == 0 else pair[1])


def _date() -> st.SearchStrategy[dt.date]:
    return st.one_of(st.sampled_from(POOLS.date_edges), st.dates(FIRST_DAY, LAST_DAY))


@st.composite
def _event(draw: st.DrawFn, rules: list[tuple[Document, Measure, Rule]], index: int) -> tuple[Event, Measure, Rule]:
    doc, measure, rule = draw(st.sampled_from(rules))
    spec = CATALOG.vocabulary[rule.event]
    first, last = measure_window(doc, measure)
    near = _near(rule)
    fields: dict[str, Any] = draw(
        st.fixed_dictionaries({name: _field(f, near.get(name, set())) for name, f in spec.fields.items()})
    )
    event = Event(
        type=rule.event,
        date=draw(_usually(st.dates(first, last), _date())),
        fields={k: v for k, v in fields.items() if v is not None},
        index=index,
    )
    return event, measure, rule


@st.composite
def _case(draw: st.DrawFn, valley: Valley) -> Case:
    rules = [
        (d, m, r) for d in CATALOG.for_valley(valley) for m in d.measures if m.kind is MeasureKind.CASH for r in m.rules
    ]
    drawn = [draw(_event(rules, i)) for i in range(draw(st.integers(0, 3)))]
    events = tuple(e for e, _, _ in drawn)
    beneficiaries = sorted({k for _, m, _ in drawn for k in m.beneficiaries}) or [OrgKind.ENTERPRISE]
    kind = draw(_usually(st.sampled_from(beneficiaries), st.sampled_from(list(OrgKind))))
    wanted_certs = {n[5:] for _, _, r in drawn for n in _near(r) if n.startswith("cert_")}
    certs = draw(st.sets(st.sampled_from(sorted(wanted_certs | set(POOLS.certs)) or ["none"]), max_size=3))
    first = min((e.date for e in events), default=dt.date(2025, 1, 1))
    settled = draw(_mostly(st.one_of(st.integers(0, 900).map(lambda days: first - dt.timedelta(days=days)), _date())))
    grants = draw(
        st.lists(
            st.builds(
                PriorGrant,
                matter=st.sampled_from(POOLS.overlap_groups),
                amount=_money(),
                date=_date(),
                policy=st.just("另一项政策"),
                level=st.sampled_from(["", "provincial", "city", "national"]),
            ),
            max_size=2,
        )
    )
    as_of = max([e.date for e in events], default=dt.date(2026, 1, 1)) + dt.timedelta(days=draw(st.integers(0, 400)))
    applicant = Applicant(kind=kind, valley=valley, settled_on=settled, certifications=tuple(sorted(certs)))
    return Case(as_of=as_of, applicant=applicant, events=events, prior_grants=tuple(grants))


@st.composite
def batches(draw: st.DrawFn) -> tuple[Valley, list[Case]]:
    valley = draw(st.sampled_from(list(Valley)))
    return valley, draw(st.lists(_case(valley), min_size=1, max_size=4))


def _exact(valley: Valley, cases: list[Case]) -> Outcome:
    measures, payments = {}, {}
    for org, case in enumerate(cases):
        for m in evaluate(case, CATALOG, [valley], explain=False).measures:
            if m.status in (Status.ELIGIBLE, Status.NEEDS_REVIEW):
                measures[(org, m.measure_id)] = (m.status.value, int(m.amount * 100))
                for s in m.schedule:
                    if s.amount > 0:
                        payments[(org, m.measure_id, s.year)] = int(s.amount * 100)
    return measures, payments


def _vectorised(valley: Valley, cases: list[Case]) -> Outcome:
    population = population_from_cases(cases, CATALOG.vocabulary)
    result = evaluate_population(population, CATALOG, max(c.as_of for c in cases), [valley])
    measures = {
        (r["org_id"], r["measure_id"]): (r["status"], r["amount_fen"]) for r in result.measures.iter_rows(named=True)
    }
    payments = {
        (r["org_id"], r["measure_id"], r["year"]): r["amount_fen"] for r in result.payments.iter_rows(named=True)
    }
    return measures, payments


@settings(max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches())
def test_both_evaluators_agree_to_the_fen_on_small_batches(batch: tuple[Valley, list[Case]]) -> None:
    valley, cases = batch
    exact_measures, exact_payments = _exact(valley, cases)
    vec_measures, vec_payments = _vectorised(valley, cases)
    assert vec_measures == exact_measures
    assert vec_payments == exact_payments


def test_the_batches_reach_paying_and_reviewed_measures() -> None:
    """The strategy is not vacuous: over a fixed run of batches, measures pay and reviews are needed."""
    seen: Counter[str] = Counter()

    @settings(max_examples=250, deadline=None, database=None, derandomize=True)
    @given(batches())
    def record(batch: tuple[Valley, list[Case]]) -> None:
        valley, cases = batch
        for status, fen in _exact(valley, cases)[0].values():
            seen[status] += 1
            seen["paid"] += fen > 0

    record()
    assert seen["paid"] >= 20 and seen["needs_review"] >= 10, seen
