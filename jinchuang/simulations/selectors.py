"""Reads of the simulation app: runs, example reforms, and a finished run arranged for its page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from jinchuang.policy.vocabulary import Valley
from jinchuang.simulations.conf import stale_after
from jinchuang.simulations.models import RunStatus, SimulationRun

TOP_MEASURES = 15

EXAMPLES_DIR = Path(__file__).parent / "examples"


@dataclass(frozen=True)
class ExampleReform:
    key: str
    name: str | Promise
    text: str


def _example(key: str, name: str | Promise) -> ExampleReform:
    """An example reform file (``examples/<key>.yaml``: reform files are data, their names Chinese as written)."""
    return ExampleReform(key, name, (EXAMPLES_DIR / f"{key}.yaml").read_text(encoding="utf-8"))


EXAMPLES: tuple[ExampleReform, ...] = (
    _example("jc-8-like-datong", gettext_lazy("晋城技术交易奖励上限提高到100万元(与大同一致)")),
    _example("jc-4-national-2m", gettext_lazy("晋城国家级平台建设经费由100万元提高到200万元")),
    _example("jc-8-rate-25", gettext_lazy("晋城技术交易奖励比例由20%提高到25%")),
    _example("jc-8-unchanged", gettext_lazy("对照: 晋城技术交易上限仍为50万元(差额应为0)")),
)
DEFAULT_REFORM = EXAMPLES[0].text


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
        "measures": [f"{m['citation']} {m['title']}" for m in reversed(top)],
        "baseline_by_measure": [m["baseline_fen"] for m in reversed(top)],
        "reform_by_measure": [m["reform_fen"] for m in reversed(top)],
        "measures_changed": bool(changed),
    }
    quiet = quiet_years(result)
    by_valley = sorted((_money_row(r) for r in result["by_valley"]), key=lambda r: _valley_order(r["valley"]))
    chart["quiet_years"] = quiet
    chart["text"] = chart_text()
    chart["valleys"] = [_(r["valley"]) for r in by_valley]
    chart["baseline_by_valley"] = [r["baseline_fen"] for r in by_valley]
    chart["reform_by_valley"] = [r["reform_fen"] for r in by_valley]
    measures.sort(key=lambda m: (not m["changed"], -abs(m["diff_fen"]), m["valley"], m["measure_id"]))
    return {
        "quiet_years": quiet,
        "events_by_year": result.get("events_by_year"),
        "totals": result["totals"],
        "organisations": result["organisations"],
        "by_valley": by_valley,
        "by_department": [_money_row({"valley": "", **r}) for r in result["by_department"]],
        "by_year": [{**_money_row(r), "quiet": str(r["year"]) in quiet} for r in result["by_year"]],
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


def quiet_years(result: dict[str, Any]) -> list[str]:
    """The simulated years in which the population has no events (results saved before events were counted: none)."""
    counts = result.get("events_by_year")
    if not isinstance(counts, dict):
        return []
    return [str(y) for y in result["years"] if counts.get(str(y), 0) == 0]


def run_done_list(limit: int = 100) -> list[SimulationRun]:
    """Finished runs to compare, newest first."""
    runs = SimulationRun.objects.filter(status=RunStatus.DONE).select_related("scenario").defer("result")
    return list(runs.order_by("-created_at")[:limit])


@dataclass(frozen=True)
class Side:
    """One column of a comparison: a run's reform, or its baseline (current policy)."""

    label: str
    total_fen: int
    by_valley: dict[str, int]
    by_year: dict[str, int]
    by_measure: dict[str, int]
    by_department: dict[tuple[str, str], int]


def _side(run: SimulationRun, label: str, column: str) -> Side:
    result = run.result or {}
    return Side(
        label=label,
        total_fen=int(result["totals"][column]),
        by_valley={r["valley"]: r[column] for r in result["by_valley"]},
        by_year={str(r["year"]): r[column] for r in result["by_year"]},
        by_measure={m["measure_id"]: m[column] for m in result["by_measure"]},
        by_department={(r.get("valley", ""), r["department"]): r[column] for r in result["by_department"]},
    )


def _pair_rows(a: dict[Any, int], b: dict[Any, int]) -> list[dict[str, Any]]:
    keys = list(dict.fromkeys([*a, *b]))
    return [{"key": k, "a_fen": a.get(k, 0), "b_fen": b.get(k, 0), "diff_fen": b.get(k, 0) - a.get(k, 0)} for k in keys]


def compare_report(a: SimulationRun, b: SimulationRun | None, label_a: str, label_b: str) -> dict[str, Any]:
    """Two finished runs (of the same population and years) side by side; ``b`` None is current policy (a's
    baseline). Differences are B − A. Amounts in fen; the page shows them in 万元 and 亿元."""
    left = _side(a, label_a, "reform_fen")
    right = _side(b, label_b, "reform_fen") if b is not None else _side(a, label_b, "baseline_fen")
    result = a.result or {}
    titles = {m["measure_id"]: m for m in result["by_measure"]}
    measures = []
    for row in _pair_rows(left.by_measure, right.by_measure):
        info = titles.get(row["key"], {})
        if row["a_fen"] or row["b_fen"]:
            measures.append(
                {
                    **row,
                    "measure_id": row["key"],
                    "title": info.get("title", ""),
                    "valley": info.get("valley", ""),
                    "citation": info.get("citation", ""),
                    "changed": row["diff_fen"] != 0,
                }
            )
    measures.sort(key=lambda m: (not m["changed"], -abs(m["diff_fen"]), m["valley"], m["measure_id"]))
    quiet = quiet_years(result)
    years = [str(y) for y in result["years"]]
    by_year = [{**r, "quiet": r["key"] in quiet} for r in _pair_rows(left.by_year, right.by_year)]
    by_valley = sorted(_pair_rows(left.by_valley, right.by_valley), key=lambda r: _valley_order(r["key"]))
    departments = [
        {**r, "valley": r["key"][0], "department": r["key"][1]}
        for r in _pair_rows(left.by_department, right.by_department)
    ]
    top = [m for m in measures if m["changed"]][:TOP_MEASURES] or measures[:TOP_MEASURES]
    chart = {
        "labels": [label_a, label_b],
        "years": years,
        "quiet_years": quiet,
        "a_by_year": [left.by_year.get(y, 0) for y in years],
        "b_by_year": [right.by_year.get(y, 0) for y in years],
        "valleys": [_(r["key"]) for r in by_valley],
        "a_by_valley": [r["a_fen"] for r in by_valley],
        "b_by_valley": [r["b_fen"] for r in by_valley],
        "measures": [f"{m['citation']} {m['title']}" for m in reversed(top)],
        "a_by_measure": [m["a_fen"] for m in reversed(top)],
        "b_by_measure": [m["b_fen"] for m in reversed(top)],
        "text": chart_text(),
    }
    return {
        "a": left,
        "b": right,
        "diff_fen": right.total_fen - left.total_fen,
        "by_valley": by_valley,
        "by_year": by_year,
        "by_department": departments,
        "measures": measures,
        "changed_count": sum(1 for m in measures if m["changed"]),
        "quiet_years": quiet,
        "years": years,
        "organisations": result["organisations"],
        "chart": chart,
    }


def chart_text() -> dict[str, str]:
    """The charts' words, translated here (the script has no catalogue of its own)."""
    return {
        "baseline": _("现行政策 (基准)"),
        "reform": _("改革方案"),
        "by_year": _("按年份"),
        "by_valley": _("按市"),
        "top_changed": _("变化最大的措施 (前15项)"),
        "top_unchanged": _("方案未改变任何金额: 支出最多的措施 (前15项)"),
        "by_measure": _("按措施 (差额最大的前15项)"),
        "quiet": _("无事件数据"),
        "wan": pgettext("chart axis unit", "万元"),
        "yi": pgettext("chart axis unit", "亿元"),
    }


def _valley_order(valley: str) -> int:
    order = [v.value for v in Valley]
    return order.index(valley) if valley in order else len(order)
