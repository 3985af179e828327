"""A simulation result as JSON for the database: totals and breakdowns, money as integer fen."""

from __future__ import annotations

from typing import Any

import polars as pl

from jinchuang.policy.catalog import Catalog
from jinchuang.policy.citation import cite
from jinchuang.policy.simulate import SimulationResult

MONEY = ("baseline_fen", "reform_fen", "diff_fen")


def _rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return [{k: (int(v) if k in MONEY else v) for k, v in row.items()} for row in frame.iter_rows(named=True)]


def result_summary(result: SimulationResult, catalog: Catalog) -> dict[str, Any]:
    """Totals; by valley, department, year; by measure (with each year's amounts and the clause it cites)."""
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
        "by_department": _rows(result.by("department")),
        "by_year": _rows(result.by("year")),
        "by_measure": measures,
    }
