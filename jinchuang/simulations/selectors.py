"""Reads of the simulation app: runs, example reforms, and a finished run arranged for its page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from jinchuang.simulations.conf import stale_after
from jinchuang.simulations.models import RunStatus, SimulationRun

TOP_MEASURES = 15

DEFAULT_REFORM = """\
name: 晋城技术交易奖励上限由50万元提高到100万元(与大同一致)
description: 晋市政办〔2024〕39号 第8条“最高支持50万元”改为100万元, 其余不变。
changes:
  - measure: jc-8
    set:
      caps.per_entity_per_year: 1000000
"""


@dataclass(frozen=True)
class ExampleReform:
    key: str
    name: str
    text: str


EXAMPLES: tuple[ExampleReform, ...] = (
    ExampleReform("jc-8-like-datong", "晋城技术交易奖励上限提高到100万元(与大同一致)", DEFAULT_REFORM),
    ExampleReform(
        "jc-4-national-2m",
        "晋城国家级平台建设经费由100万元提高到200万元",
        """\
name: 晋城国家级科技创新平台建设经费由100万元提高到200万元
changes:
  - measure: jc-4
    rule: jc-4-national
    set:
      grant: 2000000                # the rule's named parameter (see the measure page)
""",
    ),
    ExampleReform(
        "jc-8-rate-25",
        "晋城技术交易奖励比例由20%提高到25%",
        """\
name: 晋城技术交易奖励比例由20%提高到25%
changes:
  - measure: jc-8
    rule: jc-8-trade
    set:
      rate: '0.25'
""",
    ),
    ExampleReform(
        "jc-8-unchanged",
        "对照: 晋城技术交易上限仍为50万元(差额应为0)",
        """\
name: 对照方案 — 晋城技术交易奖励上限仍为50万元
changes:
  - measure: jc-8
    set:
      caps.per_entity_per_year: 500000
""",
    ),
)


def example_reform(key: str) -> ExampleReform | None:
    return next((e for e in EXAMPLES if e.key == key), None)


def example_reform_files() -> list[Path]:
    """Reform files under docs/examples/reforms/ (the CLI's examples), for reference."""
    folder = Path(settings.BASE_DIR) / "docs" / "examples" / "reforms"
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def run_recent(limit: int = 10) -> list[SimulationRun]:
    return list(SimulationRun.objects.defer("result", "reform_text").order_by("-created_at")[:limit])


def _money_row(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "changed": row["diff_fen"] != 0}


def _measure_row(row: dict[str, Any]) -> dict[str, Any]:
    year_diffs = [{"year": y, "diff_fen": reform - base} for y, (base, reform) in sorted(row["by_year"].items())]
    return {**_money_row(row), "year_diffs": year_diffs}


def run_report(run: SimulationRun) -> dict[str, Any] | None:
    """A done run's tables and chart data; None until it is done."""
    if run.status != RunStatus.DONE or not run.result:
        return None
    result = run.result
    measures = [_measure_row(m) for m in result["by_measure"]]
    changed = sorted((m for m in measures if m["changed"]), key=lambda m: -abs(m["diff_fen"]))[:TOP_MEASURES]
    top = changed or sorted(measures, key=lambda m: -m["reform_fen"])[:TOP_MEASURES]
    years = [str(y) for y in result["years"]]
    by_year = {str(r["year"]): r for r in result["by_year"]}
    chart = {
        "years": years,
        "baseline_by_year": [by_year[y]["baseline_fen"] if y in by_year else 0 for y in years],
        "reform_by_year": [by_year[y]["reform_fen"] if y in by_year else 0 for y in years],
        "measures": [f"{m['measure_id']} {m['title']}" for m in reversed(top)],
        "baseline_by_measure": [m["baseline_fen"] for m in reversed(top)],
        "reform_by_measure": [m["reform_fen"] for m in reversed(top)],
        "measures_changed": bool(changed),
    }
    measures.sort(key=lambda m: (not m["changed"], -abs(m["diff_fen"]), m["valley"], m["measure_id"]))
    return {
        "totals": result["totals"],
        "organisations": result["organisations"],
        "by_valley": [_money_row(r) for r in result["by_valley"]],
        "by_department": [_money_row(r) for r in result["by_department"]],
        "by_year": [_money_row(r) for r in result["by_year"]],
        "by_measure": measures,
        "measures_shown": [m for m in measures if m["baseline_fen"] or m["reform_fen"]],
        "measures_quiet": [m for m in measures if not (m["baseline_fen"] or m["reform_fen"])],
        "changed_count": sum(1 for m in measures if m["changed"]),
        "chart": chart,
        "years": years,
    }


def run_pending_ids() -> list[int]:
    """Runs a worker may claim: queued, or running with a heartbeat older than the stale limit."""
    stale = Q(status=RunStatus.RUNNING) & (
        Q(heartbeat_at__lt=timezone.now() - stale_after()) | Q(heartbeat_at__isnull=True)
    )
    pending = SimulationRun.objects.filter(Q(status=RunStatus.QUEUED) | stale).order_by("created_at")
    return list(pending.values_list("pk", flat=True))
