"""The template filters of money and citations for every page: thin wrappers of jinchuang.policy.money/citation.

``{% load money %}`` then

- yuan in: ``{{ amount|yuan }}`` ('1,234,567.89'), ``{{ amount|yuan_unit }}`` ('1,234,567.89 元'),
  ``{{ amount|wan }}`` ('20 万元', exact; ``|wan:2`` rounds to 0.01 万元), ``{{ amount|yi }}`` ('1.23 亿元'),
  ``{{ amount|yi_exact }}`` (the 亿元 figure in ``<span class="amount" title="…">`` naming the rounding and the
  exact 元 value);
- fen in: ``{{ amount_fen|fen_yuan }}`` ('1,234,567.89'), ``{{ amount_fen|fen_yuan_unit }}`` ('1,234,567.89 元'),
  ``{{ diff_fen|signed_fen_yuan }}`` ('+12.00'), ``{{ amount_fen|fen_wan }}``, ``{{ amount_fen|fen_yi }}``,
  ``{{ amount_fen|fen_yi_exact }}``;
- ``{{ doc.wenhao|cite:measure.clause }}``.

Empty → '—'.  Never ``floatformat`` on money: it goes through float.

The unit follows the page's language: '元' in Chinese, 'yuan' in English (the gettext of 元). 万元 and 亿元 are
Chinese units; an English page shows the same amount as '200,000.00 yuan' (exact) and '123 million yuan'
(亿元 with two decimals and millions without any round alike, half up).
"""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jinchuang.policy import money
from jinchuang.policy.citation import cite as cite_clause

register = template.Library()

EMPTY = "—"


def _yuan(value: object) -> Decimal | int | str | None:
    if value is None or value == "":
        return None
    if isinstance(value, (Decimal, int, str)) and not isinstance(value, bool):
        return value
    raise TypeError(f"an amount must be a Decimal, an int or a decimal string, not {type(value).__name__}")


def _chinese() -> bool:
    return (get_language() or "zh-hans").startswith("zh")


def _with_unit(number: str) -> str:
    """'1,234.00' → '1,234.00 元' (Chinese) or '1,234.00 yuan' (English)."""
    return f"{number} {_('元')}"


def _wan_text(amount: Decimal | int | str, places: int | None) -> str:
    if _chinese():
        return money.format_wan(amount, places=places)
    return _with_unit(money.format_yuan(amount, unit=False))


def _yi_text(amount: Decimal | int | str) -> str:
    if _chinese():
        return money.format_yi(amount)
    return f"{money.format_million(amount, places=money.YI_PLACES - 2)} {_('百万元')}"


@register.filter
def yuan(value: object) -> str:
    """1234567.5 (yuan) → '1,234,567.50'; empty → '—'."""
    amount = _yuan(value)
    return EMPTY if amount is None else money.format_yuan(amount, unit=False)


@register.filter
def yuan_unit(value: object) -> str:
    """500000 (yuan) → '500,000.00 元'; empty → '—'."""
    amount = _yuan(value)
    return EMPTY if amount is None else _with_unit(money.format_yuan(amount, unit=False))


@register.filter
def wan(value: object, places: object = None) -> str:
    """200000 (yuan) → '20 万元' (exact); ``|wan:2`` → rounded half up to 0.01 万元; empty → '—'."""
    amount = _yuan(value)
    return EMPTY if amount is None else _wan_text(amount, _places(places))


def _places(arg: object) -> int | None:
    if arg is None or arg == "":
        return None
    return int(str(arg))


@register.filter
def yi(value: object) -> str:
    """123456789 (yuan) → '1.23 亿元' (rounded half up to 0.01 亿元); empty → '—'."""
    amount = _yuan(value)
    return EMPTY if amount is None else _yi_text(amount)


@register.filter
def yi_exact(value: object) -> SafeString | str:
    """The 亿元 figure in a ``<span class="amount">`` whose title names the rounding and the exact 元 value."""
    amount = _yuan(value)
    if amount is None:
        return EMPTY
    return _exact_span(_yi_text(amount), _with_unit(money.format_yuan(amount, unit=False)))


def _exact_span(shown: str, exact: str) -> SafeString:
    title = _("四舍五入到 0.01 亿元; 精确值 %(exact)s") % {"exact": exact}
    return format_html('<span class="amount" title="{}" data-exact="{}">{}</span>', title, exact, shown)


def _fen(value: object) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, (bool, float)):
        raise TypeError(f"an amount in fen must be an integer, not {type(value).__name__}")
    return int(str(value))


@register.filter
def fen_yuan(value: object) -> str:
    """123456789 (fen) → '1,234,567.89'; negative amounts keep their sign; empty → '—'."""
    fen = _fen(value)
    return EMPTY if fen is None else money.format_fen(fen, unit=False)


@register.filter
def fen_yuan_unit(value: object) -> str:
    """123456789 (fen) → '1,234,567.89 元'; empty → '—'."""
    fen = _fen(value)
    return EMPTY if fen is None else _with_unit(money.format_fen(fen, unit=False))


@register.filter
def fen_wan(value: object, places: object = None) -> str:
    """12345678 (fen) → '12.345678 万元' (exact); ``|fen_wan:2`` → '12.35 万元'; empty → '—'."""
    fen = _fen(value)
    return EMPTY if fen is None else _wan_text(money.fen_to_yuan(fen), _places(places))


@register.filter
def fen_yi(value: object) -> str:
    """12345678900 (fen) → '1.23 亿元' (rounded half up to 0.01 亿元); empty → '—'."""
    fen = _fen(value)
    return EMPTY if fen is None else _yi_text(money.fen_to_yuan(fen))


@register.filter
def fen_yi_exact(value: object) -> SafeString | str:
    """Like yi_exact, from fen."""
    fen = _fen(value)
    if fen is None:
        return EMPTY
    return _exact_span(_yi_text(money.fen_to_yuan(fen)), _with_unit(money.format_fen(fen, unit=False)))


@register.filter
def signed_fen_yuan(value: object) -> str:
    """Like fen_yuan, with '+' in front of increases."""
    text = fen_yuan(value)
    return f"+{text}" if text not in (EMPTY, "0.00") and not text.startswith("-") else text


@register.filter
def cite(wenhao: str | None, clause: object) -> str:
    """{{ doc.wenhao|cite:measure.clause }} → '晋市政办〔2024〕39号 第8条' (第八条 stays 第八条)."""
    return cite_clause(wenhao, str(clause), missing=_("(无文号)"))
