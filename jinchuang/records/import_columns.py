"""What a department's list is mapped to: the targets of an import (统一社会信用代码, the date, the event's
fields, 编号/备注, 对象姓名), the columns suggested for them from the file's header, and one cell's value
read as the case vocabulary writes it (option labels → codes, 是/否 → booleans, Excel dates → ISO dates,
Excel numbers → exact decimal text, never through float arithmetic).

Messages are Chinese and name fields by their labels, never by codes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from jinchuang.policy.catalog import default_catalog
from jinchuang.records.models import AWARD_FACT

USCC = "uscc"
DATE = "date"
REF = "ref"
SUBJECT = "subject"
#: the targets every import has besides the event type's own fields
BASE_TARGETS = (USCC, DATE, REF, SUBJECT)

#: header texts that pre-select a column for a base target (the label first)
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    USCC: ("统一社会信用代码", "社会信用代码", "信用代码"),
    DATE: ("发生日期", "日期", "认定日期", "登记日期", "参保日期", "入职日期", "发证日期"),
    REF: ("编号/备注", "编号", "证书编号", "合同编号", "登记编号", "备注"),
    SUBJECT: ("对象姓名", "姓名"),
}

TRUE_TEXTS = frozenset({"是", "true", "1", "y", "yes", "√", "✓", "对"})
FALSE_TEXTS = frozenset({"否", "false", "0", "n", "no", "×", "✗", "不是"})
_DATE_PARTS = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_DATE_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")


@dataclass(frozen=True)
class Target:
    """One thing an import reads from a column or takes as a constant."""

    name: str
    label: str
    type: str  # uscc | date | ref | subject | money | int | str | bool | ratio
    required: bool = False
    options: Mapping[str, str] | None = None

    @property
    def constant_allowed(self) -> bool:
        return self.name not in (USCC, SUBJECT)


def importable_types() -> dict[str, str]:
    """The event types a list may be imported as: every type of the case vocabulary (code → label)."""
    vocabulary = default_catalog().vocabulary
    return {code: spec.label for code, spec in vocabulary.items() if code != AWARD_FACT}


def targets(event_type: str) -> list[Target]:
    """The targets of an import of ``event_type`` (KeyError for a type not in the vocabulary)."""
    spec = default_catalog().vocabulary[event_type]
    base = [
        Target(USCC, _("统一社会信用代码"), USCC, required=True),
        Target(DATE, _("发生日期"), DATE, required=True),
    ]
    fields = [Target(n, f.label, f.type, required=f.required, options=f.options) for n, f in spec.fields.items()]
    extra = [Target(REF, _("编号/备注"), REF), Target(SUBJECT, _("对象姓名"), SUBJECT)]
    return [*base, *fields, *extra]


def suggested_mapping(event_type: str, header: list[str]) -> dict[str, str]:
    """Columns pre-selected where a header equals a target's Chinese label (or a usual synonym)."""
    columns = {h.strip(): h for h in header}
    suggestion: dict[str, str] = {}
    for target in targets(event_type):
        for text in (target.label, *HEADER_ALIASES.get(target.name, ())):
            if text in columns and columns[text] not in suggestion.values():
                suggestion[target.name] = columns[text]
                break
    return suggestion


def normalise_uscc(value: Any) -> str:
    """A code as typed in a list: spaces removed, upper case (the check itself is the accounts validator)."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return re.sub(r"\s+", "", text).upper()


def _decimal_text(value: Any) -> str | None:
    """An Excel or CSV number as exact decimal text (a float cell through its shortest repr, no arithmetic)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        try:
            return format(Decimal(repr(value)), "f")
        except InvalidOperation:
            return None
    if isinstance(value, Decimal):
        return format(value, "f")
    return None


def _date_value(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    match = _DATE_PARTS.match(text) or _DATE_COMPACT.match(text)
    if match:
        year, month, day = match.groups()
        return f"{year}-{int(month):02d}-{int(day):02d}"  # an impossible date stays impossible (2025-13-01)
    return text


def _option_value(target: Target, text: str) -> tuple[str | None, str | None]:
    assert target.options is not None
    if text in target.options:
        return text, None
    for code, label in target.options.items():
        if text == label:
            return code, None
    choices = "、".join(target.options.values())
    return None, _("%(label)s“%(value)s”无效, 可选: %(choices)s") % {
        "label": target.label,
        "value": text,
        "choices": choices,
    }


def cell_value(target: Target, value: Any) -> tuple[Any, str | None]:
    """(the value as the case format writes it, or None when empty; a Chinese problem, or None)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if target.type == DATE:
        return _date_value(value), None
    if target.type in ("money", "int", "ratio"):
        number = _decimal_text(value)
        if number is not None:
            if target.type == "int" and number.endswith(".0"):
                number = number[:-2]
            return number, None
        if isinstance(value, bool):
            return None, _("%(label)s须为数字") % {"label": target.label}
        text = str(value).strip().replace(",", "").replace("，", "")
        if target.type == "money":
            text = text.removesuffix("元").strip()
        if target.type == "ratio" and text.endswith("%"):
            try:
                return format(Decimal(text[:-1].strip()).scaleb(-2), "f"), None  # "10%" → 0.10
            except InvalidOperation:
                return None, _("%(label)s格式错误“%(value)s”") % {"label": target.label, "value": value}
        return text, None
    if target.type == "bool":
        if isinstance(value, bool):
            return value, None
        text = (_decimal_text(value) or str(value)).strip().lower()
        if text in TRUE_TEXTS:
            return True, None
        if text in FALSE_TEXTS:
            return False, None
        return None, _("%(label)s须填“是”或“否”, 而不是“%(value)s”") % {"label": target.label, "value": value}
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number typed in a text column (a certificate number): no ".0"
    text = (_decimal_text(value) or str(value)).strip()
    if target.type == "str" and target.options is not None:
        return _option_value(target, text)
    return text, None
