"""Template helpers of the calculator pages (money filters are in jinchuang/web/templatetags/money.py)."""

from decimal import Decimal

from django import template
from django.utils.translation import gettext_lazy as _

from jinchuang.calculator import selectors
from jinchuang.calculator.summary import plain_text
from jinchuang.policy import money

register = template.Library()


@register.filter
def get(mapping: dict[str, object], key: str) -> object:
    return mapping.get(key, "") if isinstance(mapping, dict) else ""


@register.filter
def as_yuan(value: object) -> str:
    """A typed amount (yuan) as '1,200,000.00 元'; '' when it is not an exact amount (the form shows the error)."""
    try:
        return money.format_yuan(money.parse_yuan(str(value))) if value not in (None, "") else ""
    except money.MoneyError:
        return ""


_UNITS = (("月数", _("个月")), ("年限", _("年")), ("年数", _("年")))


@register.filter
def field_unit(label: str) -> str:
    """The unit a count field is in, read from its label (已缴社保月数 → 个月, 劳动合同年限 → 年)."""
    for word, unit in _UNITS:
        if word in str(label):
            return str(unit)
    return ""


@register.filter
def add_money(value: object, other: object) -> Decimal:
    """The exact sum of two Decimal amounts (the built-in ``add`` filter goes through int)."""
    return Decimal(str(value or 0)) + Decimal(str(other or 0))


@register.filter
def plain(text: object) -> str:
    """Catalog or engine text without the code names put in brackets for programmers ("(stacks_on_provincial)")."""
    return plain_text(str(text or ""))


@register.filter
def valley_label(code: object) -> str:
    """A valley's name in the active language (the code is the city's Chinese name)."""
    return dict(selectors.valley_choices()).get(str(code), str(code))
