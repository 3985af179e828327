"""A 40-digit money amount on the calculator and where-to-settle pages: the form again (HTTP 400) with a
Chinese error beside the amount field, never a 500 (issue 8: 27+ digits once crashed the page)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

HUGE = "1" * 40
FORM = {
    "as_of": "2025-12-31",
    "applicant_kind": "enterprise",
    "applicant_valley": "晋城",
    "settled_on": "2025-01-01",
    "ev-0-type": "tech_contract_registered",
    "ev-0-date": "2025-06-01",
    "ev-0-amount": HUGE,
    "ev-0-mode": "transfer",
    "ev-0-role": "buyer",
}
OUT_OF_RANGE = "金额超出范围: 最大 999,999,999,999.99 元"
BESIDE_THE_AMOUNT = re.compile(
    rf'name="ev-0-amount" value="1{{40}}".*?<p class="field-error" role="alert">{OUT_OF_RANGE}', re.S
)


@pytest.mark.parametrize("url", ["/calculator/", "/calculator/settle/"])
def test_a_40_digit_event_amount_is_refused_beside_its_field(client: Client, url: str) -> None:
    response = client.post(url, FORM)
    assert response.status_code == 400
    assert BESIDE_THE_AMOUNT.search(response.content.decode())


@pytest.mark.parametrize("url", ["/calculator/", "/calculator/settle/"])
def test_a_40_digit_prior_grant_amount_is_refused_beside_its_field(client: Client, url: str) -> None:
    post = {
        **FORM,
        "ev-0-amount": "1200000",
        "pg-0-matter": "tech_transaction",
        "pg-0-amount": HUGE,
        "pg-0-date": "2025-01-01",
        "pg-0-policy": "市级",
        "pg-0-level": "city",
    }
    response = client.post(url, post)
    assert response.status_code == 400
    page = response.content.decode()
    assert "<li>已获支持 1 · 金额: 金额超出范围" in page  # the place in words, never the field path
    assert "prior_grants[0]" not in page
    assert re.search(r'name="pg-0-amount" value="1{40}"[^>]*>.*?<p class="field-error"[^>]*>金额超出范围', page, re.S)
