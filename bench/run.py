"""``make bench``: our engine against OpenFisca on the shared workload of issue 4, in one run.

    bench/.venv/bin/python -m bench.run          # full sizes (about 10 minutes on 2 cores)
    BENCH_QUICK=1 bench/.venv/bin/python -m bench.run   # small sizes, a smoke run of every step
    BENCH_ONLY=w6,w7 bench/.venv/bin/python -m bench.run  # only some workloads (W1..W8)
    BENCH_W6_ORGS=20000 ...                      # W6 at another size than 100,000 (2,000 quick)

Prints a Markdown table and writes it to bench/results/<date>-<commit>.md and bench/results/latest.md
(BENCH_QUICK writes bench/results/quick.md instead, which is not committed).
"""

from __future__ import annotations

import copy
import cProfile
import datetime as dt
import io
import json
import os
import platform
import pstats
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from bench import generate as gen
from bench import of_engine, ours

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
VENV_BIN = Path(sys.executable).parent
QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")

W1_SIZE = 2_000 if QUICK else 100_000
W2_REPS = 100 if QUICK else 1_000
W3_REPS = 50 if QUICK else 1_000
W4_SIZES = (2_000, 20_000) if QUICK else (100_000, 1_000_000)
W5_REPS = 100 if QUICK else 1_000
W5_ORGS = 20_000 if QUICK else 1_000_000
W5_DISTINCT = 2_000 if QUICK else 10_000
WARMUP = 20 if QUICK else 50
W6_ORGS = int(os.environ.get("BENCH_W6_ORGS", "0")) or (2_000 if QUICK else 100_000)  # BENCH_W6_ORGS overrides
W6_FACTS = 10
W7_FACTS = 200
W7_REQUESTS = 20 if QUICK else 50
W7_WARMUP = 5
#: BENCH_ONLY=w6,w7 runs only those workloads (the table then has only their rows)
ONLY = {w.strip().lower() for w in os.environ.get("BENCH_ONLY", "").split(",") if w.strip()}
EXAMPLE_CASE = ROOT / "docs" / "examples" / "team-choosing-a-valley.json"

# targets (issue 4)
W2_RATIO = 10
W4_RATIO = 10
W5_P50_MS = 2.0
W5_WALL_S = 10.0
W5_PEAK_MB = 4 * 1024
W7_P50_MS = 300.0
W8_PAGE_P50_MS = 300.0  # issue 10: the calculator page's server time
W8_COMPUTE_P50_MS = 200.0  # issue 10: a five-valley comparison's compute
W8_RUNS = 20 if QUICK else 50  # at least 20 (issue 10)
W8_WARMUP = 3


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass
class Report:
    rows: list[list[str]] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    profiles: list[str] = field(default_factory=list)

    def row(self, *cells: object) -> None:
        self.rows.append([str(c) for c in cells])


def percentiles(samples_ns: list[int]) -> tuple[float, float]:
    ms = sorted(s / 1e6 for s in samples_ns)
    p99 = ms[min(len(ms) - 1, round(0.99 * (len(ms) - 1)))]
    return statistics.median(ms), p99


def timed(fn: Callable[[Any], object], inputs: Callable[[], Any], reps: int) -> list[int]:
    for _ in range(WARMUP):
        fn(inputs())
    out = []
    for _ in range(reps):
        data = inputs()
        t0 = time.perf_counter_ns()
        fn(data)
        out.append(time.perf_counter_ns() - t0)
    return out


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("**met**" if ok else "**missed**")


def ms(value: float) -> str:
    return f"{value:.3f} ms" if value < 10 else f"{value:.1f} ms"


def mb(value: float) -> str:
    return f"{value:,.0f} MB"


def profile_text(profiler: cProfile.Profile | str, limit: int = 12) -> str:
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.strip_dirs().sort_stats("cumulative").print_stats(limit)
    lines = [line.rstrip() for line in stream.getvalue().splitlines() if line.strip()]
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0)
    return "\n".join(lines[start:])


def vectorised_available() -> bool:
    try:
        import jinchuang.policy.population
        import jinchuang.policy.vectorised  # noqa: F401
    except ImportError:
        return False
    return True


# --- machine --------------------------------------------------------------------------------------


def commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def dirty() -> str:
    try:
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--", "jinchuang", "bench"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return ""
    return " + uncommitted changes in the work tree" if changed else ""


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB memory"
    except (OSError, ValueError, IndexError):
        pass
    versions = ", ".join(
        f"{name} {metadata.version(name)}"
        for name in ("openfisca-core", "numpy", "polars", "django", "gunicorn")
        if _installed(name)
    )
    return (
        f"{os.cpu_count()} CPUs ({cpu}){mem}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; {versions}"
    )


def _installed(name: str) -> bool:
    try:
        metadata.version(name)
    except metadata.PackageNotFoundError:
        return False
    return True


# --- W1 -------------------------------------------------------------------------------------------


def w1(report: Report) -> None:
    log(f"W1 correctness on {W1_SIZE:,} enterprises")
    workload = gen.generate(W1_SIZE, seed=1)
    ref = gen.reference(workload)
    rows = gen.enterprise_rows(workload)
    catalog = ours.benchmark_catalog()
    worst = Decimal(0)
    for row in rows:
        got = ours.amounts_fen(ours.calculate(gen.case_data(row), catalog, explain=False))
        for mid in gen.MEASURES:
            worst = max(worst, abs(got[mid] - ref[mid][row["org_id"]]))
    vec_text = "not measured: vectorised evaluator missing"
    vec_worst: int | None = None
    if vectorised_available():
        from jinchuang.policy.population import Population, normalise
        from jinchuang.policy.vectorised import evaluate_population

        population = normalise(Population(*gen.population_frames(workload)), catalog.vocabulary)
        result = evaluate_population(population, catalog, as_of=gen.AS_OF)
        paid = result.measures.filter(pl.col("status") == "eligible")
        vec_worst = 0
        for mid in gen.MEASURES:
            got_fen = [0] * workload.size
            for org, amount in paid.filter(pl.col("measure_id") == mid).select("org_id", "amount_fen").iter_rows():
                got_fen[org] = amount
            vec_worst = max(vec_worst, max(abs(a - b) for a, b in zip(got_fen, ref[mid], strict=True)))
        vec_text = f"{vec_worst} fen"
    tbs = of_engine.system()
    out = of_engine.calculate_population(of_engine.build_population(tbs, of_engine.arrays(workload)))
    of_worst = 0.0
    of_wrong = 0
    per_measure = []
    for mid in gen.MEASURES:
        truth = np.asarray(ref[mid], dtype=np.float64)
        got64 = out[mid].astype(np.float64) * 100
        err = np.abs(got64 - truth)
        wrong = int((np.round(got64) != truth).sum())
        per_measure.append(f"{mid} {err.max():.3f} fen ({wrong:,} enterprises off after rounding to the fen)")
        of_worst = max(of_worst, float(err.max()))
        of_wrong += wrong
    sample = rows[: min(1000, len(rows))]
    dict_worst = 0.0
    for row in sample:
        values = of_engine.calculate_situation(tbs, of_engine.situation(row), trace=False)
        for variable, mid in of_engine.MEASURE_OF_VARIABLE.items():
            dict_worst = max(dict_worst, abs(values[variable] * 100 - ref[mid][row["org_id"]]))
    ok = worst == 0 and (vec_worst in (0, None))
    report.row(
        f"W1 correctness, {W1_SIZE:,} enterprises: largest error vs exact reference",
        f"{worst} fen (per case); {vec_text} (vectorised)",
        f"{of_worst:.3f} fen",
        "—",
        "ours: zero fen",
        verdict(ok) + ("" if vec_worst is not None else " (per case only)"),
    )
    report.sections.append(
        "### W1 correctness\n\n"
        f"{W1_SIZE:,} generated enterprises (seed 1), three measures each, against the reference in plain Python "
        "integer fen (`bench/generate.py: reference`).\n\n"
        f"- ours, per-case evaluator (`parse_case` + `evaluate`) on every enterprise: largest error **{worst} fen**\n"
        f"- ours, vectorised evaluator (`evaluate_population`) on the same population: **{vec_text}**\n"
        f"- OpenFisca, fastest form (arrays): largest error **{of_worst:.3f} fen**; "
        + "; ".join(per_measure)
        + f" — {of_wrong:,} amounts in all differ from the exact amount even after rounding to the fen. "
        "OpenFisca stores `float` variables as float32 (24-bit mantissa: above 131,072 yuan the step between "
        "two representable values exceeds one fen), so the input amounts and the 20% are already off.\n"
        f"- OpenFisca, situation dicts (the web API's path) on {len(sample):,} of them: largest error "
        f"{dict_worst:.3f} fen\n"
    )


# --- W2 -------------------------------------------------------------------------------------------


def full_enterprise() -> dict[str, Any]:
    """An enterprise that triggers every rule: a platform, a technology-equity contract, 5 hires."""
    workload = gen.generate(200, seed=2)
    for row in gen.enterprise_rows(workload):
        if row["platform_level"] and row["tech_mode"] == "equity":
            return row
    raise RuntimeError("no enterprise with a platform and an equity contract in the sample")


def w2(report: Report) -> dict[str, tuple[float, float]]:
    log(f"W2 one enterprise, {W2_REPS} repetitions")
    row = full_enterprise()
    catalog = ours.benchmark_catalog()
    tbs = of_engine.system()
    case = gen.case_data(row)
    sit = of_engine.situation(row)
    results: dict[str, tuple[float, float]] = {}
    for explain in (True, False):
        results[f"ours-{explain}"] = percentiles(
            timed(lambda d, e=explain: ours.calculate(d, catalog, e), lambda: copy.deepcopy(case), W2_REPS)
        )
        results[f"of-{explain}"] = percentiles(
            timed(lambda d, e=explain: of_engine.calculate_situation(tbs, d, e), lambda: copy.deepcopy(sit), W2_REPS)
        )
    for explain, label in (
        (True, "with explanation (ours `explain=True`; OpenFisca `trace=True`)"),
        (False, "without explanation"),
    ):
        o50, o99 = results[f"ours-{explain}"]
        f50, f99 = results[f"of-{explain}"]
        target = f"≥{W2_RATIO}× faster" if explain else "—"
        report.row(
            f"W2 one enterprise, build + compute, {label}: p50 / p99",
            f"{ms(o50)} / {ms(o99)}",
            f"{ms(f50)} / {ms(f99)}",
            f"{f50 / o50:.1f}× / {f99 / o99:.1f}×",
            target,
            verdict(f50 / o50 >= W2_RATIO) if explain else "n/a",
        )
    report.sections.append(
        "### W2 one enterprise in-process\n\n"
        f"One enterprise with a platform approval, a technology-equity contract and 5 hires; {W2_REPS:,} timed "
        f"repetitions after {WARMUP} warm-up ones, each on a fresh copy of the input. Ours: `parse_case` (untrusted "
        "data, every field checked) + `evaluate` on the benchmark catalog. OpenFisca: "
        "`SimulationBuilder().build_from_entities` on the situation dict + `calculate` of the three benefits, "
        "with `simulation.trace = True` for the explained variant (the tracer records the computation tree; "
        "turning it into text is not included, which favours OpenFisca).\n"
    )
    return results


# --- W3 -------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def post(port: int, path: str, body: bytes) -> tuple[int, bytes]:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("POST", path, body, {"Content-Type": "application/json", "Connection": "close"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def wait_ready(port: int, path: str, body: bytes, proc: subprocess.Popen[bytes], logfile: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server on port {port} exited: {logfile.read_text()[-2000:]}")
        try:
            status, data = post(port, path, body)
        except OSError:
            time.sleep(0.3)
            continue
        if status != 200:
            raise RuntimeError(f"server on port {port} answered {status}: {data[:500]!r}")
        return
    raise RuntimeError(f"server on port {port} did not start: {logfile.read_text()[-2000:]}")


def w3(report: Report, tmp: Path) -> None:
    log(f"W3 HTTP on loopback, {W3_REPS} sequential requests per variant")
    row = full_enterprise()
    env = dict(os.environ, PYTHONPATH=str(ROOT), DJANGO_DEBUG="0", PYTHONUNBUFFERED="1")
    ours_port, of_port = free_port(), free_port()
    ours_log, of_log = tmp / "ours-server.log", tmp / "openfisca-server.log"
    servers = [
        subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "--workers",
                "1",
                "--bind",
                f"127.0.0.1:{ours_port}",
                "bench.ours_wsgi:application",
            ],
            cwd=ROOT,
            env=env,
            stdout=ours_log.open("wb"),
            stderr=subprocess.STDOUT,
        ),
        subprocess.Popen(
            [
                str(VENV_BIN / "openfisca"),
                "serve",
                "--country-package",
                "bench.openfisca_workload",
                "--port",
                str(of_port),
                "--workers",
                "1",
            ],
            cwd=ROOT,
            env=env,
            stdout=of_log.open("wb"),
            stderr=subprocess.STDOUT,
        ),
    ]
    try:
        bodies = {
            (True, "ours"): json.dumps({"case": gen.case_data(row), "explain": True}).encode(),
            (False, "ours"): json.dumps({"case": gen.case_data(row), "explain": False}).encode(),
            (True, "of"): json.dumps(of_engine.situation(row)).encode(),
            (False, "of"): json.dumps(of_engine.situation(row)).encode(),
        }
        wait_ready(ours_port, "/api/v1/calculate", bodies[(False, "ours")], servers[0], ours_log)
        wait_ready(of_port, "/calculate", bodies[(False, "of")], servers[1], of_log)
        stats: dict[tuple[bool, str], tuple[float, float]] = {}
        for explain in (True, False):
            for side, port, path in (
                ("ours", ours_port, "/api/v1/calculate"),
                ("of", of_port, "/trace" if explain else "/calculate"),
            ):
                body = bodies[(explain, side)]

                def call(_: object, port: int = port, path: str = path, body: bytes = body) -> None:
                    status, _data = post(port, path, body)
                    if status != 200:
                        raise RuntimeError(f"{path} answered {status}")

                stats[(explain, side)] = percentiles(timed(call, lambda: None, W3_REPS))
    finally:
        for proc in servers:
            proc.terminate()
        for proc in servers:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
    for explain, label in (
        (True, "with explanation (ours `explain: true`; OpenFisca `/trace`)"),
        (False, "without (ours `explain: false`; OpenFisca `/calculate`)"),
    ):
        o50, o99 = stats[(explain, "ours")]
        f50, f99 = stats[(explain, "of")]
        report.row(
            f"W3 one enterprise over HTTP, {label}: p50 / p99",
            f"{ms(o50)} / {ms(o99)}",
            f"{ms(f50)} / {ms(f99)}",
            f"{f50 / o50:.1f}× / {f99 / o99:.1f}×",
            "—",
            "n/a",
        )
    report.sections.append(
        "### W3 HTTP, sequential, loopback\n\n"
        f"{W3_REPS:,} sequential requests per variant after {WARMUP} warm-up ones, a new connection each, "
        "timed from sending to the last byte of the response. Ours: the project's Django application "
        "(every middleware) under gunicorn, 1 sync worker, `DJANGO_DEBUG=0`, `POST /api/v1/calculate` with the "
        "benchmark catalog (`bench/ours_wsgi.py` points the calculator's service at it; the project has no "
        "setting for another catalog). OpenFisca: `openfisca serve --workers 1` (gunicorn too) with the "
        "benchmark country package, `POST /calculate` and, for the explained variant, `POST /trace`.\n"
    )


# --- W4 / W5 populations in child processes -------------------------------------------------------


def child(engine: str, path: Path, profile: Path | None = None) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "bench.child", engine, str(path)]
    if profile is not None:
        cmd += ["--profile", str(profile)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def best_of(engine: str, path: Path, runs: int) -> dict[str, Any]:
    outs = [child(engine, path) for _ in range(runs)]
    best = min(outs, key=lambda o: o["wall_s"])
    best["peak_mb"] = max(o["peak_mb"] for o in outs)
    best["runs"] = runs
    return best


def w4(report: Report, tmp: Path) -> dict[int, dict[str, Any]]:
    have_ours = vectorised_available()
    measured: dict[int, dict[str, Any]] = {}
    for n in W4_SIZES:
        log(f"W4 {n:,} enterprises")
        workload = gen.generate(n, seed=4)
        ref = gen.reference(workload)
        truth = {mid: sum(values) for mid, values in ref.items()}
        of_path = tmp / f"w4-{n}.npz"
        np.savez(of_path, **of_engine.arrays(workload))
        runs = 3 if n <= 100_000 else 1
        of_out = best_of("openfisca", of_path, runs)
        ours_out: dict[str, Any] | None = None
        if have_ours:
            from jinchuang.policy.population import Population, save

            ours_path = tmp / f"w4-{n}"
            save(Population(*gen.population_frames(workload)), ours_path)
            ours_out = best_of("ours", ours_path, runs)
        del workload
        measured[n] = {"ours": ours_out, "of": of_out, "truth": truth}
        of_off = max(abs(of_out["totals"][mid] - truth[mid]) for mid in gen.MEASURES)
        is_target = n == max(W4_SIZES)
        if ours_out is None:
            report.row(
                f"W4 {n:,} enterprises: wall / peak RSS",
                "not measured: vectorised evaluator missing",
                f"{of_out['wall_s']:.3f} s / {mb(of_out['peak_mb'])}",
                "—",
                f"≥{W4_RATIO}× faster, no more memory" if is_target else "—",
                "n/a",
            )
            continue
        ours_off = max(abs(ours_out["totals"].get(mid, 0) - truth[mid]) for mid in gen.MEASURES)
        speed = of_out["wall_s"] / ours_out["wall_s"]
        mem_ok = ours_out["peak_mb"] <= of_out["peak_mb"]
        report.row(
            f"W4 {n:,} enterprises: wall / peak RSS",
            f"{ours_out['wall_s']:.3f} s / {mb(ours_out['peak_mb'])}",
            f"{of_out['wall_s']:.3f} s / {mb(of_out['peak_mb'])}",
            f"{speed:.2f}× / {ours_out['peak_mb'] / of_out['peak_mb']:.2f}× the memory",
            f"≥{W4_RATIO}× faster, no more memory" if is_target else "—",
            verdict(speed >= W4_RATIO and mem_ok) if is_target else "n/a",
        )
        measured[n]["ours_off"] = ours_off
        measured[n]["of_off"] = of_off
    lines = [
        "### W4 populations\n",
        "Each engine in a fresh child process (`bench/child.py`), input already loaded (not timed): ours reads the "
        "population in the layout of `jinchuang.policy.population` from Parquet, OpenFisca a `.npz` of its input "
        "arrays. Timed: building the engine's structures and computing every amount. Ours: `normalise` + "
        "`evaluate_population` (amounts per organisation and measure"
        + (", instalment payments off" if _payments_flag() else "")
        + "); OpenFisca: entities and membership set as arrays (its fastest form, as survey loaders do), "
        "`set_input` of the 7 input variables, `calculate` of the 3 benefits. Peak RSS is the child's VmHWM, "
        "reset just before building (so it includes the interpreter, the libraries and the loaded input). "
        "100,000 is the best of 3 runs (peak: the highest of the 3); 1,000,000 one run.\n",
        "| enterprises | engine | build | compute | wall | RSS before | peak RSS | total paid vs reference |",
        "|---:|---|---:|---:|---:|---:|---:|---|",
    ]
    for n, m in measured.items():
        for label, key, off in (("ours", "ours", m.get("ours_off")), ("OpenFisca", "of", m.get("of_off"))):
            out = m[key]
            if out is None:
                lines.append(f"| {n:,} | {label} | not measured: vectorised evaluator missing | | | | | |")
                continue
            diff = "exact" if off == 0 else f"off by {off:,.2f} fen"
            lines.append(
                f"| {n:,} | {label} | {out['build_s']:.3f} s | {out['compute_s']:.3f} s | {out['wall_s']:.3f} s | "
                f"{mb(out['rss_before_mb'])} | {mb(out['peak_mb'])} | {diff} |"
            )
    report.sections.append("\n".join(lines) + "\n")
    return measured


def _payments_flag() -> bool:
    if not vectorised_available():
        return False
    import inspect

    from jinchuang.policy.vectorised import evaluate_population

    return "payments" in inspect.signature(evaluate_population).parameters


def w5(report: Report, tmp: Path) -> dict[str, Any]:
    log(f"W5 whole catalog: one case × {W5_REPS}, {W5_ORGS:,} organisations")
    from jinchuang.policy.case import parse_case
    from jinchuang.policy.catalog import default_catalog
    from jinchuang.policy.evaluate import evaluate
    from jinchuang.policy.schema import Valley

    catalog = default_catalog()
    data = json.loads(EXAMPLE_CASE.read_text(encoding="utf-8"))
    measures = sum(1 for _ in catalog.measures())
    out: dict[str, Any] = {}
    for explain in (True, False):
        out[f"case-{explain}"] = percentiles(
            timed(
                lambda d, e=explain: evaluate(parse_case(d, catalog), catalog, list(Valley), explain=e),
                lambda: data,
                W5_REPS,
            )
        )
    p50, p99 = out["case-True"]
    q50, q99 = out["case-False"]
    report.row(
        f"W5 one case, all five valleys ({measures} measures), with explanation: p50 / p99",
        f"{ms(p50)} / {ms(p99)} (without: {ms(q50)} / {ms(q99)})",
        "—",
        "—",
        f"p50 < {W5_P50_MS:g} ms",
        verdict(p50 < W5_P50_MS),
    )
    if not vectorised_available():
        report.row(
            f"W5 {W5_ORGS:,} organisations, whole catalog: wall / peak RSS",
            "not measured: vectorised evaluator missing",
            "—",
            "—",
            f"< {W5_WALL_S:g} s, < {W5_PEAK_MB // 1024} GB",
            "n/a",
        )
        out["orgs"] = None
        return out
    from jinchuang.policy.population import save
    from jinchuang.policy.synthetic import generate_population

    population = generate_population(W5_ORGS, seed=5)
    path = tmp / "w5"
    save(population, path)
    as_of = max(f.get_column("date").max() for f in population.by_type.values())
    (path / "as_of.json").write_text(json.dumps({"as_of": as_of.isoformat()}))
    events = population.event_count
    del population
    result = child("catalog", path)
    out["orgs"] = result
    out["path"] = path
    ok = result["wall_s"] < W5_WALL_S and result["peak_mb"] < W5_PEAK_MB
    report.row(
        f"W5 {W5_ORGS:,} organisations (synthetic population), whole catalog: wall / peak RSS",
        f"{result['wall_s']:.2f} s / {mb(result['peak_mb'])}",
        "—",
        "—",
        f"< {W5_WALL_S:g} s, < {W5_PEAK_MB // 1024} GB",
        verdict(ok),
    )
    try:
        stress = w5_stress(catalog, tmp)
    except Exception as exc:  # the stress row must not cost the rest of the table
        log(f"W5 stress population failed: {exc!r}")
        stress = {"error": f"{type(exc).__name__}: {exc}"}
    out["stress"] = stress
    report.row(
        f"W5 stress: {W5_ORGS:,} organisations of boundary cases, whole catalog: wall / peak RSS",
        f"not measured: {stress['error']}"
        if "error" in stress
        else f"{stress['wall_s']:.2f} s / {mb(stress['peak_mb'])}",
        "—",
        "—",
        "(not a target)",
        "n/a",
    )
    stress_text = (
        f"not measured ({stress['error']})"
        if "error" in stress
        else f"{stress['events']:,} events, as of {stress['as_of']}: build {stress['build_s']:.2f} s, "
        f"compute {stress['compute_s']:.2f} s, peak {mb(stress['peak_mb'])}"
    )
    report.sections.append(
        "### W5 the whole catalog (ours only)\n\n"
        f"One case: `docs/examples/team-choosing-a-valley.json` evaluated against all five valleys' documents "
        f"({measures} measures), `parse_case` + `evaluate(..., valleys=all five)`, {W5_REPS:,} repetitions.\n\n"
        f"Population: `jinchuang.policy.synthetic.generate_population({W5_ORGS:,}, seed=5)` (organisations of every "
        f"kind in plausible proportions per valley, 2025–2027, {events:,} events), as of {as_of}; `normalise` + "
        "`evaluate_population` over all five valleys' documents for every organisation, instalment payments "
        f"included, in a child process: build {result['build_s']:.2f} s, compute {result['compute_s']:.2f} s, "
        f"RSS before {mb(result['rss_before_mb'])}, peak {mb(result['peak_mb'])}.\n\n"
        f"Stress population: {W5_DISTINCT:,} seeded boundary cases (`jinchuang.policy.boundary_cases`: amounts at "
        "caps and one fen either side, validity edges, prior grants for every overlap group) repeated to "
        f"{W5_ORGS:,} organisations: {stress_text}.\n"
    )
    return out


def w5_stress(catalog: Any, tmp: Path) -> dict[str, Any]:
    from jinchuang.policy.boundary_cases import BoundaryCases
    from jinchuang.policy.population import TABLES, Population, population_from_cases, save

    cases = BoundaryCases(catalog, 5).cases(W5_DISTINCT)
    base = population_from_cases(cases, catalog.vocabulary)
    copies = range(W5_ORGS // W5_DISTINCT)
    population = Population(
        *(
            pl.concat([getattr(base, t).with_columns(pl.col("org_id") + k * W5_DISTINCT) for k in copies])
            for t in TABLES
        ),
    )
    path = tmp / "w5-stress"
    save(population, path)
    as_of = max(c.as_of for c in cases)
    (path / "as_of.json").write_text(json.dumps({"as_of": as_of.isoformat()}))
    events = population.event_count
    del population
    result = child("catalog", path)
    result.update(events=events, as_of=as_of.isoformat())
    return result


# --- W6 / W7 the organisation record (a SQLite file database each, in a child process) -------------


def records_child(args: list[str]) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "bench.records", *args]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def w6(report: Report, tmp: Path) -> dict[str, Any]:
    log(f"W6 re-evaluation job: {W6_ORGS:,} organisations x {W6_FACTS} verified facts")
    out = records_child(["w6", str(tmp / "w6.sqlite3"), "--orgs", str(W6_ORGS), "--facts", str(W6_FACTS)])
    ratio = out["wall_s"] / out["engine_s"]
    report.row(
        f"W6 catalog change, {W6_ORGS:,} organisations × {W6_FACTS} verified facts (SQLite): "
        "enqueue + run the batch jobs: wall / organisations per s / peak RSS",
        f"{out['wall_s']:.1f} s / {out['orgs_per_s']:,.0f} per s / {mb(out['peak_mb'])}; "
        f"{out['offers']:,} offers for {out['offer_orgs']:,} organisations",
        f"pure engine on the same cases: {out['engine_s']:.1f} s / {out['engine_orgs_per_s']:,.0f} per s",
        f"{ratio:.1f}× the engine's time",
        "reports time, memory",
        "reported",
    )
    report.sections.append(
        "### W6 the re-evaluation job (catalog change)\n\n"
        f"A fresh SQLite file database (migrated) in a child process (`bench/records.py w6`): {W6_ORGS:,} "
        f"organisations (kinds and valleys in the proportions of `policy.synthetic`), one applicant each, "
        f"{out['facts']:,} verified facts ({W6_FACTS} each, event types in the proportions of "
        "`policy.synthetic.RATES`, dated in the last two years, canonical form through "
        f"`records.services.normalise_event`) by `bulk_create`: built in {out['build_s']:.1f} s (not timed). "
        "Timed end to end: `applications.jobs.reevaluation_enqueue_all(catalog digest)` "
        f"({out['jobs']} `offers.reevaluate_batch` jobs of 500 organisations, {out['enqueue_s']:.2f} s) + "
        f"`tasks.services.run_pending()` ({out['ran']} jobs run, {out['failed']} not done, {out['run_s']:.1f} s): "
        f"{out['offers']:,} open offers created (with their facts, an audit row each, a notification per "
        f"organisation). Peak RSS: VmHWM of the child, reset just before the timed path ({out['peak_scope']}); "
        f"RSS before {mb(out['rss_before_mb'])}.\n\n"
        "Reference in the same child: the pure engine (`parse_case` + `evaluate` on the organisation's valley, "
        "no explanation, as `calculator.services.calculation_run`) on the same cases — each organisation's "
        "verified record built by `records.selectors.case_from_facts` from the facts read back after the run "
        f"(not timed): {out['engine_s']:.2f} s, {out['engine_payable']:,} payable (organisation, measure) pairs "
        f"(the offers: {out['offers']:,}). Ratio = platform / engine: the overhead of the database, the job "
        "table, offers, audit and notifications.\n"
    )
    return out


def w7(report: Report, tmp: Path) -> dict[str, Any]:
    log(f"W7 record page: {W7_FACTS} facts, {W7_REQUESTS} requests per page")
    out = records_child(
        [
            "w7",
            str(tmp / "w7.sqlite3"),
            "--facts",
            str(W7_FACTS),
            "--requests",
            str(W7_REQUESTS),
            "--warmup",
            str(W7_WARMUP),
        ]
    )
    pages = out["pages"]
    for key, empty, label in (
        ("mine", "mine_empty", "its member, `GET /records/`"),
        ("officer", "officer_empty", "an officer (platform administrator), `GET /records/<id>/`"),
    ):
        full, zero = pages[key], pages[empty]
        is_target = key == "mine"
        report.row(
            f"W7 record page of an organisation with {out['facts']} facts, {label}: p50 / p95",
            f"{ms(full['p50_ms'])} / {ms(full['p95_ms'])}",
            f"0 facts: {ms(zero['p50_ms'])} / {ms(zero['p95_ms'])}",
            f"{full['p50_ms'] / zero['p50_ms']:.1f}× the empty page",
            f"p50 < {W7_P50_MS:g} ms" if is_target else "—",
            verdict(full["p50_ms"] < W7_P50_MS) if is_target else "n/a",
        )
    report.sections.append(
        "### W7 the record page\n\n"
        f"A fresh SQLite file database in a child process (`bench/records.py w7`): one enterprise with "
        f"{out['facts']} facts made through the record's services in {out['build_s']:.1f} s (mixed event types; "
        "about 40% declared by its member, the rest entered by an officer (verified), some declared then "
        f"verified, {out['superseded']} corrected (superseded, the correction a new fact), {out['evidence']} "
        "PDF evidence files attached) and one enterprise of the same valley with none. Server time of "
        f"{W7_REQUESTS} GETs after {W7_WARMUP} warm-up ones through Django's test client (the WSGI handler "
        "with every middleware, `DJANGO_DEBUG=0`, no network), logged in with `force_login`: the member's "
        f"`/records/` ({pages['mine']['bytes']:,} bytes; empty {pages['mine_empty']['bytes']:,}) and the "
        f"officer's `/records/<id>/` ({pages['officer']['bytes']:,} bytes). The page includes the entitlements "
        "(the engine on the record's case, with every live fact and with verified facts only).\n"
    )
    out["path"] = tmp / "w7.sqlite3"
    return out


# --- W8 the calculator in a browser (live server + Debian's chromium, in a child process) ---------------


def pages_child(db: Path, profile: Path | None = None) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "bench.pages", str(db), "--runs", str(W8_RUNS), "--warmup", str(W8_WARMUP)]
    if profile is not None:
        cmd += ["--profile", str(profile)]
    env = dict(os.environ, PYTHONPATH=str(ROOT), DJANGO_LOG_LEVEL="ERROR")
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def w8(report: Report, tmp: Path) -> dict[str, Any]:
    log(f"W8 calculator in Chromium: {W8_RUNS} runs after {W8_WARMUP} warm-up ones")
    out = pages_child(tmp / "w8.sqlite3")
    visitor, member, compute = out["page_visitor"], out["page_member"], out["compute"]
    for label, page in (("a visitor", visitor), ("a signed-in member (from the record)", member)):
        report.row(
            f"W8 calculator page `GET /calculator/`, {label}: server time (Navigation Timing "
            "responseStart − requestStart) p50 / p95",
            f"{ms(page['server']['p50_ms'])} / {ms(page['server']['p95_ms'])}",
            f"page load event p50 {ms(page['load']['p50_ms'])}",
            "—",
            f"p50 < {W8_PAGE_P50_MS:g} ms",
            verdict(page["server"]["p50_ms"] < W8_PAGE_P50_MS),
        )
    report.row(
        "W8 compute, five-valley comparison posted from the page: server time (Resource Timing "
        "responseStart − requestStart) p50 / p95",
        f"{ms(compute['server']['p50_ms'])} / {ms(compute['server']['p95_ms'])}",
        f"round trip (performance.now) p50 {ms(compute['roundtrip']['p50_ms'])}",
        "—",
        f"p50 < {W8_COMPUTE_P50_MS:g} ms",
        verdict(compute["server"]["p50_ms"] < W8_COMPUTE_P50_MS),
    )
    report.sections.append(
        "### W8 the calculator in a browser\n\n"
        "A child process (`bench/pages.py`) migrates a fresh SQLite file, loads the catalog and the demo data "
        f"(`catalog_publish`, `load_demo`, `load_demo_applications`, `load_demo_records`; {out['build_s']:.1f} s, "
        "not timed), serves the project with Django's threaded WSGI server (the one `runserver` uses, static "
        "files handler, `DJANGO_DEBUG=0`) in a thread, and drives Debian's `/usr/bin/chromium` (headless) "
        f"through Playwright. {out['runs']} runs after {out['warmup']} warm-up ones each: `GET /calculator/` "
        f"for a visitor ({visitor['bytes']:,} bytes) and for the demo member signed in (the page starts from "
        f"the record, {member['bytes']:,} bytes), server time from the browser's Navigation Timing; the "
        "calculator's own form filled as a visitor would (a technology contract of 120 万元 in the 万元 unit, "
        "a hired PhD, 五个谷对比) and posted by `fetch` from the page, server time from Resource Timing and "
        f"the round trip by `performance.now()` until the answer ({compute['bytes']:,} characters, with its "
        "由个人申报 cards) is read. Times are the browser's, on the same machine (no network latency).\n"
    )
    missed = visitor["server"]["p50_ms"] >= W8_PAGE_P50_MS or member["server"]["p50_ms"] >= W8_PAGE_P50_MS
    if missed or compute["server"]["p50_ms"] >= W8_COMPUTE_P50_MS:
        profile = tmp / "w8-profile.txt"
        pages_child(tmp / "w8-profile.sqlite3", profile)
        report.profiles.append(
            "W8 (the server side of every timed request, pyinstrument):\n\n```\n"
            + profile.read_text(encoding="utf-8")[:12000]
            + "\n```\n"
        )
    return out


# --- profiles of missed targets --------------------------------------------------------------------


def profiles(
    report: Report,
    w2_results: dict[str, tuple[float, float]],
    w4_results: dict[int, dict[str, Any]],
    w5_results: dict[str, Any],
    tmp: Path,
    w7_results: dict[str, Any] | None = None,
) -> None:
    if w2_results and w2_results["of-True"][0] / w2_results["ours-True"][0] < W2_RATIO:
        catalog = ours.benchmark_catalog()
        case = gen.case_data(full_enterprise())
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(W2_REPS):
            ours.calculate(case, catalog, True)
        profiler.disable()
        report.profiles.append(
            f"W2 (ours, {W2_REPS} × parse_case + evaluate with explanation), cumulative:\n\n```\n"
            + profile_text(profiler)
            + "\n```\n"
        )
    largest = max(W4_SIZES)
    m = w4_results.get(largest)
    if m and m["ours"] is not None:
        speed = m["of"]["wall_s"] / m["ours"]["wall_s"]
        if speed < W4_RATIO or m["ours"]["peak_mb"] > m["of"]["peak_mb"]:
            prof = tmp / "w4.prof"
            child("ours", tmp / f"w4-{largest}", prof)
            report.profiles.append(
                f"W4 (ours, {largest:,} enterprises, build = normalise {m['ours']['build_s']:.2f} s, "
                f"compute = evaluate_population {m['ours']['compute_s']:.2f} s; OpenFisca "
                f"{m['of']['build_s']:.2f} s + {m['of']['compute_s']:.2f} s), cumulative:\n\n```\n"
                + profile_text(str(prof), 25)
                + "\n```\n"
            )
    if w5_results and w5_results["case-True"][0] >= W5_P50_MS:
        from jinchuang.policy.case import parse_case
        from jinchuang.policy.catalog import default_catalog
        from jinchuang.policy.evaluate import evaluate
        from jinchuang.policy.schema import Valley

        catalog = default_catalog()
        data = json.loads(EXAMPLE_CASE.read_text(encoding="utf-8"))
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(W5_REPS):
            evaluate(parse_case(data, catalog), catalog, list(Valley), explain=True)
        profiler.disable()
        report.profiles.append(
            f"W5 one case (ours, {W5_REPS} × whole catalog with explanation), cumulative:\n\n```\n"
            + profile_text(profiler)
            + "\n```\n"
        )
    w7_results = w7_results or {}
    if w7_results.get("pages") and w7_results["pages"]["mine"]["p50_ms"] >= W7_P50_MS:
        prof = tmp / "w7.prof"
        records_child(
            [
                "w7",
                str(tmp / "w7-profile.sqlite3"),
                "--facts",
                str(W7_FACTS),
                "--requests",
                "10",
                "--warmup",
                str(W7_WARMUP),
                "--profile",
                str(prof),
            ]
        )
        report.profiles.append(
            f"W7 (the member's `/records/` with {w7_results['facts']} facts, 10 requests), cumulative:\n\n```\n"
            + profile_text(str(prof), 30)
            + "\n```\n"
        )
    orgs = w5_results.get("orgs")
    if orgs and (orgs["wall_s"] >= W5_WALL_S or orgs["peak_mb"] >= W5_PEAK_MB):
        prof = tmp / "w5.prof"
        child("catalog", w5_results["path"], prof)
        report.profiles.append(
            f"W5 synthetic population (ours, {W5_ORGS:,} organisations), cumulative:\n\n```\n"
            + profile_text(str(prof), 25)
            + "\n```\n"
        )


# --- report ---------------------------------------------------------------------------------------


def render(report: Report, started: dt.datetime, elapsed: float) -> str:
    head = [
        f"# Benchmarks — {started:%Y-%m-%d %H:%M} UTC, commit {commit()}{dirty()}"
        + (" (BENCH_QUICK: small sizes)" if QUICK else ""),
        "",
        f"Machine: {machine()}.",
        f"Load average (1 min) at start / end: {LOAD_START:.2f} / {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs "
        "(other work on the machine shows here and in the p99s).",
        f"Run time {elapsed / 60:.1f} min. Same run, same data, same machine for both engines; workload and method in "
        "docs/benchmarks.md. Ratio = OpenFisca / ours (above 1: ours is faster); W6 and W7 have no OpenFisca "
        "side: their reference column is the same-run reference it names, and their ratio is ours / that reference; "
        "W8 (the calculator in a browser) has neither: its second column is a further browser time.",
        "",
        "| workload | ours | OpenFisca | ratio | target | |",
        "|---|---|---|---|---|---|",
    ]
    body = ["| " + " | ".join(r) + " |" for r in report.rows]
    parts = head + body + [""] + report.sections
    if report.profiles:
        parts += ["### Profiles of the missed targets\n", *report.profiles]
    return "\n".join(parts) + "\n"


LOAD_START = os.getloadavg()[0]


def main() -> None:
    started = dt.datetime.now(dt.UTC)
    t0 = time.monotonic()
    report = Report()
    with tempfile.TemporaryDirectory(prefix="jinchuang-bench-") as name:
        tmp = Path(name)
        wanted = lambda name: not ONLY or name in ONLY  # noqa: E731
        w2_results: dict[str, tuple[float, float]] = {}
        w4_results: dict[int, dict[str, Any]] = {}
        w5_results: dict[str, Any] = {}
        w7_results: dict[str, Any] = {}
        if wanted("w1"):
            w1(report)
        if wanted("w2"):
            w2_results = w2(report)
        if wanted("w3"):
            w3(report, tmp)
        if wanted("w4"):
            w4_results = w4(report, tmp)
        if wanted("w5"):
            w5_results = w5(report, tmp)
        if wanted("w6"):
            w6(report, tmp)
        if wanted("w7"):
            w7_results = w7(report, tmp)
        if wanted("w8"):
            w8(report, tmp)
        log("profiles of missed targets")
        profiles(report, w2_results, w4_results, w5_results, tmp, w7_results)
    text = render(report, started, time.monotonic() - t0)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    if QUICK:
        (RESULTS / "quick.md").write_text(text, encoding="utf-8")
        log(f"wrote {RESULTS / 'quick.md'}")
        return
    dated = RESULTS / f"{started:%Y-%m-%d}-{commit()}.md"
    dated.write_text(text, encoding="utf-8")
    (RESULTS / "latest.md").write_text(text, encoding="utf-8")
    log(f"wrote {dated} and {RESULTS / 'latest.md'}")


if __name__ == "__main__":
    main()
