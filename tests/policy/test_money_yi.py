"""亿元 and rounded 万元: exact Decimal arithmetic, one rounding half up, the sign kept, no float anywhere."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jinchuang.policy.money import (
    MAX_FEN,
    YI_PLACES,
    fen_to_yuan,
    format_fen_wan,
    format_fen_yi,
    format_million,
    format_wan,
    format_yi,
)


def test_yi_rounds_half_up_to_two_decimals() -> None:
    assert format_yi(123_456_789) == "1.23 亿元"
    assert format_yi(Decimal("112500000")) == "1.13 亿元"  # a tie goes up
    assert format_yi(Decimal("112499999.99")) == "1.12 亿元"  # one fen below the tie goes down
    assert format_yi("100,000,000") == "1.00 亿元"
    assert format_yi(0) == "0.00 亿元"
    assert format_yi(Decimal("999999999999.99")) == "10,000.00 亿元"
    assert format_yi(123_456_789, unit=False) == "1.23"
    assert format_yi(123_456_789, places=4) == "1.2346 亿元"
    assert YI_PLACES == 2


def test_yi_keeps_the_sign_of_a_change_and_never_shows_minus_zero() -> None:
    assert format_yi(Decimal("-150000000")) == "-1.50 亿元"  # ties away from zero on both sides
    assert format_yi(Decimal("-100000")) == "0.00 亿元"
    assert format_fen_yi(-12_345_678_900) == "-1.23 亿元"


def test_yi_refuses_float() -> None:
    with pytest.raises(TypeError):
        format_yi(1.5e8)  # type: ignore[arg-type]


def test_wan_with_places_rounds_and_keeps_trailing_zeros() -> None:
    assert format_wan(Decimal("123456.78"), places=2) == "12.35 万元"
    assert format_wan(200000, places=2) == "20.00 万元"
    assert format_wan(Decimal("125000"), places=0) == "13 万元"
    assert format_wan(12_340_000, places=2, unit=False) == "1,234.00"
    assert format_fen_wan(12_345_678) == "12.345678 万元"  # exact when no places are asked for
    assert format_fen_wan(12_345_678, places=2) == "12.35 万元"
    with pytest.raises(ValueError):
        format_wan(1, places=9)


@given(st.integers(min_value=-MAX_FEN, max_value=MAX_FEN))
def test_yi_is_within_half_a_unit_of_the_exact_amount(fen: int) -> None:
    shown = Decimal(format_fen_yi(fen, unit=False).replace(",", ""))
    exact = fen_to_yuan(fen) / Decimal(10**8)
    assert abs(shown - exact) <= Decimal("0.005")
    # and it is the half-up rounding, not merely close: the next figure up or down is farther or a tie lost
    assert abs(shown - exact) < Decimal("0.005") or abs(shown) > abs(exact)


@given(st.integers(min_value=0, max_value=MAX_FEN))
def test_exact_wan_is_exact(fen: int) -> None:
    assert Decimal(format_fen_wan(fen, unit=False).replace(",", "")) * 10_000 == fen_to_yuan(fen)


def test_millions_round_as_yi_does() -> None:
    assert format_million(123_456_789) == "123"
    assert format_million(Decimal("112500000")) == "113"
    assert format_million(Decimal("999999999999.99")) == "1,000,000"
    assert format_million(123_456_789, places=2) == "123.46"


@given(st.integers(min_value=-MAX_FEN, max_value=MAX_FEN))
def test_yi_and_millions_agree(fen: int) -> None:
    yi = Decimal(format_fen_yi(fen, unit=False).replace(",", ""))
    millions = Decimal(format_million(fen_to_yuan(fen)).replace(",", ""))
    assert yi * 100 == millions
