"""Parsing the pages' form input: amounts in yuan to fen, dates, the case facts of an application form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jinchuang.calculator.caseform import case_from_form
from jinchuang.policy import money

KEY_MAX_LENGTH = 64

_MONEY_FORMAT = gettext_lazy("金额须为数字(元), 如 250000 或 250000.50")
#: the money module's refusals, in the page's words (translated)
_MONEY_MESSAGES = {
    money.MoneyError.NEGATIVE: gettext_lazy("金额不能为负数"),
    money.MoneyError.PRECISION: gettext_lazy("金额最多保留两位小数(分)"),
    money.MoneyError.RANGE: gettext_lazy("金额超出范围: 最大 999,999,999,999.99 元"),
}


class FormProblem(ValueError):
    """Bad input on a page form, named by its field; the message is Chinese, for the user."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def yuan_to_fen(raw: str, field: str) -> int:
    """``"1,234.5"`` → 123450, parsed by the money module (exact, at most two decimals, in range; never float)."""
    text = (raw or "").replace("，", ",").strip()
    if not text:
        raise FormProblem(field, _("请填写金额(元)"))
    try:
        return money.yuan_to_fen(money.parse_yuan(text))
    except money.MoneyError as exc:
        raise FormProblem(field, str(_MONEY_MESSAGES.get(exc.message, _MONEY_FORMAT))) from None


def fen_to_yuan_text(fen: int | None) -> str:
    """123450 → ``"1234.50"`` (the value of an amount input: exact, no thousands separators); None → ``""``."""
    return "" if fen is None else str(money.fen_to_yuan(fen))


def parse_int(raw: str, field: str, *, low: int, high: int, label: str) -> int:
    try:
        value = int((raw or "").strip())
    except ValueError:
        raise FormProblem(field, _("%(label)s须为整数") % {"label": label}) from None
    if not low <= value <= high:
        raise FormProblem(field, _("%(label)s须在%(low)s到%(high)s之间") % {"label": label, "low": low, "high": high})
    return value


def parse_date(raw: str, field: str, label: str) -> dt.date:
    try:
        return dt.date.fromisoformat((raw or "").strip())
    except ValueError:
        raise FormProblem(field, _("请填写%(label)s(年-月-日)") % {"label": label}) from None


def idempotency_key(post: QueryDict) -> str:
    key = (post.get("idempotency_key") or "").strip()
    if not key or len(key) > KEY_MAX_LENGTH:
        raise FormProblem("idempotency_key", _("表单已过期, 请刷新页面后重新填写"))
    return key


def application_case(post: QueryDict) -> dict[str, Any]:
    """The case facts of the application form (same field names as the calculator's form)."""
    case_data, _paths = case_from_form(post)
    case_data["applicant"] = {k: v for k, v in case_data["applicant"].items() if v != ""}
    return case_data
