"""The 亿元 and 万元 filters, fen filters with their unit, and the exact value beside a rounded figure."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation


def render(text: str, language: str = "zh-hans", **context: object) -> str:
    """The filters on a page in ``language`` (Chinese, the platform's language, unless a test asks for English)."""
    with translation.override(language):
        return Template("{% load money %}" + text).render(Context(context))


def test_yi_and_wan_filters() -> None:
    assert render("{{ a|yi }}", a=Decimal("123456789")) == "1.23 亿元"
    assert render("{{ f|fen_yi }}", f=12_345_678_900) == "1.23 亿元"
    assert render("{{ a|wan:2 }}", a=Decimal("123456.78")) == "12.35 万元"
    assert render("{{ a|wan }}", a=Decimal("123456.78")) == "12.345678 万元"
    assert render("{{ f|fen_wan:2 }}", f=12_345_678) == "12.35 万元"
    assert render("{{ f|fen_wan }}", f="12345678") == "12.345678 万元"
    assert render("{{ f|fen_yuan_unit }}", f=110_000_000) == "1,100,000.00 元"
    assert render("{{ n|yi }}{{ n|fen_yi }}{{ n|fen_yuan_unit }}{{ n|yi_exact }}", n=None) == "————"


def test_yi_exact_names_the_rounding_and_the_exact_amount() -> None:
    html = render("{{ f|fen_yi_exact }}", f=12_345_678_912)
    assert html == (
        '<span class="amount" title="四舍五入到 0.01 亿元; 精确值 123,456,789.12 元" '
        'data-exact="123,456,789.12 元">1.23 亿元</span>'
    )
    assert render("{{ a|yi_exact }}", a="250000000").endswith(">2.50 亿元</span>")


def test_money_filters_refuse_float() -> None:
    with pytest.raises(TypeError):
        render("{{ a|yi }}", a=1.5)
    with pytest.raises(TypeError):
        render("{{ f|fen_yuan_unit }}", f=1.5)


def test_english_pages_read_yuan_and_millions() -> None:
    assert render("{{ a|yuan_unit }}", "en", a="500000") == "500,000.00 yuan"
    assert render("{{ f|fen_yuan_unit }}", "en", f=110_000_000) == "1,100,000.00 yuan"
    assert render("{{ a|wan }}", "en", a=200000) == "200,000.00 yuan"  # 万元 is a Chinese unit: the exact yuan
    assert render("{{ f|fen_wan:2 }}", "en", f=12_345_678) == "123,456.78 yuan"
    assert render("{{ a|yi }}", "en", a=Decimal("123456789")) == "123 million yuan"
    assert render("{{ a|yi }}", "en", a=Decimal("112500000")) == "113 million yuan"  # rounds as 1.13 亿元 does
    assert render("{{ f|fen_yi }}", "en", f=-15_000_000_000) == "-150 million yuan"
    html = render("{{ f|fen_yi_exact }}", "en", f=12_345_678_912)
    assert ">123 million yuan</span>" in html and 'data-exact="123,456,789.12 yuan"' in html
    assert render("{{ a|yuan }}", "en", a="500000") == "500,000.00"  # no unit, no change
    assert render("{{ a|yuan_unit }}{{ a|yi }}", a="500000") == "500,000.00 元0.01 亿元"
