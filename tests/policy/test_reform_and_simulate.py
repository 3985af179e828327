from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
from openpyxl import load_workbook

from jinchuang.cli import main
from jinchuang.policy import population
from jinchuang.policy.case import parse_case
from jinchuang.policy.catalog import default_catalog
from jinchuang.policy.evaluate import evaluate
from jinchuang.policy.reform import ReformError, apply_reform, load_reform
from jinchuang.policy.simulate import parse_years, simulate
from jinchuang.policy.synthetic import generate_population
from jinchuang.policy.vectorised import evaluate_population
from jinchuang.policy.vocabulary import Valley

REFORM = """
name: 晋城技术交易上限提高到100万
changes:
  - measure: jc-8
    set: {caps.per_entity_per_year: 1000000}
"""
CASE = {
    "as_of": "2025-12-31",
    "applicant": {"kind": "enterprise", "valley": "晋城", "settled_on": "2025-01-01"},
    "events": [
        {
            "type": "tech_contract_registered",
            "date": "2025-06-01",
            "amount": "4000000",
            "mode": "transfer",
            "role": "buyer",
        }
    ],
}


def test_reform_changes_the_cap_and_leaves_the_catalog_alone() -> None:
    catalog = default_catalog()
    reformed = apply_reform(catalog, load_reform(REFORM))
    case = parse_case(CASE, catalog)
    assert evaluate(case, catalog, [Valley.JINCHENG]).by_id("jc-8").amount == 500000
    assert evaluate(case, reformed, [Valley.JINCHENG]).by_id("jc-8").amount == 800000
    assert catalog.measure("jc-8")[1].caps.per_entity_per_year == 500000


def test_rate_table_disable_and_validity() -> None:
    catalog = default_catalog()
    rule = catalog.measure("jc-8")[1].rules[0].id
    reformed = apply_reform(
        catalog,
        load_reform(f"""
name: x
changes:
  - measure: jc-8
    rule: {rule}
    set: {{rate: '0.10'}}
"""),
    )
    case = parse_case(CASE, catalog)
    assert evaluate(case, reformed, [Valley.JINCHENG]).by_id("jc-8").amount == 400000
    disabled = apply_reform(catalog, load_reform("name: off\nchanges:\n  - {measure: jc-8, disable: true}\n"))
    assert evaluate(case, disabled, [Valley.JINCHENG]).by_id("jc-8").status.value == "not_eligible"


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("name: x\nchanges:\n  - {measure: zz-1, set: {caps.per_award: 1}}", "changes[0].measure"),
        ("name: x\nchanges:\n  - {measure: jc-8, set: {caps.per_award: -1}}", "changes[0].set.caps.per_award"),
        ("name: x\nchanges:\n  - {measure: jc-8, set: {colour: red}}", "changes[0].set.colour"),
        ("name: x\nchanges:\n  - {measure: jc-8, rule: nope, set: {rate: '0.1'}}", "changes[0].rule"),
        ("name: x\nchanges:\n  - {measure: jc-1, set: {caps.per_award: 1}}", "changes[0].measure"),
        ("name: x\nchanges: []", "changes"),
        ("name: [unclosed", "$"),
    ],
)
def test_bad_reforms_name_the_field(text: str, field: str) -> None:
    with pytest.raises(ReformError) as info:
        apply_reform(default_catalog(), load_reform(text))
    assert field in [p.field for p in info.value.problems]


@pytest.mark.parametrize("amount", ["1111111111111111111111111111111111111111", 10**39])
def test_a_40_digit_reform_amount_is_a_named_error(amount: object) -> None:
    text = f"name: x\nchanges:\n  - {{measure: jc-8, set: {{caps.per_award: {amount!r}}}}}"
    with pytest.raises(ReformError) as info:
        apply_reform(default_catalog(), load_reform(text))
    assert {p.field: p.message for p in info.value.problems} == {
        "changes[0].set.caps.per_award": "金额超出范围: 最大 999,999,999,999.99 元"
    }


def test_simulation_difference_is_only_where_the_reform_acts() -> None:
    catalog = default_catalog()
    pop = population.normalise(generate_population(1500, seed=3), catalog.vocabulary)
    result = simulate(pop, catalog, load_reform(REFORM), [2025, 2026, 2027])
    by_valley = {r["valley"]: r for r in result.by("valley").iter_rows(named=True)}
    assert by_valley["晋城"]["diff_fen"] > 0
    assert all(by_valley[v]["diff_fen"] == 0 for v in ("晋中", "临汾", "阳泉", "大同"))
    changed = result.by("measure_id").filter(pl.col("diff_fen") != 0)["measure_id"].to_list()
    assert changed == ["jc-8"]
    # the baseline equals the payments of the vectorised evaluator for those years
    pays = evaluate_population(pop, catalog, dt.date(2027, 12, 31)).payments
    assert result.totals()["baseline_fen"] == pays.filter(pl.col("year").is_between(2025, 2027))["amount_fen"].sum()


def test_population_round_trip_parquet_and_csv(tmp_path: Path) -> None:
    catalog = default_catalog()
    pop = population.normalise(generate_population(300, seed=4), catalog.vocabulary)
    for fmt in ("parquet", "csv"):
        population.save(pop, tmp_path / fmt, fmt=fmt)
        back = population.load(tmp_path / fmt, catalog.vocabulary)
        assert back.organisations.equals(pop.organisations)
        assert set(back.by_type) == set(pop.by_type)
        for etype, frame in pop.by_type.items():
            assert back.by_type[etype].sort("event_index").equals(frame.sort("event_index")), etype


def test_population_errors_name_the_table_and_column(tmp_path: Path) -> None:
    catalog = default_catalog()
    pop = population.normalise(generate_population(50, seed=4), catalog.vocabulary)
    events = pop.events.with_columns(
        pl.when(pl.col("type") == "premium_paid").then(-1).otherwise(pl.col("amount_fen")).alias("amount_fen")
    )
    bad = population.Population(pop.organisations, events, pop.prior_grants, vocabulary=catalog.vocabulary)
    with pytest.raises(population.PopulationError, match=r"events\.amount_fen"):
        population.normalise(bad, catalog.vocabulary)


def test_cli_generate_and_simulate_write_csv_and_excel(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    reform = tmp_path / "reform.yaml"
    reform.write_text(REFORM, encoding="utf-8")
    assert main(["population", "generate", "--size", "400", "--seed", "9", "--out", str(tmp_path / "pop")]) == 0
    assert (
        main(
            [
                "simulate",
                str(tmp_path / "pop"),
                "--reform",
                str(reform),
                "--years",
                "2025-2026",
                "--out",
                str(tmp_path / "out"),
            ]
        )
        == 0
    )
    captured = capsys.readouterr()
    assert "按年度" in captured.out and "按谷" in captured.out and "按牵头部门" in captured.out
    assert "100%" in captured.err  # the progress bar finished
    lines = pl.read_csv(tmp_path / "out" / "simulation.csv")
    assert set(lines["year"].to_list()) == {2025, 2026}
    book = load_workbook(tmp_path / "out" / "simulation.xlsx")
    assert book.sheetnames == ["按措施", "按谷", "按部门", "按年度"]
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nchanges:\n  - {measure: nope, set: {caps.per_award: 1}}", encoding="utf-8")
    assert main(["simulate", str(tmp_path / "pop"), "--reform", str(bad), "--out", str(tmp_path / "o2")]) == 2
    assert json.loads(capsys.readouterr().err)["errors"][0]["field"] == "changes[0].measure"


def test_parse_years() -> None:
    assert parse_years("2025-2027") == [2025, 2026, 2027]
    with pytest.raises(ValueError):
        parse_years("2027-2025")


def test_duplicate_event_keys_are_refused() -> None:
    catalog = default_catalog()
    pop = population.normalise(generate_population(50, seed=4), catalog.vocabulary)
    etype, frame = next(iter(pop.by_type.items()))
    doubled = {**pop.by_type, etype: pl.concat([frame, frame.head(1)])}
    with pytest.raises(population.PopulationError, match="重复"):
        population.normalise(
            population.Population(pop.organisations, None, pop.prior_grants, by_type=doubled), catalog.vocabulary
        )
