"""Shared test set-up: the database marker and the PostgreSQL-only marker."""

from __future__ import annotations

import os

import pytest

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
