"""The ledger through the API: each row carries its 申报编号, clause and 统一社会信用代码; the month paid
filters like the page's; a month that is not one is refused naming the parameter."""

from __future__ import annotations

import pytest

from tests.applications.api.conftest import api_for
from tests.applications.conftest import Cast
from tests.applications.ledger_support import two_awards

pytestmark = pytest.mark.django_db


def test_rows_carry_number_clause_and_credit_code(cast: Cast) -> None:
    two_awards(cast)
    data = api_for(cast.finance).get("/ledger").json()
    first = data["items"][0]
    assert first["number"] == "JC-2026-000007" and first["citation"] == "晋市政办〔2024〕39号 第8条"
    assert first["unified_social_credit_code"] == "91140500MA0KXXXX1G"
    assert data["total"]["fen"] == 176_666_667 and data["count"] == 3


def test_the_month_paid_filters_and_a_wrong_month_is_named(cast: Cast) -> None:
    two_awards(cast)
    finance = api_for(cast.finance)
    march = finance.get("/ledger", paid_month="2026-03").json()
    assert march["count"] == 1 and march["total"]["fen"] == 33_333_333
    wrong = finance.get("/ledger", paid_month="2026-13")
    assert wrong.status_code == 422
    assert "paid_month" in wrong.content.decode()
