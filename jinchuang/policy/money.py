"""The one money module: exact parsing, rounding, conversion and formatting of amounts.

Amounts are yuan as :class:`~decimal.Decimal` in the engine and integer fen in the
database.  Nothing here uses float.  Every face (CLI, API, pages, forms, reforms)
parses user-typed amounts with :func:`parse_yuan` and formats them with
:func:`format_yuan`, :func:`format_fen`, :func:`format_wan` (万元, where a policy states 万元) or
:func:`format_yi` (亿元, for budget totals; rounded half up to :data:`YI_PLACES` decimals and
shown beside the exact 元 value where exactness matters).

The range: ``0`` to :data:`MAX_YUAN` = 999,999,999,999.99 yuan (just under one
trillion yuan, 10^14 - 1 fen: far above any grant, and it fits a 64-bit integer
column with room to sum millions of rows).  Anything larger is refused with
:class:`MoneyError` before any arithmetic, so ``decimal.InvalidOperation`` never
escapes.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from fractions import Fraction

from jinchuang.policy.i18n import gettext, gettext_noop

FEN = Decimal("0.01")
MAX_FEN = 99_999_999_999_999
MAX_YUAN = Decimal("999999999999.99")
_MAX_INTEGER_DIGITS = 12

_PLAIN = re.compile(r"(?P<int>[0-9]+)(?:\.(?P<frac>[0-9]*))?")
_GROUPED = re.compile(r"(?P<int>[0-9]{1,3}(?:,[0-9]{3})+)(?:\.(?P<frac>[0-9]*))?")


class MoneyError(ValueError):
    """An amount that is not an exact, non-negative yuan amount in range.

    ``message`` is the Chinese text (the key a face may map to its own words); ``str(error)`` is the same text in
    the active language (:func:`jinchuang.policy.i18n.gettext`: Chinese outside Django and by default).  A
    message with ``%(value)s`` is filled with the keyword ``value``.
    """

    FORMAT = gettext_noop("金额格式错误 '%(value)s', 应写成字符串或整数, 如 '1200000.00' 或 1200000")
    FLOAT = gettext_noop("金额须写成字符串或整数 (如 '1200000.00'), 不接受浮点数")
    NEGATIVE = gettext_noop("金额不能为负数")
    PRECISION = gettext_noop("金额最多精确到分 (两位小数)")
    RANGE = gettext_noop("金额超出范围: 最大 999,999,999,999.99 元")

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(gettext(message) % params if params else gettext(message))
        self.message = message % params if params else message


def parse_yuan(value: object) -> Decimal:
    """An exact yuan amount from an int, a Decimal or text (``'1,234,567.89'``); raise MoneyError otherwise.

    Refused: float, bool, NaN/Infinity, negative amounts, more than two (non-zero) decimals,
    amounts above :data:`MAX_YUAN`, and anything that is not a number.
    """
    if isinstance(value, bool) or isinstance(value, float):
        raise MoneyError(MoneyError.FLOAT)
    if isinstance(value, int):
        if value < 0:
            raise MoneyError(MoneyError.NEGATIVE)
        if value > MAX_YUAN:
            raise MoneyError(MoneyError.RANGE)
        return Decimal(value)
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, str):
        amount = _parse_text(value)
    else:
        raise MoneyError(MoneyError.FORMAT, value=value)
    if not amount.is_finite():
        raise MoneyError(MoneyError.FORMAT, value=value)
    if amount.is_signed() and amount != 0:
        raise MoneyError(MoneyError.NEGATIVE)
    if amount > MAX_YUAN:  # before any quantize: a huge amount must never reach decimal arithmetic
        raise MoneyError(MoneyError.RANGE)
    if amount != amount.quantize(FEN):
        raise MoneyError(MoneyError.PRECISION)
    return abs(amount)  # abs: -0 is 0


def _parse_text(text: str) -> Decimal:
    stripped = text.strip()
    negative = stripped.startswith("-")
    body = stripped[1:].strip() if negative else stripped
    match = _PLAIN.fullmatch(body) or _GROUPED.fullmatch(body)
    if match is None or (match["frac"] == "" and body.endswith(".")):
        raise MoneyError(MoneyError.FORMAT, value=text)
    digits = match["int"].replace(",", "").lstrip("0")
    frac = match["frac"] or ""
    if negative and (digits or frac.strip("0")):
        raise MoneyError(MoneyError.NEGATIVE)
    if len(digits) > _MAX_INTEGER_DIGITS:
        raise MoneyError(MoneyError.RANGE)
    if frac.rstrip("0")[2:]:
        raise MoneyError(MoneyError.PRECISION)
    try:
        return Decimal(f"{digits or '0'}.{frac}" if frac else digits or "0")
    except InvalidOperation:  # pragma: no cover - the patterns admit only digits
        raise MoneyError(MoneyError.FORMAT, value=text) from None


WAN = Decimal(10000)
#: the units of amounts as the engine prints them (Chinese: pages print their own, translated, unit)
YUAN_UNIT = gettext_noop("元")
WAN_UNIT = gettext_noop("万元")
YI_UNIT = gettext_noop("亿元")


def typed_amount(text: str, unit: str = "yuan") -> tuple[str, str]:
    """What a person typed in a money field, split into (number text, unit): '120 万元' → ('120', 'wan').

    A suffix (万元, 万, 元) overrides ``unit`` (the field's unit selector, 'yuan' or 'wan'); full-width commas
    are read as commas. The number text is not checked here: :func:`parse_typed_yuan` does that.
    """
    number = text.strip().replace("，", ",")
    if number.endswith("万元"):
        return number[:-2].strip(), "wan"
    if number.endswith("万"):
        return number[:-1].strip(), "wan"
    if number.endswith("元"):
        return number[:-1].strip(), "yuan"
    return number, unit


def parse_typed_yuan(text: str, unit: str = "yuan") -> Decimal:
    """An exact yuan amount from what a person typed: '120 万元', '120' with unit 'wan', '1,200,000 元'.

    万元 are converted exactly (×10,000, no float); the result is checked by :func:`parse_yuan` (MoneyError otherwise).
    """
    number, unit = typed_amount(text, unit)
    if unit != "wan":
        return parse_yuan(number)
    try:
        wan = Decimal(number.replace(",", ""))
    except InvalidOperation:
        raise MoneyError(MoneyError.FORMAT, value=text) from None
    if not wan.is_finite() or abs(wan.adjusted()) > _MAX_INTEGER_DIGITS:
        raise MoneyError(MoneyError.RANGE if wan.is_finite() else MoneyError.FORMAT, value=text)
    return parse_yuan((wan * WAN).normalize() if wan == wan.to_integral_value() else wan * WAN)


def parse_percent(text: str) -> Decimal | None:
    """A typed percentage as a ratio: '20%' or '20％' → Decimal('0.2') (exact); None when the text has no % sign
    or no number before it (the caller then reads the text as a plain ratio or names the field)."""
    number = text.strip().replace("％", "%")
    if not number.endswith("%"):
        return None
    try:
        value = Decimal(number[:-1].strip())
    except InvalidOperation:
        return None
    return value.scaleb(-2) if value.is_finite() else None


def round_fen(value: Decimal | Fraction) -> Decimal:
    """Round yuan half up (ties away from zero) to the fen; exact for a Fraction (no intermediate rounding)."""
    if type(value) is Decimal and value.is_finite() and value.adjusted() < 24:
        return value.quantize(FEN, rounding=ROUND_HALF_UP)  # fits the default context: the engine's hot path
    if isinstance(value, Fraction):
        scaled = abs(value) * 100
        count = (scaled + Fraction(1, 2)).__floor__()
        sign = -1 if value < 0 and count else 1
        return _from_fen_count(sign * count)
    with localcontext() as ctx:
        ctx.prec = max(28, value.adjusted() + 4) if value.is_finite() else 28
        return value.quantize(FEN, rounding=ROUND_HALF_UP)


def yuan_to_fen(value: Decimal) -> int:
    """Integer fen of a yuan amount, rounded half up to the fen first."""
    rounded = round_fen(value)
    if rounded.adjusted() < 24:  # exact in the default context (the engine's hot path)
        return int(rounded.scaleb(2))
    sign, digits, exponent = rounded.as_tuple()
    count = int("".join(map(str, digits)) or "0")
    assert exponent == -2
    return -count if sign else count


def fen_to_yuan(fen: int) -> Decimal:
    """The exact yuan amount of an integer number of fen (two decimals)."""
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError(f"fen must be an int, not {type(fen).__name__}")
    return _from_fen_count(fen)


def _from_fen_count(count: int) -> Decimal:
    if -(10**26) < count < 10**26:  # exact in the default context (the engine's hot path)
        return Decimal(count).scaleb(-2)
    return Decimal((1 if count < 0 else 0, tuple(int(d) for d in str(abs(count))), -2))


def _as_decimal(yuan: Decimal | int | str) -> Decimal:
    if isinstance(yuan, bool) or isinstance(yuan, float):
        raise TypeError("money is never a float or a bool")
    if isinstance(yuan, int):
        return Decimal(yuan)
    if isinstance(yuan, str):
        return Decimal(yuan.replace(",", "").strip())
    return yuan


def format_yuan(yuan: Decimal | int | str, unit: bool = True) -> str:
    """'1,234,567.89 元': rounded half up to the fen, thousands separators, two decimals."""
    text = f"{round_fen(yuan if type(yuan) is Decimal else _as_decimal(yuan)):,.2f}"
    return f"{text} {YUAN_UNIT}" if unit else text


def format_fen(fen: int, unit: bool = True) -> str:
    """An integer number of fen as '1,234,567.89 元'."""
    return format_yuan(fen_to_yuan(fen), unit=unit)


def format_wan(yuan: Decimal | int | str, places: int | None = None, unit: bool = True) -> str:
    """Yuan in 万元.

    Without ``places``: exactly and without trailing zeros ('20 万元', '12.5 万元', '1,234 万元', '0.000001 万元').
    With ``places``: rounded half up to that many decimals of 万元, trailing zeros kept ('12.35 万元' for
    123,456.78 元 with ``places=2``), for tables whose column must line up.
    """
    return _format_scaled(yuan, 4, places, WAN_UNIT if unit else "")


#: budget totals in 亿元 are rounded half up (ties away from zero) to this many decimals: 0.01 亿元 = 1,000,000 元
YI_PLACES = 2


def format_yi(yuan: Decimal | int | str, places: int = YI_PLACES, unit: bool = True) -> str:
    """Yuan in 亿元 (10^8 元), rounded half up to ``places`` decimals: 123,456,789 元 → '1.23 亿元'.

    The division is exact (a shift of the decimal point), then one rounding, half up (ties away from
    zero, so -150,000,000 元 → '-1.50 亿元'); thousands separators for 1,000 亿元 and above. The figure
    is an approximation: show the exact :func:`format_yuan` value with it where exactness matters.
    """
    return _format_scaled(yuan, 8, places, YI_UNIT if unit else "")


def format_million(yuan: Decimal | int | str, places: int = 0) -> str:
    """Yuan in millions (10^6 元), rounded half up to ``places`` decimals, without a unit: the English
    reading of an 亿元 figure (0.01 亿元 = 1 million 元, so ``format_yi(x)`` and ``format_million(x)`` round
    alike): 123,456,789 元 → '123'."""
    return _format_scaled(yuan, 6, places, "")


def format_fen_yi(fen: int, places: int = YI_PLACES, unit: bool = True) -> str:
    """An integer number of fen in 亿元 (see :func:`format_yi`): 12,345,678,900 fen → '1.23 亿元'."""
    return format_yi(fen_to_yuan(fen), places=places, unit=unit)


def format_fen_wan(fen: int, places: int | None = None, unit: bool = True) -> str:
    """An integer number of fen in 万元 (see :func:`format_wan`): 12,345,678 fen → '12.345678 万元'."""
    return format_wan(fen_to_yuan(fen), places=places, unit=unit)


def _format_scaled(yuan: Decimal | int | str, shift: int, places: int | None, unit: str) -> str:
    """Yuan divided by 10^shift (exact), then either normalised (``places`` None) or rounded half up to ``places``."""
    if places is not None and not 0 <= places <= 8:
        raise ValueError("places must be between 0 and 8")
    amount = round_fen(_as_decimal(yuan))
    with localcontext() as ctx:
        ctx.prec = max(28, amount.adjusted() + 12)
        scaled = amount.scaleb(-shift)
        if places is None:
            text = f"{scaled.normalize():,f}"
        else:
            rounded = scaled.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
            text = f"{rounded:,.{places}f}"
    if text.startswith("-") and not text.strip("-0.,"):
        text = text[1:]  # -0.00 亿元 reads as a loss that is not there
    return f"{text} {unit}" if unit else text
