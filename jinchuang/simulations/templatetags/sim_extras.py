"""Money on the simulation pages: integer fen shown as 元 with thousands separators."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def fen_yuan(value: object) -> str:
    """123456789 → '1,234,567.89'; negative amounts keep their sign. Exact (integer arithmetic)."""
    if value is None or value == "":
        return "—"
    fen = int(str(value))
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{yuan:,}.{cents:02d}"


@register.filter
def signed_fen_yuan(value: object) -> str:
    """Like fen_yuan, with '+' in front of increases."""
    text = fen_yuan(value)
    return f"+{text}" if text not in ("—", "0.00") and not text.startswith("-") else text


@register.filter
def year_pair(by_year: dict[str, list[int]], year: str) -> list[int]:
    return by_year.get(str(year), [0, 0]) if isinstance(by_year, dict) else [0, 0]


@register.filter
def get_key(mapping: dict[str, object], key: str) -> object:
    return mapping.get(key, "") if isinstance(mapping, dict) else ""
