"""Budget simulation: baseline and reform over a population, by measure, valley, department and year."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from jinchuang.policy.catalog import Catalog
from jinchuang.policy.citation import cite
from jinchuang.policy.i18n import gettext
from jinchuang.policy.population import Population
from jinchuang.policy.reform import Reform, apply_reform
from jinchuang.policy.schema import MeasureKind
from jinchuang.policy.vectorised import evaluate_population
from jinchuang.policy.vocabulary import Valley

Progress = Callable[[float, str], None]


def _quiet(_: float, __: str) -> None:
    return None


@dataclass
class SimulationResult:
    lines: pl.DataFrame  # measure_id, title, clause, valley, department, year, baseline_fen, reform_fen, diff_fen
    years: list[int]
    reform_name: str
    organisations: int

    def by(self, *keys: str) -> pl.DataFrame:
        return (
            self.lines.group_by(list(keys))
            .agg(pl.col("baseline_fen").sum(), pl.col("reform_fen").sum(), pl.col("diff_fen").sum())
            .sort(list(keys))
        )

    def totals(self) -> dict[str, int]:
        row = self.lines.select(pl.col("baseline_fen").sum(), pl.col("reform_fen").sum(), pl.col("diff_fen").sum())
        return {k: int(v or 0) for k, v in row.row(0, named=True).items()}


def _measure_table(catalog: Catalog) -> pl.DataFrame:
    rows = [
        {
            "measure_id": m.id,
            "title": m.title,
            "clause": cite(d.wenhao, str(m.clause)),
            "valley": d.valley.value,
            "department": m.lead_departments[0] if m.lead_departments else "—",
        }
        for d, m in catalog.measures()
        if m.kind is MeasureKind.CASH
    ]
    return pl.DataFrame(
        rows,
        schema={
            "measure_id": pl.String,
            "title": pl.String,
            "clause": pl.String,
            "valley": pl.String,
            "department": pl.String,
        },
    )


def _payments(
    population: Population,
    catalog: Catalog,
    years: list[int],
    valleys: list[Valley],
    progress: Progress,
    start: float,
    span: float,
) -> pl.DataFrame:
    parts = []
    for n, valley in enumerate(valleys):
        progress(start + span * n / len(valleys), gettext("计算 %(valley)s") % {"valley": gettext(valley.value)})
        result = evaluate_population(population, catalog, dt.date(max(years), 12, 31), [valley])
        parts.append(result.payments.filter(pl.col("year").is_between(min(years), max(years))))
    if not parts:
        return pl.DataFrame(schema={"measure_id": pl.String, "year": pl.Int32, "amount_fen": pl.Int64})
    return pl.concat(parts).group_by(["measure_id", "year"]).agg(pl.col("amount_fen").sum())


def simulate(
    population: Population,
    catalog: Catalog,
    reform: Reform | None,
    years: list[int],
    valleys: list[Valley] | None = None,
    progress: Progress = _quiet,
) -> SimulationResult:
    """Payments by year under the catalog (baseline) and under the reform, and their difference."""
    chosen = valleys or list(Valley)
    reformed = apply_reform(catalog, reform) if reform is not None else catalog
    touched = {catalog.measure(m)[0].valley for m in reform.touched()} if reform is not None else set()
    changed = [v for v in chosen if v in touched]
    share = 0.5 if changed else 1.0
    baseline = _payments(population, catalog, years, chosen, progress, 0.0, share)
    # valleys the reform does not touch pay exactly the baseline
    untouched = baseline.join(
        _measure_table(catalog).filter(~pl.col("valley").is_in([v.value for v in changed])).select("measure_id"),
        on="measure_id",
        how="semi",
    )
    after = pl.concat([untouched, _payments(population, reformed, years, changed, progress, share, 1 - share)])
    progress(1.0, gettext("汇总"))
    grid = _measure_table(catalog).join(pl.DataFrame({"year": years}, schema={"year": pl.Int32}), how="cross")
    grid = grid.filter(pl.col("valley").is_in([v.value for v in chosen]))
    lines = (
        grid.join(baseline.rename({"amount_fen": "baseline_fen"}), on=["measure_id", "year"], how="left")
        .join(after.rename({"amount_fen": "reform_fen"}), on=["measure_id", "year"], how="left")
        .with_columns(pl.col("baseline_fen").fill_null(0), pl.col("reform_fen").fill_null(0))
        .with_columns((pl.col("reform_fen") - pl.col("baseline_fen")).alias("diff_fen"))
        .sort(["valley", "measure_id", "year"])
    )
    return SimulationResult(
        lines=lines,
        years=years,
        reform_name=reform.name if reform else gettext("(无改革)"),
        organisations=population.size,
    )


def parse_years(text: str) -> list[int]:
    """'2025-2027' → [2025, 2026, 2027]; '2026' → [2026]."""
    try:
        if "-" in text:
            first, last = (int(x) for x in text.split("-", 1))
        else:
            first = last = int(text)
    except ValueError as exc:
        raise ValueError(f"年份范围格式错误 '{text}', 应为 2025-2027") from exc
    if not 2000 <= first <= last <= 2100 or last - first > 20:
        raise ValueError(f"年份范围无效 '{text}'")
    return list(range(first, last + 1))
