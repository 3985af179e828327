"""Shared test set-up: the database marker and the PostgreSQL-only marker."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

# Fixtures that mean "this test talks to the database": such tests get the ``database`` marker and
# run a second time on PostgreSQL (see the Makefile's test-postgres target).
DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "live_server",
        "admin_client",
        "admin_user",
        "django_user_model",
    }
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if item.get_closest_marker("django_db") is not None or fixtures & DATABASE_FIXTURES:
            item.add_marker(pytest.mark.database)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("postgres") is not None:
        if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
            pytest.skip("PostgreSQL-only test; DATABASE_URL does not point at PostgreSQL")


@pytest.fixture
def shared_database(transactional_db: None, tmp_path: Path) -> Iterator[str]:
    """A database every thread and process can open (a file on SQLite, the test database on PostgreSQL);
    yields its DATABASE_URL. Used by the race tests of applications and the task interface."""
    settings_dict = connection.settings_dict
    if connection.vendor != "sqlite":
        user = settings_dict["USER"]
        password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
        yield f"postgres://{user}{password}@{settings_dict['HOST']}:{settings_dict['PORT']}/{settings_dict['NAME']}"
        return
    saved_name = settings_dict["NAME"]
    saved_connection = connection.connection
    connection.connection = None  # the in-memory test database stays open behind this
    path = tmp_path / "shared.sqlite3"
    settings_dict["NAME"] = str(path)
    try:
        call_command("migrate", verbosity=0, interactive=False)
        yield f"sqlite:///{path}"
    finally:
        connection.close()
        settings_dict["NAME"] = saved_name
        connection.connection = saved_connection


@pytest.fixture(autouse=True)
def platform_language() -> Iterator[None]:
    """Every test starts and ends in the platform's language (zh-hans).

    A request in English activates English for the thread; the money filters' unit and every gettext follow the
    active language, so without this a test's output would depend on which test ran before it.
    """
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
