"""One population run in a fresh process, so that its peak memory is its own.

    python -m bench.child ours|openfisca|catalog INPUT [--profile FILE]

Loads the input (not timed), then times building the engine's structures and computing every
amount, and prints one JSON line: build_s, compute_s, wall_s, rss_before_mb, peak_mb (the process's
peak resident set while building and computing: VmHWM, reset just before through
/proc/self/clear_refs where the kernel allows it), peak_scope, totals (fen per measure).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import inspect
import json
import time
from pathlib import Path
from typing import Any


def _status(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> str:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return "process lifetime (incl. loading the input)"
    return "build and compute (input already loaded)"


def _ours(path: Path, catalog_name: str) -> tuple[Any, Any]:
    import polars as pl

    from jinchuang.policy.catalog import default_catalog
    from jinchuang.policy.population import normalise
    from jinchuang.policy.vectorised import evaluate_population

    if catalog_name == "benchmark":
        from bench.generate import AS_OF
        from bench.ours import benchmark_catalog

        catalog = benchmark_catalog()
        as_of = AS_OF
    else:
        catalog = default_catalog()
        as_of = json.loads((path / "as_of.json").read_text())["as_of"]
        import datetime as dt

        as_of = dt.date.fromisoformat(as_of)
    from jinchuang.policy.population import load_raw

    raw = load_raw(path, catalog.vocabulary)  # one narrow frame per event type, not timed
    options: dict[str, Any] = {}
    if catalog_name == "benchmark" and "payments" in inspect.signature(evaluate_population).parameters:
        options["payments"] = False  # amounts only, like OpenFisca's side

    def build() -> Any:
        return normalise(raw, catalog.vocabulary)

    def compute(population: Any) -> dict[str, int]:
        result = evaluate_population(population, catalog, as_of=as_of, **options)
        paid = result.measures.filter(pl.col("status") == "eligible")
        totals = paid.group_by("measure_id").agg(pl.col("amount_fen").sum())
        return {str(k): int(v) for k, v in totals.iter_rows()}

    return build, compute


def _openfisca(path: Path) -> tuple[Any, Any]:
    import numpy as np

    from bench.of_engine import build_population, calculate_population, system

    tbs = system()
    with np.load(path) as npz:
        data = {k: npz[k] for k in npz.files}

    def build() -> Any:
        return build_population(tbs, data)

    def compute(simulation: Any) -> dict[str, float]:
        return {k: float(v.astype(np.float64).sum() * 100) for k, v in calculate_population(simulation).items()}

    return build, compute


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("engine", choices=("ours", "openfisca", "catalog"))
    parser.add_argument("input", type=Path)
    parser.add_argument("--profile", type=Path)
    args = parser.parse_args()
    if args.engine == "openfisca":
        build, compute = _openfisca(args.input)
    else:
        build, compute = _ours(args.input, "benchmark" if args.engine == "ours" else "catalog")
    gc.collect()
    rss_before = _status("VmRSS")
    scope = _reset_peak()
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    t0 = time.perf_counter()
    built = build()
    t1 = time.perf_counter()
    totals = compute(built)
    t2 = time.perf_counter()
    if profiler:
        profiler.disable()
        profiler.dump_stats(args.profile)
    out = {
        "build_s": t1 - t0,
        "compute_s": t2 - t1,
        "wall_s": t2 - t0,
        "rss_before_mb": rss_before,
        "peak_mb": _status("VmHWM"),
        "peak_scope": scope,
        "totals": totals,
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
