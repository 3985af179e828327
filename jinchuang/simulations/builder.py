"""The scenario builder: a policy maker's changes, chosen from the catalog's named parameters (ADR 0006),
turned into the reform the engine understands — no YAML and no internal ids typed by anyone.

A change row names a cash measure, one of its named parameters (a rule's rate, amount, period, a cap, a
table tier, a review bound) or :data:`DISABLE`, and the new value as typed: money in 元 or 万元, a ratio as
``15%`` or ``0.15``, counts and periods as whole numbers, optionally from a date on (rule parameters only).
Every problem names the row and the field it belongs to, in Chinese.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

import yaml
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jinchuang.policy import money
from jinchuang.policy.catalog import Catalog, default_catalog
from jinchuang.policy.citation import cite
from jinchuang.policy.plan import NamedParameter, plan_for
from jinchuang.policy.reform import Change, Reform
from jinchuang.policy.schema import MeasureKind
from jinchuang.policy.vocabulary import Valley

DISABLE = "disable"
MONEY_UNITS = ("yuan", "wan")
MAX_ROWS = 30
UNDATED = ("caps.", "table.", "review_range.")

DISABLE_LABEL = gettext_lazy("停止执行本措施 (不再支付)")


@dataclass(frozen=True)
class ParameterChoice:
    path: str  # the plan's path: 'jc-8-trade.rate', 'caps.per_entity_per_year', 'jc-4-a.table.national'
    rule_id: str | None
    name: str  # the name a reform sets: 'rate', 'caps.per_award', 'table.national', 'review_range.max'
    label: str
    unit: str
    current: Decimal

    @property
    def dated(self) -> bool:
        return not self.name.startswith(UNDATED)

    @property
    def current_text(self) -> str:
        return value_text(self.unit, self.current)


@dataclass(frozen=True)
class MeasureChoice:
    id: str
    valley: str
    citation: str
    title: str
    parameters: tuple[ParameterChoice, ...]

    @property
    def label(self) -> str:
        return f"{self.citation} {self.title}"

    def parameter(self, path: str) -> ParameterChoice | None:
        return next((p for p in self.parameters if p.path == path), None)


def _label(parameter: NamedParameter, rule_labels: Mapping[str, str], several_rules: bool) -> str:
    if parameter.rule_id is None or parameter.name.startswith("table."):
        return parameter.label
    if several_rules:
        return f"{rule_labels[parameter.rule_id]}: {parameter.label}"
    return parameter.label


def measure_choices(catalog: Catalog) -> tuple[MeasureChoice, ...]:
    """Every cash measure with its named parameters, in catalog order (valley by valley)."""
    out = []
    for doc, measure in catalog.measures():
        if measure.kind is not MeasureKind.CASH:
            continue
        plan = plan_for(doc, measure)
        rule_labels = {r.id: r.label for r in measure.rules}
        several = len(measure.rules) > 1
        parameters = tuple(
            ParameterChoice(
                path=p.path,
                rule_id=p.rule_id,
                name=p.name,
                label=_label(p, rule_labels, several),
                unit=p.unit,
                current=p.values[-1][1],
            )
            for p in plan.parameters
        )
        out.append(
            MeasureChoice(
                id=measure.id,
                valley=doc.valley.value,
                citation=cite(doc.wenhao, measure.clause),
                title=measure.title,
                parameters=parameters,
            )
        )
    return tuple(out)


@cache
def _choices_for(digest: str) -> tuple[MeasureChoice, ...]:
    return measure_choices(default_catalog())


def default_choices() -> tuple[MeasureChoice, ...]:
    catalog = default_catalog()
    return _choices_for(catalog.digest)


def choices_by_valley(choices: Sequence[MeasureChoice], valley: str = "") -> list[tuple[str, list[MeasureChoice]]]:
    """The measures grouped by city; only that city's when ``valley`` names one."""
    return [(v.value, [m for m in choices if m.valley == v.value]) for v in Valley if not valley or v.value == valley]


VALLEYS = tuple(v.value for v in Valley)


def value_text(unit: str, value: Decimal) -> str:
    """A parameter's value as people read it: '500,000.00 元 (50 万元)', '20%', '36 个月'."""
    if unit == "yuan":
        return f"{money.format_yuan(value)} ({money.format_wan(value)})"
    if unit == "ratio":
        return f"{(value * 100).normalize():f}%"
    if unit == "months":
        return _("%(n)s 个月") % {"n": f"{value.normalize():f}"}
    if unit == "years":
        return _("%(n)s 年") % {"n": f"{value.normalize():f}"}
    return f"{value.normalize():f}"


def input_text(unit: str, value: str) -> str:
    """A stored canonical value as the form shows it for editing: yuan as typed in 元, a ratio as a percentage."""
    if unit == "ratio" and value:
        return f"{(Decimal(value) * 100).normalize():f}%"
    return value


UNIT_HELP = {
    "yuan": gettext_lazy("金额: 选择 元 或 万元, 如 100 万元"),
    "ratio": gettext_lazy("比例: 如 15% 或 0.15"),
    "count": gettext_lazy("整数"),
    "months": gettext_lazy("月数 (整数)"),
    "years": gettext_lazy("年数 (整数)"),
}


@dataclass
class ChangeRow:
    """One change as typed; ``errors`` maps a field (measure, parameter, value, since) to its Chinese message."""

    measure: str = ""
    parameter: str = ""
    value: str = ""
    unit: str = "yuan"
    since: str = ""
    valley: str = ""  # narrows the measure list only; the measure decides
    errors: dict[str, str] = field(default_factory=dict)

    def stored(self) -> dict[str, str]:
        return {"measure": self.measure, "parameter": self.parameter, "value": self.value, "since": self.since}


class BuildError(ValueError):
    def __init__(self, rows: list[ChangeRow], message: str = "") -> None:
        super().__init__(message or "; ".join(f"{k}: {v}" for r in rows for k, v in r.errors.items()))
        self.rows = rows
        self.message = message


def _decimal(text: str) -> Decimal | None:
    try:
        number = Decimal(text.replace(",", "").replace("，", "").strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def parse_value(unit: str, text: str, money_unit: str) -> tuple[str | None, str]:
    """(canonical value, '') or (None, the Chinese problem): yuan to the fen, ratios in [0, 1], whole counts."""
    raw = text.strip()
    if not raw:
        return None, _("请填写新的数值")
    if unit == "yuan":
        raw, money_unit = money.typed_amount(raw, money_unit)
        number = _decimal(raw)
        if number is None:
            return None, _("金额格式错误, 请填写数字, 如 100 或 1,000,000")
        amount = number * money.WAN if money_unit == "wan" else number
        try:
            exact = money.parse_yuan(amount)
        except money.MoneyError as exc:
            return None, exc.message
        # whole yuan as the catalog writes them ('1000000'), otherwise to the fen ('125000.50')
        return (str(int(exact)) if exact == exact.to_integral_value() else str(exact.quantize(money.FEN))), ""
    percent = money.parse_percent(raw) if unit == "ratio" else None
    number = percent if percent is not None else _decimal(raw.rstrip("%％"))
    if number is None:
        return None, _("数值格式错误, 请填写数字")
    if number < 0:
        return None, _("数值不能为负数")
    if unit == "ratio":
        ratio = number
        if ratio > 1:
            return None, _("比例须在 0 到 100% 之间, 如 15% 或 0.15")
        return f"{ratio.normalize():f}", ""
    if number != number.to_integral_value():
        return None, _("须为整数")
    return str(int(number)), ""


def _since(text: str) -> tuple[str, str]:
    raw = text.strip()
    if not raw:
        return "", ""
    try:
        return dt.date.fromisoformat(raw).isoformat(), ""
    except ValueError:
        return "", _("日期格式错误, 应为 年-月-日, 如 2027-01-01")


def row_from_stored(stored: Mapping[str, str], choices: Sequence[MeasureChoice]) -> ChangeRow:
    measure = next((m for m in choices if m.id == stored.get("measure")), None)
    parameter = measure.parameter(stored.get("parameter", "")) if measure else None
    unit = parameter.unit if parameter else ""
    return ChangeRow(
        measure=stored.get("measure", ""),
        valley=measure.valley if measure else "",
        parameter=stored.get("parameter", ""),
        value=input_text(unit, stored.get("value", "")),
        unit="yuan",
        since=stored.get("since", ""),
    )


def check_rows(rows: list[ChangeRow], choices: Sequence[MeasureChoice]) -> list[dict[str, str]]:
    """The rows' canonical form for storing, or BuildError with each problem beside its field."""
    by_id = {m.id: m for m in choices}
    stored = []
    seen: dict[tuple[str, str], int] = {}
    if not rows:
        raise BuildError(rows, _("请至少添加一项修改"))
    if len(rows) > MAX_ROWS:
        raise BuildError(rows, _("一个方案最多 %(n)d 项修改") % {"n": MAX_ROWS})
    for n, row in enumerate(rows):
        row.errors = {}
        measure = by_id.get(row.measure)
        if measure is None:
            row.errors["measure"] = _("请选择一项资金类措施")
            continue
        if row.parameter == DISABLE:
            row.value, row.since = "", ""
        else:
            parameter = measure.parameter(row.parameter)
            if parameter is None:
                row.errors["parameter"] = _("请选择要修改的参数, 或选择停止执行本措施")
                continue
            value, problem = parse_value(parameter.unit, row.value, row.unit)
            if problem:
                row.errors["value"] = problem
            since, date_problem = _since(row.since)
            if date_problem:
                row.errors["since"] = date_problem
            elif since and not parameter.dated:
                row.errors["since"] = _("上限、档次和评审区间不能按日期调整; 请清空生效日期")
            if row.errors:
                continue
            row.value, row.since = value or "", since
        key = (row.measure, row.parameter)
        if key in seen:
            row.errors["parameter"] = _("与第 %(n)d 项重复: 同一参数只能修改一次") % {"n": seen[key] + 1}
            continue
        seen[key] = n
        stored.append(row.stored())
    if any(r.errors for r in rows):
        raise BuildError(rows)
    return stored


def build_reform(
    name: str, description: str, stored: Sequence[Mapping[str, str]], choices: Sequence[MeasureChoice]
) -> Reform:
    """The reform of checked rows (see :func:`check_rows`): one change per row, both review bounds of a rule
    in one change (the bound not changed keeps its current value)."""
    by_id = {m.id: m for m in choices}
    changes: list[Change] = []
    review: dict[tuple[str, str], dict[str, str]] = {}
    for row in stored:
        measure = by_id[row["measure"]]
        if row["parameter"] == DISABLE:
            changes.append(Change(measure=measure.id, disable=True))
            continue
        parameter = measure.parameter(row["parameter"])
        assert parameter is not None
        if parameter.name.startswith("review_range."):
            rule = parameter.rule_id or ""
            if (measure.id, rule) not in review:
                bounds = {
                    p.name.removeprefix("review_range."): str(p.current)
                    for p in measure.parameters
                    if p.rule_id == rule and p.name.startswith("review_range.")
                }
                review[(measure.id, rule)] = bounds
                changes.append(Change(measure=measure.id, rule=rule, set={"review_range": bounds}))
            review[(measure.id, rule)][parameter.name.removeprefix("review_range.")] = row["value"]
            continue
        value: Any = {"since": row["since"], "value": row["value"]} if row["since"] else row["value"]
        changes.append(Change(measure=measure.id, rule=parameter.rule_id, set={parameter.name: value}))
    final = []
    for change in changes:
        if "review_range" in change.set:
            bounds = change.set["review_range"]
            change = Change(
                measure=change.measure, rule=change.rule, set={"review_range": [bounds["min"], bounds["max"]]}
            )
        final.append(change)
    return Reform(name=name, description=description, changes=tuple(final))


def reform_yaml(reform: Reform) -> str:
    """The reform file of a reform (docs/simulation.md), which load_reform reads back to the same reform."""
    changes = []
    for c in reform.changes:
        item: dict[str, Any] = {"measure": c.measure}
        if c.rule:
            item["rule"] = c.rule
        if c.set:
            item["set"] = dict(c.set)
        if c.disable:
            item["disable"] = True
        changes.append(item)
    data: dict[str, Any] = {"name": reform.name}
    if reform.description:
        data["description"] = reform.description
    data["changes"] = changes
    return str(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000))


def describe(stored: Sequence[Mapping[str, str]], choices: Sequence[MeasureChoice]) -> list[dict[str, str]]:
    """The changes in plain words: the measure (clause and title), the parameter, its current and new value."""
    by_id = {m.id: m for m in choices}
    lines = []
    for row in stored:
        measure = by_id.get(row.get("measure", ""))
        if measure is None:
            lines.append({"measure": _("(目录中已没有这项措施)"), "parameter": "", "current": "", "new": ""})
            continue
        if row.get("parameter") == DISABLE:
            lines.append(
                {
                    "measure": measure.label,
                    "measure_id": measure.id,
                    "parameter": str(DISABLE_LABEL),
                    "current": "",
                    "new": "",
                    "since": "",
                }
            )
            continue
        parameter = measure.parameter(row.get("parameter", ""))
        if parameter is None:
            lines.append(
                {
                    "measure": measure.label,
                    "measure_id": measure.id,
                    "parameter": _("(目录中已没有这个参数)"),
                    "current": "",
                    "new": "",
                    "since": "",
                }
            )
            continue
        lines.append(
            {
                "measure": measure.label,
                "measure_id": measure.id,
                "parameter": parameter.label,
                "current": value_text(parameter.unit, parameter.current),
                "new": value_text(parameter.unit, Decimal(row["value"])),
                "since": row.get("since", ""),
            }
        )
    return lines
