"""Populations on disk: one directory of Parquet (or CSV) files per population (docs/population-format.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from django.utils.translation import gettext as _

from jinchuang.policy import population as population_files
from jinchuang.policy.catalog import default_catalog
from jinchuang.policy.population import Population
from jinchuang.policy.synthetic import generate_population
from jinchuang.simulations.conf import populations_dir

NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
DEMO_POPULATION = "demo-20000"


@dataclass(frozen=True)
class PopulationInfo:
    name: str
    organisations: int


def _directory(name: str) -> Path | None:
    if not NAME_PATTERN.match(name):
        return None
    path = populations_dir() / name
    if any((path / f"organisations.{ext}").exists() for ext in ("parquet", "csv")):
        return path
    return None


def population_exists(name: str) -> bool:
    return _directory(name) is not None


def _count(path: Path) -> int:
    parquet = path / "organisations.parquet"
    if parquet.exists():
        return int(pl.scan_parquet(parquet).select(pl.len()).collect().item())
    return int(pl.scan_csv(path / "organisations.csv").select(pl.len()).collect().item())


def population_list() -> list[PopulationInfo]:
    """The populations available to simulate, by name."""
    root = populations_dir()
    if not root.is_dir():
        return []
    found = []
    for child in sorted(root.iterdir()):
        if child.is_dir() and _directory(child.name) is not None:
            found.append(PopulationInfo(name=child.name, organisations=_count(child)))
    return found


def population_load(name: str) -> Population:
    path = _directory(name)
    if path is None:
        raise FileNotFoundError(_("没有人群 “%(name)s”") % {"name": name})
    return population_files.load(path, default_catalog().vocabulary)


def population_generate(*, name: str, size: int, seed: int, first_year: int, last_year: int) -> bool:
    """Write a synthetic population unless one of that name exists; True when written."""
    if not NAME_PATTERN.match(name):
        raise ValueError(f"人群名称无效 '{name}'")
    if population_exists(name):
        return False
    generated = generate_population(size, seed=seed, first_year=first_year, last_year=last_year)
    target = populations_dir() / name
    partial = populations_dir() / f".{name}.partial"
    population_files.save(generated, partial)
    partial.rename(target)  # appears whole or not at all
    return True
