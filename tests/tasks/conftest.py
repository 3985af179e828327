"""Fixtures of the task-interface tests: the sample tasks and a database threads and processes share."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.tasks import sample_tasks


@pytest.fixture(autouse=True)
def _reset_calls() -> Iterator[None]:
    sample_tasks.calls.clear()
    yield
    sample_tasks.calls.clear()
