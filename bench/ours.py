"""Our side of the benchmark: the workload catalog and the per-case evaluator."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from jinchuang.policy.case import parse_case
from jinchuang.policy.catalog import Catalog, build_catalog, load_vocabulary_file
from jinchuang.policy.evaluate import evaluate
from jinchuang.policy.results import Result, Status
from jinchuang.policy.schema import Document

WORKLOAD_YAML = Path(__file__).parent / "workload" / "benchmark.yaml"


@cache
def benchmark_catalog() -> Catalog:
    with WORKLOAD_YAML.open(encoding="utf-8") as fh:
        document = Document.model_validate(yaml.safe_load(fh))
    return build_catalog([document], load_vocabulary_file())


def calculate(data: dict[str, Any], catalog: Catalog, explain: bool) -> Result:
    """What one request does: parse the untrusted case, evaluate it."""
    return evaluate(parse_case(data, catalog), catalog, explain=explain)


def amounts_fen(result: Result) -> dict[str, Decimal]:
    """Paid amount per measure in fen, exactly (zero unless eligible)."""
    return {m.measure_id: m.amount * 100 if m.status is Status.ELIGIBLE else Decimal(0) for m in result.measures}
