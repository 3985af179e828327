"""A small generated population (300 organisations) in a temporary populations directory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings

from jinchuang.simulations.populations import population_generate

SMALL = "test-300"


@pytest.fixture(scope="session")
def populations_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("populations")
    with override_settings(JINCHUANG_POPULATIONS_DIR=root):
        population_generate(name=SMALL, size=300, seed=2026, first_year=2025, last_year=2027)
    return root


@pytest.fixture
def small_population(populations_root: Path) -> Iterator[str]:
    with override_settings(JINCHUANG_POPULATIONS_DIR=populations_root):
        yield SMALL
