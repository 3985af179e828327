"""The record's faces: a cast whose officers serve its organisation, and linfen certification events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from jinchuang.accounts.models import User
from jinchuang.applications.models import ServiceAgentAssignment
from jinchuang.policy.vocabulary import Valley
from jinchuang.records import permissions
from tests.applications.conftest import Cast, make_cast


def _assigned(user: User) -> set[int]:
    return set(ServiceAgentAssignment.objects.filter(agent=user).values_list("organisation_id", flat=True))


@pytest.fixture
def served() -> Iterator[None]:
    """Officer scope as the applications area gives it: a 服务专员 serves the organisations assigned
    to them (registered here too, so that these tests do not hang on that area's start-up)."""
    added = _assigned not in permissions._PROVIDERS
    permissions.register_served(_assigned)
    yield
    if added:
        permissions._PROVIDERS.remove(_assigned)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def linfen(db: None, served: None) -> Cast:
    return make_cast(valley=Valley.LINFEN, settled_on=dt.date(2025, 1, 1))


def high_tech(date: str = "2025-11-01", first_time: Any = True) -> dict[str, Any]:
    return {"type": "certification_granted", "date": date, "cert": "high_tech", "first_time": first_time}


def contract(amount: Any, date: str = "2025-06-01") -> dict[str, Any]:
    return {"type": "tech_contract_registered", "date": date, "amount": amount, "mode": "transfer", "role": "buyer"}


AS_OF = dt.date(2026, 12, 31)
