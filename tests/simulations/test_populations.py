"""Populations on disk and the make_demo_population command (idempotent)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from jinchuang.simulations.conf import populations_dir
from jinchuang.simulations.populations import population_exists, population_generate, population_list, population_load


def test_the_default_directory_is_var_populations(settings: object) -> None:
    assert populations_dir() == Path(settings.BASE_DIR) / "var" / "populations"  # type: ignore[attr-defined]


def test_populations_are_listed_with_their_size(small_population: str) -> None:
    listed = {p.name: p.organisations for p in population_list()}
    assert listed[small_population] == 300
    assert population_load(small_population).size == 300


def test_names_that_leave_the_directory_are_refused(small_population: str) -> None:
    for name in ("../x", "..", "/etc", ".hidden", ""):
        assert not population_exists(name)
    with pytest.raises(ValueError, match="人群名称无效"):
        population_generate(name="../x", size=1, seed=0, first_year=2025, last_year=2025)


def test_make_demo_population_skips_an_existing_population(tmp_path: Path) -> None:
    with override_settings(JINCHUANG_POPULATIONS_DIR=tmp_path):
        first, second = StringIO(), StringIO()
        call_command("make_demo_population", "--name", "demo-small", "--size", "40", stdout=first)
        written = (tmp_path / "demo-small" / "organisations.parquet").stat().st_mtime_ns
        call_command("make_demo_population", "--name", "demo-small", "--size", "40", stdout=second)
        assert "已生成人群 demo-small (40 个机构)" in first.getvalue()
        assert "已存在, 跳过" in second.getvalue()
        assert (tmp_path / "demo-small" / "organisations.parquet").stat().st_mtime_ns == written
        assert [p.name for p in population_list()] == ["demo-small"]
        assert {f.name for f in (tmp_path / "demo-small").iterdir()} == {
            "organisations.parquet",
            "events.parquet",
            "prior_grants.parquet",
        }
