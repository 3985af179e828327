"""The guided form: 万元 or 元 converted exactly, events added and removed without JavaScript, errors
beside the field in words, no internal code asked for; worked examples load on demand."""

from __future__ import annotations

import re

import pytest
from django.http import QueryDict
from django.test import Client

from jinchuang.calculator.caseform import case_from_form, money_from_form, ratio_from_form
from jinchuang.calculator.selectors import EXAMPLES_PER_PAGE, worked_examples

FORM = {
    "as_of": "2025-12-31",
    "applicant_kind": "enterprise",
    "applicant_valley": "晋城",
    "settled_on": "2025-01-01",
    "ev-0-type": "tech_contract_registered",
    "ev-0-date": "2025-06-01",
    "ev-0-amount": "120",
    "ev-0-amount-unit": "wan",
    "ev-0-mode": "transfer",
    "ev-0-role": "buyer",
    "scope": "",
}


@pytest.mark.parametrize(
    ("typed", "unit", "yuan"),
    [
        ("120", "wan", "1200000"),
        ("120万", "yuan", "1200000"),  # the suffix wins over the selector
        ("120 万元", "yuan", "1200000"),
        ("12.3456", "wan", "123456"),
        ("0.000001", "wan", "0.01"),  # one fen, exactly
        ("1,200,000 元", "yuan", "1,200,000"),
        ("1200000", "yuan", "1200000"),
        ("1,234.5", "wan", "12345000"),
    ],
)
def test_money_is_converted_exactly(typed: str, unit: str, yuan: str) -> None:
    assert money_from_form(typed, unit) == yuan


def test_text_that_is_no_amount_is_kept_as_typed() -> None:
    assert money_from_form("abc", "wan") == "abc" and money_from_form("十二万", "yuan") == "十二万"
    assert money_from_form("-3", "yuan") == "-3"
    assert ratio_from_form("20%") == "0.2" and ratio_from_form("12.5％") == "0.125" and ratio_from_form("0.3") == "0.3"


def test_the_form_reads_the_unit_of_each_money_field() -> None:
    post = QueryDict(mutable=True)
    post.update({**FORM, "pg-0-matter": "tech_transaction", "pg-0-amount": "5", "pg-0-amount-unit": "wan"})
    data, _paths = case_from_form(post)
    assert data["events"][0]["amount"] == "1200000"
    assert "amount-unit" not in data["events"][0] and "amount_unit" not in data["events"][0]
    assert data["prior_grants"][0]["amount"] == "50000"


def test_120_wan_pays_like_1200000_yuan_and_is_shown_back_in_yuan(client: Client) -> None:
    html = client.post("/calculator/", FORM).content.decode()
    assert 'data-testid="amount-jc-8">240,000.00<' in html  # 20% of 1,200,000
    assert 'name="ev-0-amount" value="1200000"' in html
    assert "按 1,200,000.00 元 计算" in html


def test_a_bad_amount_is_refused_beside_its_field_with_what_was_typed(client: Client) -> None:
    r = client.post("/calculator/", {**FORM, "ev-0-amount": "十二万"})
    assert r.status_code == 400
    html = r.content.decode()
    assert re.search(
        r'name="ev-0-amount" value="十二万".*?<p class="field-error" role="alert">金额格式错误', html, re.S
    )
    assert re.search(r"<li>事件 1 · 技术交易额: 金额格式错误", html)
    assert "events[0]" not in html


def test_an_event_is_added_and_removed_without_javascript(client: Client) -> None:
    added = client.post("/calculator/", {**FORM, "add_event": "1", "new_event_type": "person_hired"})
    html = added.content.decode()
    assert added.status_code == 200 and 'data-testid="calc-result"' not in html
    assert 'name="ev-1-degree"' in html and 'name="ev-0-amount" value="1200000"' in html
    removed = client.post("/calculator/", {**FORM, "ev-1-type": "person_hired", "remove_event": "0"})
    html = removed.content.decode()
    assert 'name="ev-0-degree"' in html and 'name="ev-0-amount"' not in html


def test_the_form_asks_in_words_never_for_an_internal_code(client: Client) -> None:
    html = client.get("/calculator/?free=1").content.decode()
    assert "如 tech_transaction" not in html and "placeholder" not in html
    assert "第一步: 你是谁" in html and "第二步: 发生了什么" in html
    # the prior grant's matter is chosen from the matters in words
    assert re.search(r'<option value="tech_transaction">技术交易</option>', html)
    assert 'name="ev-0-amount-unit"' in html and ">万元</option>" in html


def test_worked_examples_are_not_shipped_with_the_page_but_load_on_demand(client: Client) -> None:
    page = client.get("/calculator/?free=1").content.decode()
    assert page.count("example=") == 0
    total = len(worked_examples())
    assert total > EXAMPLES_PER_PAGE
    first = client.get("/calculator/examples/", HTTP_HX_REQUEST="true").content.decode()
    assert first.count('data-testid="example-link"') == EXAMPLES_PER_PAGE
    assert "<html" not in first  # an HTMX fragment
    assert f"共 {total} 个示例" in first
    last_page = -(-total // EXAMPLES_PER_PAGE)
    last = client.get(f"/calculator/examples/?page={last_page}").content.decode()
    assert last.count('data-testid="example-link"') == total - (last_page - 1) * EXAMPLES_PER_PAGE
    assert "<html" in last  # without HTMX: a page of its own
    one = client.get("/calculator/examples/?measure=dt-17").content.decode()
    assert 0 < one.count('data-testid="example-link"') == len([e for e in worked_examples() if e["measure"] == "dt-17"])
    key = worked_examples()[0]["key"]
    assert client.get(f"/calculator/?free=1&example={key}").status_code == 200


def test_where_to_settle_adds_an_event_without_javascript_too(client: Client) -> None:
    html = client.post(
        "/calculator/settle/", {**FORM, "add_event": "1", "new_event_type": "award_won"}
    ).content.decode()
    assert 'name="ev-1-award"' in html and 'data-testid="settle-result"' not in html
