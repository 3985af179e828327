"""The suite really runs on the database DATABASE_URL names (so the PostgreSQL pass is real)."""

from __future__ import annotations

import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_connected_to_the_database_named_by_database_url() -> None:
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_server_version() -> None:
    assert connection.vendor == "postgresql"
    assert connection.pg_version >= 120000  # type: ignore[attr-defined]
