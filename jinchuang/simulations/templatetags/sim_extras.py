"""Template helpers of the simulation pages. Money goes through jinchuang.policy.money (as the ``money`` filters
do): amounts in fen become 万元 table cells and signed 亿元 totals, each with its exact 元 value in the title."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from jinchuang.policy import money

register = template.Library()

EMPTY = "—"


@register.filter
def year_pair(by_year: dict[str, list[int]], year: str) -> list[int]:
    return by_year.get(str(year), [0, 0]) if isinstance(by_year, dict) else [0, 0]


@register.filter
def get_key(mapping: dict[str, object], key: str) -> object:
    return mapping.get(key, "") if isinstance(mapping, dict) else ""


def _fen(value: object) -> int | None:
    if value is None or value == "" or isinstance(value, (bool, float)):
        return None
    return int(str(value))


def _plus(fen: int, text: str) -> str:
    return f"+{text}" if fen > 0 else text


def _cell(fen: int, text: str) -> SafeString:
    exact = _("精确值 %(exact)s") % {"exact": money.format_fen(fen)}
    return format_html('<span class="amount" title="{}" data-fen="{}">{}</span>', exact, fen, text)


@register.filter
def wan_cell(value: object) -> SafeString | str:
    """An amount in fen as a table cell in 万元 (two decimals, no unit: the column header names it)."""
    fen = _fen(value)
    return EMPTY if fen is None else _cell(fen, money.format_fen_wan(fen, places=2, unit=False))


@register.filter
def signed_wan_cell(value: object) -> SafeString | str:
    """Like wan_cell, with '+' in front of increases."""
    fen = _fen(value)
    return EMPTY if fen is None else _cell(fen, _plus(fen, money.format_fen_wan(fen, places=2, unit=False)))


@register.filter
def yi_total(value: object) -> SafeString | str:
    """A total in fen in 亿元 (rounded to 0.01 亿元), the exact 元 value in the title."""
    fen = _fen(value)
    return EMPTY if fen is None else _cell(fen, money.format_fen_yi(fen))


@register.filter
def signed_yi_total(value: object) -> SafeString | str:
    fen = _fen(value)
    return EMPTY if fen is None else _cell(fen, _plus(fen, money.format_fen_yi(fen)))


@register.filter
def signed_yuan_total(value: object) -> str:
    """The exact 元 figure of a total in fen, '+' in front of increases: '+1,234.00 元'."""
    fen = _fen(value)
    return EMPTY if fen is None else _plus(fen, money.format_fen(fen))
