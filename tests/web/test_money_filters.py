"""The one template filter module of money and citations (thin wrappers of jinchuang.policy.money/citation)."""

from decimal import Decimal

from django.template import Context, Template
from django.utils import translation


def render(text: str, language: str = "zh-hans", **context: object) -> str:
    """The filters on a page in ``language`` (Chinese, the platform's language, unless a test asks for English)."""
    with translation.override(language):
        return Template("{% load money %}" + text).render(Context(context))


def test_money_filters() -> None:
    assert render("{{ a|yuan }}", a=Decimal("1234567.5")) == "1,234,567.50"
    assert render("{{ a|yuan_unit }}", a="500000") == "500,000.00 元"
    assert render("{{ a|yuan }}", a="1" * 40) == "1,111,111,111,111,111,111,111,111,111,111,111,111,111.00"
    assert render("{{ f|fen_yuan }}", f=123456789) == "1,234,567.89"
    assert render("{{ f|fen_yuan }}", f=-5) == "-0.05"
    assert render("{{ d|signed_fen_yuan }}", d=1200) == "+12.00"
    assert render("{{ w|wan }}", w=125000) == "12.5 万元"
    assert render("{{ n|yuan }}{{ n|fen_yuan }}", n=None) == "——"


def test_cite_filter_never_doubles_the_clause_words() -> None:
    # apply.html printed 第{{ measure.clause }}条: 第第八条条 for a clause written 第八条
    assert render("{{ w|cite:c }}", w="晋市政办〔2024〕39号", c="第八条") == "晋市政办〔2024〕39号 第八条"
    assert render("{{ w|cite:c }}", w="晋市政办〔2024〕39号", c="8") == "晋市政办〔2024〕39号 第8条"
