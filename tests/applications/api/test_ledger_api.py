"""The ledger through the API: each row carries its 申报编号, clause and 统一社会信用代码; the month paid
filters like the page's; a month that is not one is refused naming the parameter."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.applications.api.conftest import api_for
from tests.applications.conftest import Cast
from tests.applications.ledger_support import STARTUP, TECH, award

pytestmark = pytest.mark.django_db


def _ledger(cast: Cast) -> None:
    cast.organisation.unified_social_credit_code = "91140500MA0KXXXX1G"
    cast.organisation.save(update_fields=["unified_social_credit_code"])
    award(
        organisation=cast.organisation,
        approver=cast.reviewer,
        payer=cast.finance,
        measure=TECH,
        instalments=[(2026, 110_000_000, dt.date(2026, 1, 5))],
        number="JC-2026-000007",
    )
    award(
        organisation=cast.organisation,
        approver=cast.reviewer,
        payer=cast.finance,
        measure=STARTUP,
        instalments=[(2026, 33_333_333, dt.date(2026, 3, 2)), (2027, 33_333_334, None)],
    )


def test_rows_carry_number_clause_and_credit_code(cast: Cast) -> None:
    _ledger(cast)
    data = api_for(cast.finance).get("/ledger").json()
    first = data["items"][0]
    assert first["number"] == "JC-2026-000007" and first["citation"] == "晋市政办〔2024〕39号 第8条"
    assert first["unified_social_credit_code"] == "91140500MA0KXXXX1G"
    assert data["total"]["fen"] == 176_666_667 and data["count"] == 3


def test_the_month_paid_filters_and_a_wrong_month_is_named(cast: Cast) -> None:
    _ledger(cast)
    finance = api_for(cast.finance)
    march = finance.get("/ledger", paid_month="2026-03").json()
    assert march["count"] == 1 and march["total"]["fen"] == 33_333_333
    wrong = finance.get("/ledger", paid_month="2026-13")
    assert wrong.status_code == 422
    assert "paid_month" in wrong.content.decode()
