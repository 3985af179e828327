"""A stored fact's money reads as the money filters write it: separators, two decimals, 元 on a Chinese
page and 'yuan' on an English one."""

from __future__ import annotations

from django.utils import translation

from jinchuang.records.eventfields import fact_field_rows


def test_fact_money_reads_with_separators_in_the_page_language() -> None:
    fields = {"amount_fen": 24_000_000, "policy": "晋市政办〔2024〕39号", "award": "A-1"}
    with translation.override("zh-hans"):
        assert ("金额", "240,000.00 元") in fact_field_rows("platform_award", fields)
    with translation.override("en"):
        rows = dict(fact_field_rows("platform_award", fields))
        assert "240,000.00 yuan" in rows.values()


def test_an_event_fact_money_field_too() -> None:
    contract = {"amount": 120_000_000, "mode": "transfer", "role": "buyer"}
    with translation.override("zh-hans"):
        texts = [text for _label, text in fact_field_rows("tech_contract_registered", contract)]
    assert "1,200,000.00 元" in texts
