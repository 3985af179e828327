"""The simulation's measure rows cite their clause the one way (citation.cite)."""

from __future__ import annotations

from jinchuang.policy.catalog import default_catalog
from jinchuang.policy.simulate import _measure_table


def test_measure_rows_cite_numbered_clauses_as_di_n_tiao() -> None:
    table = _measure_table(default_catalog())
    clauses = dict(zip(table["measure_id"].to_list(), table["clause"].to_list(), strict=True))
    assert clauses["jc-8"] == "晋市政办〔2024〕39号 第8条"
    assert not any("第第" in c or c.endswith("条条") for c in clauses.values())
