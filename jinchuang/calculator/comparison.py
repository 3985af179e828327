"""Where to settle (选址对比): one case's result across the valleys, side by side, category by category.

A selector over the engine's :class:`Result` (no evaluation here): every amount is the engine's own,
and each valley's category sums add up to the engine's totals for that valley.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext

from jinchuang.policies.labels import category_label
from jinchuang.policy.results import MeasureResult, Result, Status

ZERO = Decimal("0.00")


class RowGroup(StrEnum):
    MONEY = "money"  # some valley pays (or may pay, after review) an amount in this category
    SUPPORT = "support"  # only non-cash support: space, services, case-by-case, principles
    NONE = "none"  # the case qualifies for nothing of this category in any valley


@dataclass(frozen=True)
class Cell:
    """One valley's measures of one category for this case."""

    valley: str
    shown: list[MeasureResult]  # measures giving something (or evaluated and cut to nothing)
    missed: list[MeasureResult]  # measures the case does not qualify for
    eligible: Decimal
    review_ceiling: Decimal
    best: bool

    @property
    def empty(self) -> bool:
        return not self.shown and not self.missed


@dataclass(frozen=True)
class CategoryRow:
    category: str
    label: str
    group: RowGroup
    cells: list[Cell]

    @property
    def best_valleys(self) -> list[str]:
        return [c.valley for c in self.cells if c.best]


@dataclass(frozen=True)
class ValleyTotal:
    valley: str
    eligible: Decimal
    review_ceiling: Decimal
    best: bool


@dataclass(frozen=True)
class SideBySide:
    as_of: dt.date
    valleys: list[str]
    rows: list[CategoryRow]
    totals: list[ValleyTotal]

    def rows_in(self, group: RowGroup) -> list[CategoryRow]:
        return [r for r in self.rows if r.group is group]

    @property
    def money_rows(self) -> list[CategoryRow]:
        return self.rows_in(RowGroup.MONEY)

    @property
    def support_rows(self) -> list[CategoryRow]:
        return self.rows_in(RowGroup.SUPPORT)

    @property
    def none_rows(self) -> list[CategoryRow]:
        return self.rows_in(RowGroup.NONE)

    def chart_data(self) -> dict[str, Any]:
        """ECharts input: per category one stacked series of eligible amounts (and of review ceilings)."""
        series = []
        for stack, name_suffix, attr in (
            ("eligible", "", "eligible"),
            ("review", gettext(" (需评审上限)"), "review_ceiling"),
        ):
            for row in self.money_rows:
                values = [getattr(c, attr) for c in row.cells]
                if any(values):
                    series.append({"name": row.label + name_suffix, "stack": stack, "data": [str(v) for v in values]})
        return {"valleys": self.valleys, "series": series}

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "valleys": self.valleys,
            "rows": [
                {
                    "category": r.category,
                    "label": r.label,
                    "group": r.group.value,
                    "best": r.best_valleys,
                    "cells": {
                        c.valley: {
                            "eligible": str(c.eligible),
                            "review_ceiling": str(c.review_ceiling),
                            "measures": [m.measure_id for m in c.shown],
                            "missed": [m.measure_id for m in c.missed],
                        }
                        for c in r.cells
                    },
                }
                for r in self.rows
            ],
            "totals": {
                t.valley: {"eligible": str(t.eligible), "needs_review_ceiling": str(t.review_ceiling), "best": t.best}
                for t in self.totals
            },
        }


def settle_comparison(*, result: Result) -> SideBySide:
    """Group the result's measures by comparison category, one column per valley of the result."""
    by_category: dict[str, dict[str, list[MeasureResult]]] = {}
    for measure in result.measures:
        by_category.setdefault(measure.category, {v: [] for v in result.valleys}).setdefault(measure.valley, []).append(
            measure
        )
    rows = [_row(category, measures, result.valleys) for category, measures in by_category.items()]
    order = list(RowGroup)
    rows.sort(key=lambda r: order.index(r.group))  # stable: catalog order inside each group
    best_total = max((result.total(v) for v in result.valleys), default=ZERO)
    totals = [
        ValleyTotal(
            valley=v,
            eligible=result.total(v),
            review_ceiling=result.review_ceiling(v),
            best=best_total > 0 and result.total(v) == best_total,
        )
        for v in result.valleys
    ]
    return SideBySide(as_of=result.as_of, valleys=list(result.valleys), rows=rows, totals=totals)


def _row(category: str, measures: dict[str, list[MeasureResult]], valleys: list[str]) -> CategoryRow:
    sums = {v: _sums(measures[v]) for v in valleys}
    best_key = max(sums.values(), default=(ZERO, ZERO))
    has_best = best_key > (ZERO, ZERO)
    cells = [
        Cell(
            valley=v,
            shown=[m for m in measures[v] if _gives_something(m)],
            missed=[m for m in measures[v] if not _gives_something(m)],
            eligible=sums[v][0],
            review_ceiling=sums[v][1],
            best=has_best and sums[v] == best_key,
        )
        for v in valleys
    ]
    if has_best:
        group = RowGroup.MONEY
    elif any(c.shown for c in cells):
        group = RowGroup.SUPPORT
    else:
        group = RowGroup.NONE
    return CategoryRow(category=category, label=str(category_label(category)), group=group, cells=cells)


def _sums(measures: list[MeasureResult]) -> tuple[Decimal, Decimal]:
    """(eligible sum, review ceiling sum): the same two sums Result.total and Result.review_ceiling take."""
    eligible = sum((m.amount for m in measures if m.status is Status.ELIGIBLE), ZERO)
    review = sum((m.amount for m in measures if m.status is Status.NEEDS_REVIEW), ZERO)
    return eligible, review


def _gives_something(measure: MeasureResult) -> bool:
    return measure.status is not Status.NOT_ELIGIBLE or bool(measure.items)
