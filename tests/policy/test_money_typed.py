"""What people type in money and ratio fields: one rule (jinchuang.policy.money) for the calculator and the
scenario builder."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jinchuang.policy import money


@pytest.mark.parametrize(
    ("typed", "unit", "expected"),
    [
        ("120 万元", "yuan", ("120", "wan")),
        ("120万", "yuan", ("120", "wan")),
        ("1，200，000 元", "wan", ("1,200,000", "yuan")),
        ("35", "wan", ("35", "wan")),
        ("35", "yuan", ("35", "yuan")),
    ],
)
def test_typed_amount_splits_the_unit(typed: str, unit: str, expected: tuple[str, str]) -> None:
    assert money.typed_amount(typed, unit) == expected


@pytest.mark.parametrize(
    ("typed", "unit", "yuan"),
    [
        ("120 万元", "yuan", Decimal("1200000")),
        ("0.0001", "wan", Decimal("1")),
        ("12.3456", "wan", Decimal("123456")),
        ("1,200,000.50 元", "yuan", Decimal("1200000.50")),
    ],
)
def test_parse_typed_yuan_is_exact(typed: str, unit: str, yuan: Decimal) -> None:
    assert money.parse_typed_yuan(typed, unit) == yuan


@pytest.mark.parametrize("typed", ["abc 万元", "-3 万元", "0.0000001 万元", "1e30 万元", "NaN 万"])
def test_parse_typed_yuan_refuses(typed: str) -> None:
    with pytest.raises(money.MoneyError):
        money.parse_typed_yuan(typed)


@pytest.mark.parametrize(
    ("typed", "ratio"),
    [("20%", Decimal("0.2")), ("12.5％", Decimal("0.125")), ("0.15", None), ("abc%", None), ("%", None)],
)
def test_parse_percent(typed: str, ratio: Decimal | None) -> None:
    assert money.parse_percent(typed) == ratio
