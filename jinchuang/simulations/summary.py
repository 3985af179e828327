"""A simulation result as JSON for the database: totals and breakdowns, money as integer fen."""

from __future__ import annotations

from typing import Any

import polars as pl

from jinchuang.policy.catalog import Catalog
from jinchuang.policy.citation import cite
from jinchuang.policy.population import Population
from jinchuang.policy.simulate import SimulationResult

MONEY = ("baseline_fen", "reform_fen", "diff_fen")


def _rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return [{k: (int(v) if k in MONEY else v) for k, v in row.items()} for row in frame.iter_rows(named=True)]


def events_by_year(population: Population, years: list[int]) -> dict[str, int]:
    """How many events of the population fall in each simulated year (0: nothing happens that year in the data,
    so only instalments of earlier years are paid — a drop that is the data's end, not the policy's)."""
    counts = dict.fromkeys(years, 0)
    for frame in population.by_type.values():
        if frame.height == 0 or "date" not in frame.columns:
            continue
        per_year = frame.group_by(pl.col("date").dt.year().alias("year")).agg(pl.len().alias("n"))
        for row in per_year.iter_rows(named=True):
            if row["year"] in counts:
                counts[row["year"]] += int(row["n"])
    return {str(y): n for y, n in counts.items()}


def result_summary(result: SimulationResult, catalog: Catalog, population: Population | None = None) -> dict[str, Any]:
    """Totals; by valley, (valley, department), year; by measure (with each year's amounts and the clause it
    cites); the population's events per year when the population is given."""
    entries = {m.id: (d, m) for d, m in catalog.measures()}
    measures = []
    per_year = result.by("measure_id", "year")
    for row in _rows(result.by("measure_id", "title", "valley", "department")):
        doc, measure = entries[row["measure_id"]]
        years = per_year.filter(pl.col("measure_id") == row["measure_id"]).sort("year")
        row["citation"] = cite(doc.wenhao, measure.clause)
        row["by_year"] = {str(y["year"]): [y["baseline_fen"], y["reform_fen"]] for y in _rows(years)}
        measures.append(row)
    return {
        "organisations": result.organisations,
        "years": result.years,
        "reform_name": result.reform_name,
        "totals": result.totals(),
        "by_valley": _rows(result.by("valley")),
        # a department is a city's bureau: 晋城's 科技局 and 大同's 科技局 are two rows
        "by_department": _rows(result.by("valley", "department")),
        "by_year": _rows(result.by("year")),
        "by_measure": measures,
        **({"events_by_year": events_by_year(population, result.years)} if population is not None else {}),
    }
