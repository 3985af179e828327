"""The one money module: exact parsing, rounding, conversion and formatting."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jinchuang.policy.money import (
    FEN,
    MAX_FEN,
    MAX_YUAN,
    MoneyError,
    fen_to_yuan,
    format_fen,
    format_wan,
    format_yuan,
    parse_yuan,
    round_fen,
    yuan_to_fen,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1200000, Decimal("1200000")),
        ("1200000.00", Decimal("1200000.00")),
        ("1,234,567.89", Decimal("1234567.89")),
        (" 12 ", Decimal("12")),
        ("0.5", Decimal("0.5")),
        ("1.000", Decimal("1.000")),
        (Decimal("3.10"), Decimal("3.10")),
        ("-0", Decimal("0")),
        ("999,999,999,999.99", MAX_YUAN),
        (MAX_YUAN, MAX_YUAN),
    ],
)
def test_parse_yuan_accepts_exact_amounts(value: object, expected: Decimal) -> None:
    assert parse_yuan(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (1.5, MoneyError.FLOAT),
        (True, MoneyError.FLOAT),
        ("-1", MoneyError.NEGATIVE),
        (-1, MoneyError.NEGATIVE),
        (Decimal("-0.01"), MoneyError.NEGATIVE),
        ("1.005", MoneyError.PRECISION),
        (Decimal("0.001"), MoneyError.PRECISION),
        ("1" * 40, MoneyError.RANGE),
        (10**40, MoneyError.RANGE),
        (Decimal("1" * 40), MoneyError.RANGE),
        (Decimal("1E+100000"), MoneyError.RANGE),
        ("1000000000000", MoneyError.RANGE),
        (Decimal("1000000000000.00"), MoneyError.RANGE),
    ],
)
def test_parse_yuan_refuses_with_a_chinese_message(value: object, message: str) -> None:
    with pytest.raises(MoneyError) as info:
        parse_yuan(value)
    assert info.value.message == message and str(info.value) == message


@pytest.mark.parametrize(
    "value",
    ["abc", "", "1e5", "NaN", "Infinity", Decimal("NaN"), Decimal("Infinity"), "１２", "12.", "1234,567", "1,23", None],
)
def test_parse_yuan_refuses_what_is_not_a_number(value: object) -> None:
    with pytest.raises(MoneyError, match="金额格式错误"):
        parse_yuan(value)


def test_round_fen_is_half_up_and_exact_for_fractions() -> None:
    assert round_fen(Decimal("1.005")) == Decimal("1.01")
    assert round_fen(Decimal("1.004999")) == Decimal("1.00")
    assert round_fen(Fraction(1, 200)) == Decimal("0.01")
    assert round_fen(Fraction(-1, 200)) == Decimal("-0.01")
    assert round_fen(Fraction(200_090, 3)) == Decimal("66696.67")
    # no intermediate rounding: 10^40 / 3 keeps all its digits
    assert round_fen(Fraction(10**40, 3)) == Decimal("3" * 40 + ".33")
    assert round_fen(Decimal("1" * 40)) == Decimal("1" * 40 + ".00")
    assert round_fen(Decimal("2")).as_tuple().exponent == -2


def test_fen_conversions() -> None:
    assert yuan_to_fen(Decimal("1234567.89")) == 123456789
    assert yuan_to_fen(Decimal("1.005")) == 101
    assert yuan_to_fen(Decimal("0")) == 0
    assert yuan_to_fen(MAX_YUAN) == MAX_FEN
    assert fen_to_yuan(7) == Decimal("0.07") and str(fen_to_yuan(7)) == "0.07"
    assert str(fen_to_yuan(0)) == "0.00" and str(fen_to_yuan(-123)) == "-1.23"
    with pytest.raises(TypeError):
        fen_to_yuan(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        fen_to_yuan(True)


def test_formatting() -> None:
    assert format_yuan(Decimal("1234567.89")) == "1,234,567.89 元"
    assert format_yuan(Decimal("1234567.885"), unit=False) == "1,234,567.89"
    assert format_yuan(240000) == "240,000.00 元"
    assert format_yuan("1200000") == "1,200,000.00 元"
    assert format_yuan(Decimal("1" * 40)) == "1,111,111,111,111,111,111,111,111,111,111,111,111,111.00 元"
    assert format_fen(123456789) == "1,234,567.89 元"
    assert format_fen(-5, unit=False) == "-0.05"
    assert format_fen(10**30, unit=False) == "10,000,000,000,000,000,000,000,000,000.00"
    assert format_wan(200000) == "20 万元"
    assert format_wan(Decimal("125000.00")) == "12.5 万元"
    assert format_wan(12_340_000) == "1,234 万元"
    assert format_wan(Decimal("0.01")) == "0.000001 万元"
    assert format_wan(0) == "0 万元"


def test_fen_constant() -> None:
    assert FEN == Decimal("0.01") and MAX_YUAN == fen_to_yuan(MAX_FEN)


@given(st.integers(min_value=0, max_value=MAX_FEN), st.booleans())
def test_fen_text_round_trip(fen: int, unit: bool) -> None:
    text = format_fen(fen, unit=False)
    assert parse_yuan(text) == fen_to_yuan(fen)
    assert yuan_to_fen(parse_yuan(text)) == fen
    assert yuan_to_fen(parse_yuan(text.replace(",", ""))) == fen
    shown = format_fen(fen, unit=unit)
    assert shown.endswith(" 元") == unit


@given(st.integers(min_value=MAX_FEN + 1, max_value=10**45))
def test_every_amount_above_the_range_is_refused(fen: int) -> None:
    with pytest.raises(MoneyError):
        parse_yuan(format_fen(fen, unit=False))
    with pytest.raises(MoneyError):
        parse_yuan(fen_to_yuan(fen))
