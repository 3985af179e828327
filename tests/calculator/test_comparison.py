"""The where-to-settle selector: the engine's result regrouped, never recomputed."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from jinchuang.calculator.comparison import RowGroup, settle_comparison
from jinchuang.calculator.services import calculation_run
from jinchuang.policy.results import MeasureResult, Result, Status

DEMO = Path(__file__).resolve().parents[2] / "docs" / "examples" / "team-choosing-a-valley.json"
VALLEYS = ["晋城", "晋中", "临汾", "阳泉", "大同"]


@pytest.fixture(scope="module")
def result() -> Result:
    return calculation_run(case_data=json.loads(DEMO.read_text(encoding="utf-8")), all_valleys=True)


def test_columns_are_the_five_valleys_and_each_measure_sits_once_in_its_cell(result: Result) -> None:
    side = settle_comparison(result=result)
    assert side.valleys == VALLEYS
    placed = []
    for row in side.rows:
        assert [c.valley for c in row.cells] == VALLEYS
        for cell in row.cells:
            for m in [*cell.shown, *cell.missed]:
                assert (m.valley, m.category) == (cell.valley, row.category)
                placed.append(m.measure_id)
    assert sorted(placed) == sorted(m.measure_id for m in result.measures)


def test_category_sums_add_up_to_the_engines_totals(result: Result) -> None:
    side = settle_comparison(result=result)
    for i, valley in enumerate(VALLEYS):
        assert sum((r.cells[i].eligible for r in side.rows), Decimal(0)) == result.total(valley)
        assert sum((r.cells[i].review_ceiling for r in side.rows), Decimal(0)) == result.review_ceiling(valley)
    totals = {t.valley: (t.eligible, t.review_ceiling) for t in side.totals}
    assert totals == {v: (result.total(v), result.review_ceiling(v)) for v in VALLEYS}
    assert totals["晋城"] == (Decimal("950000.00"), Decimal("60000.00"))
    assert [t.valley for t in side.totals if t.best] == ["晋城"]


def test_best_valley_per_category(result: Result) -> None:
    rows = {r.category: r for r in settle_comparison(result=result).rows}
    # 大同 pays 550,000 for the 300万 licence; 晋城 450,000 (its 50万 yearly cap, less the 5万 prior grant)
    tech = rows["tech_transaction"]
    assert tech.group is RowGroup.MONEY and tech.best_valleys == ["大同"]
    assert {c.valley: c.eligible for c in tech.cells}["晋城"] == Decimal("450000.00")
    assert rows["platform_building"].best_valleys == ["晋城"]
    # a tie: 晋中, 临汾 and 大同 each pay the PhD 100,000
    assert rows["talent_high_level"].best_valleys == ["晋中", "临汾", "大同"]
    assert all(not r.best_valleys for r in rows.values() if r.group is not RowGroup.MONEY)


def test_rows_are_grouped_money_then_support_then_none(result: Result) -> None:
    side = settle_comparison(result=result)
    order = [r.group for r in side.rows]
    assert order == sorted(order, key=list(RowGroup).index)
    assert side.none_rows and all(not c.shown for r in side.none_rows for c in r.cells)
    assert all(any(c.shown for c in r.cells) for r in side.support_rows)


def test_chart_series_are_exact_strings_stacked_by_category(result: Result) -> None:
    side = settle_comparison(result=result)
    chart = side.chart_data()
    assert chart["valleys"] == VALLEYS
    eligible = [s for s in chart["series"] if s["stack"] == "eligible"]
    for i, valley in enumerate(VALLEYS):
        assert sum(Decimal(s["data"][i]) for s in eligible) == result.total(valley)
    assert {s["name"] for s in eligible} >= {"技术交易", "创新平台建设"}
    json.dumps(side.as_dict(), ensure_ascii=False)  # serialisable as is


def _measure(valley: str, status: Status, amount: str, category: str = "tech_transaction") -> MeasureResult:
    return MeasureResult(
        measure_id=f"{valley}-{category}",
        document_id="d",
        valley=valley,
        wenhao="某文号",
        clause="1",
        title="t",
        kind="cash",
        category=category,
        text="",
        status=status,
        amount=Decimal(amount),
    )


def test_nothing_is_best_when_every_valley_gives_nothing() -> None:
    result = Result(
        as_of=dt.date(2025, 12, 31),
        valleys=["晋城", "晋中"],
        measures=[_measure("晋城", Status.NOT_ELIGIBLE, "0"), _measure("晋中", Status.NOT_ELIGIBLE, "0")],
    )
    side = settle_comparison(result=result)
    assert side.rows[0].group is RowGroup.NONE and side.rows[0].best_valleys == []
    assert not any(t.best for t in side.totals)


def test_eligible_money_beats_a_higher_review_ceiling() -> None:
    result = Result(
        as_of=dt.date(2025, 12, 31),
        valleys=["晋城", "晋中"],
        measures=[_measure("晋城", Status.ELIGIBLE, "10.00"), _measure("晋中", Status.NEEDS_REVIEW, "500.00")],
    )
    row = settle_comparison(result=result).rows[0]
    assert row.best_valleys == ["晋城"]
    assert [(c.eligible, c.review_ceiling) for c in row.cells] == [
        (Decimal("10.00"), Decimal("0.00")),
        (Decimal("0.00"), Decimal("500.00")),
    ]
