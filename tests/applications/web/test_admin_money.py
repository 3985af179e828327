"""The back office lists amounts in 元 with the one formatter, never as raw fen."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from jinchuang.accounts.models import Role
from tests.applications.ledger_support import award
from tests.applications.web.conftest import Cast
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_award_and_instalment_lists_show_yuan_with_separators(cast: Cast) -> None:
    award(
        organisation=cast.organisation,
        approver=cast.reviewer,
        payer=cast.finance,
        instalments=[(2026, 24_000_000, dt.date(2026, 1, 5)), (2027, 12_345_678, None)],
    )
    admin = make_user(organisation=cast.organisation, roles={Role.ADMIN: ""}, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    instalments = client.get("/admin/applications/instalment/").content.decode()
    assert "240,000.00 元" in instalments and "123,456.78 元" in instalments
    assert "24000000" not in instalments and "12345678" not in instalments
    awards = client.get("/admin/applications/award/").content.decode()
    assert "363,456.78 元" in awards and "36345678" not in awards
    applications = client.get("/admin/applications/application/").content.decode()
    assert "363,456.78 元" in applications
