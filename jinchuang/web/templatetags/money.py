"""The template filters of money and citations for every page: thin wrappers of jinchuang.policy.money/citation.

``{% load money %}`` then ``{{ amount|yuan }}`` (yuan → '1,234,567.89'), ``{{ amount|yuan_unit }}``
('1,234,567.89 元'), ``{{ amount_fen|fen_yuan }}`` (fen → '1,234,567.89'), ``{{ diff_fen|signed_fen_yuan }}``
('+12.00'), ``{{ amount|wan }}`` ('20 万元'), ``{{ doc.wenhao|cite:measure.clause }}``.  Empty → '—'.
"""

from __future__ import annotations

from decimal import Decimal

from django import template
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


@register.filter
def yuan(value: object) -> str:
    """1234567.5 (yuan) → '1,234,567.50'; empty → '—'."""
    amount = _yuan(value)
    return EMPTY if amount is None else money.format_yuan(amount, unit=False)


@register.filter
def yuan_unit(value: object) -> str:
    """500000 (yuan) → '500,000.00 元'; empty → '—'."""
    amount = _yuan(value)
    return EMPTY if amount is None else money.format_yuan(amount)


@register.filter
def wan(value: object) -> str:
    """200000 (yuan) → '20 万元'; empty → '—'."""
    amount = _yuan(value)
    return EMPTY if amount is None else money.format_wan(amount)


@register.filter
def fen_yuan(value: object) -> str:
    """123456789 (fen) → '1,234,567.89'; negative amounts keep their sign; empty → '—'."""
    if value is None or value == "":
        return EMPTY
    return money.format_fen(int(str(value)), unit=False)


@register.filter
def signed_fen_yuan(value: object) -> str:
    """Like fen_yuan, with '+' in front of increases."""
    text = fen_yuan(value)
    return f"+{text}" if text not in (EMPTY, "0.00") and not text.startswith("-") else text


@register.filter
def cite(wenhao: str | None, clause: object) -> str:
    """{{ doc.wenhao|cite:measure.clause }} → '晋市政办〔2024〕39号 第8条' (第八条 stays 第八条)."""
    return cite_clause(wenhao, str(clause), missing=_("(无文号)"))
