"""Named, dated parameters; one compiled plan per measure; reforms that set parameters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from jinchuang.policy.case import parse_case
from jinchuang.policy.catalog import build_catalog, default_catalog, load_vocabulary_file
from jinchuang.policy.evaluate import evaluate
from jinchuang.policy.plan import plan_for, proportions, split_fen, spread_reduction
from jinchuang.policy.reform import ReformError, apply_reform, load_reform
from jinchuang.policy.schema import Document
from jinchuang.policy.synthetic import generate_population
from jinchuang.policy.vocabulary import Valley

DT8_RATE_15 = """
name: 大同第八条技术交易配套比例由20%调整为15%
changes:
  - measure: dt-8
    rule: dt-8-trade
    set:
      rate: '0.15'
"""


def _dt_trade_case(date: str, amount: str = "1000000") -> dict[str, object]:
    return {
        "as_of": "2027-12-31",
        "applicant": {"kind": "enterprise", "valley": "大同", "settled_on": "2024-10-01"},
        "events": [
            {"type": "tech_contract_registered", "date": date, "amount": amount, "mode": "transfer", "role": "buyer"}
        ],
    }


def test_every_formula_literal_is_a_named_parameter_with_a_reference() -> None:
    """Formulas name their numbers; only 0 and (in conditions) 1 stay literal."""
    from jinchuang.policy import expr

    for _doc, measure in default_catalog().measures():
        for rule in measure.rules:
            for name, parameter in rule.parameters.items():
                assert parameter.label and parameter.reference, (rule.id, name)
            for source in rule.expressions():
                for node in expr.walk(expr.parse(source)):
                    if isinstance(node, expr.Const) and isinstance(node.value, Decimal):
                        assert node.value in (0, 1), f"{rule.id}: literal {node.value} in {source!r}"


def test_the_plan_lists_named_parameters_with_their_clause() -> None:
    doc, measure = default_catalog().measure("dt-8")
    plan = plan_for(doc, measure)
    named = {p.path: p for p in plan.parameters}
    assert named["dt-8-trade.rate"].values == ((dt.date(2024, 9, 12), Decimal("0.20")),)
    assert "20%" in named["dt-8-trade.rate"].reference
    assert named["caps.per_entity_per_year"].values[0][1] == Decimal("1000000")
    assert plan_for(doc, measure) is plan  # built once per measure object


def test_a_parameter_reform_changes_the_rate_without_touching_formula_text() -> None:
    catalog = default_catalog()
    reformed = apply_reform(catalog, load_reform(DT8_RATE_15))
    rule = reformed.measure("dt-8")[1].rules[0]
    assert rule.amount == "amount * rate"
    case = parse_case(_dt_trade_case("2025-06-01"), catalog)
    assert evaluate(case, catalog, [Valley.DATONG]).by_id("dt-8").amount == Decimal("200000.00")
    assert evaluate(case, reformed, [Valley.DATONG]).by_id("dt-8").amount == Decimal("150000.00")


def test_dated_parameter_values_apply_by_event_date_in_both_evaluators() -> None:
    from jinchuang.policy import population
    from jinchuang.policy.vectorised import evaluate_population

    catalog = default_catalog()
    reform = load_reform(
        "name: x\nchanges:\n  - measure: dt-8\n    rule: dt-8-trade\n    set:\n"
        "      rate: {since: 2026-01-01, value: '0.15'}\n"
    )
    reformed = apply_reform(catalog, reform)
    before = parse_case(_dt_trade_case("2025-12-31"), catalog)
    after = parse_case(_dt_trade_case("2026-01-01"), catalog)
    assert evaluate(before, reformed, [Valley.DATONG]).by_id("dt-8").amount == Decimal("200000.00")
    assert evaluate(after, reformed, [Valley.DATONG]).by_id("dt-8").amount == Decimal("150000.00")
    explained = evaluate(after, reformed, [Valley.DATONG]).by_id("dt-8").explanation
    assert any("amount * 0.15" in line for line in explained)
    # the vectorised evaluator splits the rule by the same dates and agrees to the fen
    dates = ["2024-12-01", "2025-12-31", "2026-01-01", "2026-07-01", "2027-03-01"]
    cases = [parse_case(_dt_trade_case(d, amount), catalog) for d in dates for amount in ("1000000", "3333333.33")]
    pop = population.population_from_cases(cases, catalog.vocabulary)
    vector = evaluate_population(pop, reformed, dt.date(2027, 12, 31), [Valley.DATONG], payments=False)
    got = dict(vector.measures.filter(vector.measures["measure_id"] == "dt-8").select("org_id", "amount_fen").rows())
    want = {n: int(evaluate(c, reformed, [Valley.DATONG]).by_id("dt-8").amount * 100) for n, c in enumerate(cases)}
    assert got == want
    assert want[4] == 15_000_000 and want[2] == 20_000_000


def test_simulation_of_the_dt8_rate_reform_equals_the_result_before_parameters(tmp_path: Path) -> None:
    """Golden totals computed with the CLI on commit 743813a (before named parameters), where the same
    reform was written as ``rate: '0.15'`` and applied by rewriting the formula text: ``jinchuang
    population generate --size 3000 --seed 7`` then ``jinchuang simulate --years 2025-2027``."""
    import csv

    from jinchuang.cli import main

    reform = tmp_path / "dt8.yaml"
    reform.write_text(DT8_RATE_15, encoding="utf-8")
    pop, out = tmp_path / "pop", tmp_path / "sim"
    assert main(["population", "generate", "--size", "3000", "--seed", "7", "--out", str(pop)]) == 0
    assert main(["simulate", str(pop), "--reform", str(reform), "--years", "2025-2027", "--out", str(out)]) == 0
    with (out / "simulation.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert sum(int(r["baseline_fen"]) for r in rows) == 362866296246
    assert sum(int(r["reform_fen"]) for r in rows) == 359676170934
    dt8 = [int(r["diff_fen"]) for r in rows if r["measure_id"] == "dt-8"]
    assert dt8 == [-791384112, -1181557987, -1217183213]


def test_disabled_is_a_flag_both_evaluators_honour() -> None:
    from jinchuang.policy import population
    from jinchuang.policy.vectorised import evaluate_population

    catalog = default_catalog()
    reformed = apply_reform(catalog, load_reform("name: off\nchanges:\n  - {measure: dt-8, disable: true}\n"))
    _doc, measure = reformed.measure("dt-8")
    assert measure.disabled and measure.valid_from is None and measure.valid_to is None
    result = evaluate(parse_case(_dt_trade_case("2025-06-01"), catalog), reformed, [Valley.DATONG]).by_id("dt-8")
    assert result.status.value == "not_eligible" and result.amount == 0
    assert "停止执行" in result.failed[0].text
    pop = population.normalise(generate_population(2000, seed=5), catalog.vocabulary)
    vector = evaluate_population(pop, reformed, dt.date(2027, 12, 31), [Valley.DATONG])
    assert vector.measures.filter(vector.measures["measure_id"] == "dt-8").height == 0


@pytest.mark.parametrize(
    ("setting", "field"),
    [
        ("{rate: '1.5'}", "changes[0].set.rate"),
        ("{rate: 0.15}", "changes[0].set.rate"),
        ("{rate: {since: 2026-13-01, value: '0.1'}}", "changes[0].set.rate[0].since"),
        ("{rate: {when: 2026-01-01, value: '0.1'}}", "changes[0].set.rate[0]"),
        ("{amount: 'amount * 0.15'}", "changes[0].set.amount"),
    ],
)
def test_bad_parameter_settings_name_the_field(setting: str, field: str) -> None:
    text = f"name: x\nchanges:\n  - {{measure: dt-8, rule: dt-8-trade, set: {setting}}}"
    with pytest.raises(ReformError) as info:
        apply_reform(default_catalog(), load_reform(text))
    assert field in [p.field for p in info.value.problems]


def test_a_parameter_that_clashes_with_an_event_field_or_is_unused_is_refused() -> None:
    catalog = default_catalog()
    doc = catalog.document("datong").model_dump()
    rule = next(m for m in doc["measures"] if m["id"] == "dt-8")["rules"][0]
    rule["parameters"]["spare"] = {"label": "x", "unit": "yuan", "value": "1", "reference": "x"}
    with pytest.raises(ValueError, match="not used"):
        Document.model_validate(doc)
    rule["parameters"].pop("spare")
    rule["parameters"]["amount"] = {"label": "x", "unit": "yuan", "value": "1", "reference": "x"}
    documents = [Document.model_validate(doc) if d.id == "datong" else d for d in catalog.documents]
    with pytest.raises(ValueError, match="also fields"):
        build_catalog(documents, load_vocabulary_file())


# --- the shared arithmetic ---------------------------------------------------------------------------


def test_split_fen_is_exact_and_adds_up() -> None:
    assert split_fen(100_000_000, [Fraction(1, 3)] * 3) == [33_333_333, 33_333_333, 33_333_334]
    assert split_fen(80_000_000, [Fraction(1, 3)] * 3) == [26_666_667, 26_666_667, 26_666_666]
    with pytest.raises(ValueError):
        split_fen(100, [Fraction(1, 2)])


def test_an_approval_of_200090_over_items_of_200000_and_90_keeps_each_items_share() -> None:
    """The old code recovered shares with limit_denominator(1000): 200,000/200,090 became 1/1 and the
    90 yuan item got nothing (its year's cap was then checked against the wrong year)."""
    parts = split_fen(20_009_000, proportions([20_000_000, 9_000]))
    assert parts == [20_000_000, 9_000]
    parts = split_fen(10_004_500, proportions([20_000_000, 9_000]))  # half approved
    assert parts == [10_000_000, 4_500]


def test_spread_reduction_cuts_the_latest_items_first() -> None:
    items = [("a", 1, 500), ("b", 2, 300), ("c", 3, 200)]
    kept = spread_reduction(items, lambda i: i[2], lambda i: (i[1],), 600)
    assert [(i[0], k) for i, k in kept] == [("a", 500), ("b", 100), ("c", 0)]
