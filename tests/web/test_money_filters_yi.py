"""The 亿元 and 万元 filters, fen filters with their unit, and the exact value beside a rounded figure."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation


def render(text: str, **context: object) -> str:
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
    with translation.override("zh-hans"):
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
