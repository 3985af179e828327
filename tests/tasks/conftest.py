"""Fixtures of the task-interface tests: the sample tasks and a database threads and processes share."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from tests.tasks import sample_tasks


@pytest.fixture(autouse=True)
def _reset_calls() -> Iterator[None]:
    sample_tasks.calls.clear()
    yield
    sample_tasks.calls.clear()


@pytest.fixture
def shared_database(transactional_db: None, tmp_path: Path) -> Iterator[str]:
    """A database every thread and process can open (a file on SQLite); yields its DATABASE_URL.

    The same arrangement as tests/applications/test_concurrent_approvals.py.
    """
    settings_dict = connection.settings_dict
    if connection.vendor != "sqlite":
        user = settings_dict["USER"]
        password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
        yield f"postgres://{user}{password}@{settings_dict['HOST']}:{settings_dict['PORT']}/{settings_dict['NAME']}"
        return
    saved_name = settings_dict["NAME"]
    saved_connection = connection.connection
    connection.connection = None  # the in-memory test database stays open behind this
    path = tmp_path / "tasks.sqlite3"
    settings_dict["NAME"] = str(path)
    try:
        call_command("migrate", verbosity=0, interactive=False)
        yield f"sqlite:///{path}"
    finally:
        connection.close()
        settings_dict["NAME"] = saved_name
        connection.connection = saved_connection
