"""Reforms: what-if changes to catalog parameters, applied to a copy of the catalog.

A reform file (YAML) names measures and what to change in them::

    name: 晋城技术交易奖励上限提高到100万元
    changes:
      - measure: jc-8
        set:
          caps.per_entity_per_year: 1000000     # measure-level cap
      - measure: jc-4
        rule: jc-4-national                     # a rule of the measure
        set:
          table.national: 2000000               # one tier of a lookup table
          grant: 2000000                        # a named parameter of the rule
      - measure: dt-17
        disable: true                           # the measure pays nothing
      - measure: lf-jr-7
        set: {valid_to: 2030-12-31}

Paths: on a measure ``caps.per_award``, ``caps.per_entity_per_year``, ``caps.cumulative_per_entity``,
``valid_from``, ``valid_to``; on a rule the same ``caps.*`` plus ``table.<key>``, ``review_range``
([min, max]) and any of the rule's **named parameters** (``rate``, ``min_contract_years`` ...; also
written ``parameters.<name>``).  A parameter takes a value (it replaces the parameter's values) or
dated values ``{since: 2026-01-01, value: '0.15'}`` (or a list of them) that apply to events on or
after their date.  ``disable: true`` sets the measure's ``disabled`` flag, which both evaluators honour.
Reforms never edit formula text.  Amounts are yuan.  Every change is checked: an unknown measure,
rule, path, parameter or table key, or a value of the wrong form, is an error naming it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from jinchuang.policy import money
from jinchuang.policy.case import FieldProblem
from jinchuang.policy.catalog import Catalog, build_catalog
from jinchuang.policy.i18n import gettext
from jinchuang.policy.schema import Document

CAP_PATHS = ("caps.per_award", "caps.per_entity_per_year", "caps.cumulative_per_entity")
MEASURE_PATHS = (*CAP_PATHS, "valid_from", "valid_to")
RULE_PATHS = (*CAP_PATHS, "review_range")


class ReformError(ValueError):
    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Change:
    measure: str
    rule: str | None = None
    set: Mapping[str, Any] = field(default_factory=dict)
    disable: bool = False


@dataclass(frozen=True)
class Reform:
    name: str
    changes: tuple[Change, ...]
    description: str = ""

    def touched(self) -> set[str]:
        return {c.measure for c in self.changes}


def parse_reform(data: object) -> Reform:
    problems: list[FieldProblem] = []
    if not isinstance(data, Mapping):
        raise ReformError([FieldProblem("$", gettext("改革方案须为 YAML/JSON 对象, 包含 name 和 changes"))])
    for key in sorted(set(data) - {"name", "description", "changes"}):
        problems.append(FieldProblem(key, gettext("未知字段")))
    raw = data.get("changes")
    if not isinstance(raw, list) or not raw:
        problems.append(FieldProblem("changes", gettext("须为非空列表")))
        raw = []
    changes = []
    for i, item in enumerate(raw):
        path = f"changes[{i}]"
        if not isinstance(item, Mapping) or not isinstance(item.get("measure"), str):
            problems.append(FieldProblem(f"{path}.measure", gettext("必填: 措施编号, 如 jc-8")))
            continue
        for key in sorted(set(item) - {"measure", "rule", "set", "disable"}):
            problems.append(FieldProblem(f"{path}.{key}", gettext("未知字段")))
        settings = item.get("set", {}) or {}
        if not isinstance(settings, Mapping):
            problems.append(FieldProblem(f"{path}.set", gettext("须为对象")))
            settings = {}
        if not settings and not item.get("disable"):
            problems.append(FieldProblem(path, gettext("须有 set 或 disable: true")))
        rule = item.get("rule")
        changes.append(
            Change(
                measure=item["measure"],
                rule=rule if isinstance(rule, str) else None,
                set=dict(settings),
                disable=bool(item.get("disable")),
            )
        )
    if problems:
        raise ReformError(problems)
    return Reform(
        name=str(data.get("name") or gettext("未命名方案")),
        description=str(data.get("description") or ""),
        changes=tuple(changes),
    )


class _Loader(yaml.SafeLoader):
    """Safe YAML where dates stay text, so that a bad date is an error naming its field, not a crash."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_reform(text: str) -> Reform:
    try:
        data = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass: safe
    except yaml.YAMLError as exc:
        raise ReformError([FieldProblem("$", gettext("YAML 格式错误: %(error)s") % {"error": exc})]) from exc
    return parse_reform(data)


def _money(value: object, where: str) -> str:
    try:
        return str(money.parse_yuan(value))
    except money.MoneyError as exc:
        raise ReformError([FieldProblem(where, str(exc))]) from exc


def _number(value: object, unit: str, where: str) -> str:
    """A parameter value: exact, never a float; yuan to the fen, a ratio in [0, 1], counts whole."""
    if unit == "yuan":
        return _money(value, where)
    if isinstance(value, float) or isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        raise ReformError([FieldProblem(where, gettext("数值须写成整数或字符串, 如 '0.15'"))])
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ReformError([FieldProblem(where, gettext("数值格式错误 '%(value)s'") % {"value": value})]) from exc
    if not number.is_finite() or number < 0:
        raise ReformError([FieldProblem(where, gettext("数值须为非负数"))])
    if unit == "ratio" and number > 1:
        raise ReformError([FieldProblem(where, gettext("比例须在 0 到 1 之间"))])
    if unit != "ratio" and number != number.to_integral_value():
        raise ReformError([FieldProblem(where, gettext("须为整数"))])
    return str(number)


def _date(value: object, where: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ReformError(
            [FieldProblem(where, gettext("日期格式错误 '%(value)s', 应为 YYYY-MM-DD") % {"value": value})]
        ) from exc


def _set_parameter(parameter: dict[str, Any], value: object, where: str, start: dt.date) -> None:
    """Set a named parameter: a plain value replaces all its dated values; ``{since, value}`` (or a
    list of them) adds dated values, each applying to events on or after its date."""
    unit = str(parameter["unit"])
    if isinstance(value, Mapping):
        value = [value]
    if not isinstance(value, list):
        parameter["value"] = _number(value, unit, where)
        parameter["values"] = []
        return
    dated = {v["since"]: v["value"] for v in parameter.get("values") or []}
    if parameter.get("value") is not None:  # the shorthand: one value from the measure's start
        dated[start] = parameter["value"]
    for n, entry in enumerate(value):
        here = f"{where}[{n}]"
        if not isinstance(entry, Mapping) or set(entry) != {"since", "value"}:
            raise ReformError([FieldProblem(here, gettext("须为 {since: 日期, value: 数值}"))])
        dated[_date(entry["since"], f"{here}.since")] = _number(entry["value"], unit, f"{here}.value")
    parameter["value"] = None
    parameter["values"] = [{"since": d, "value": v} for d, v in sorted(dated.items())]


def _apply_settings(
    target: dict[str, Any], settings: Mapping[str, Any], allowed: tuple[str, ...], where: str, start: dt.date
) -> None:
    parameters: dict[str, Any] = target.get("parameters") or {}
    for path, value in settings.items():
        here = f"{where}.set.{path}"
        name = path.removeprefix("parameters.")
        if allowed is RULE_PATHS and name in parameters:
            _set_parameter(parameters[name], value, here, start)
        elif path.startswith("table.") and "table" in target and target["table"] is not None and allowed is RULE_PATHS:
            key = path[len("table.") :]
            if key not in target["table"]:
                raise ReformError(
                    [
                        FieldProblem(
                            here,
                            gettext("表中没有 '%(key)s', 可选: %(choices)s")
                            % {"key": key, "choices": ", ".join(target["table"])},
                        )
                    ]
                )
            target["table"][key] = _money(value, here)
        elif path not in allowed:
            choices = [*allowed, *parameters] if allowed is RULE_PATHS else list(allowed)
            raise ReformError(
                [FieldProblem(here, gettext("不能修改的参数, 可选: %(choices)s") % {"choices": ", ".join(choices)})]
            )
        elif path.startswith("caps."):
            target.setdefault("caps", {})[path[5:]] = None if value is None else _money(value, here)
        elif path in ("valid_from", "valid_to"):
            target[path] = _date(value, here)
        elif path == "review_range":
            if not isinstance(value, list | tuple) or len(value) != 2:
                raise ReformError([FieldProblem(here, gettext("须为 [最小值, 最大值]"))])
            target["review_range"] = [_money(value[0], here), _money(value[1], here)]


def apply_reform(catalog: Catalog, reform: Reform) -> Catalog:
    """A new catalog with the reform applied; the original is untouched."""
    docs = {d.id: d.model_dump() for d in catalog.documents}
    index: dict[str, tuple[str, int]] = {}
    for d in catalog.documents:
        for n, m in enumerate(d.measures):
            index[m.id] = (d.id, n)
    for i, change in enumerate(reform.changes):
        where = f"changes[{i}]"
        if change.measure not in index:
            raise ReformError(
                [FieldProblem(f"{where}.measure", gettext("未知的措施 '%(measure)s'") % {"measure": change.measure})]
            )
        doc_id, n = index[change.measure]
        measure = docs[doc_id]["measures"][n]
        if measure["kind"] != "cash":
            raise ReformError(
                [FieldProblem(f"{where}.measure", gettext("%(measure)s 不是资金类措施") % {"measure": change.measure})]
            )
        start = measure.get("valid_from") or docs[doc_id]["valid_from"]
        if change.disable:
            measure["disabled"] = True
        if change.rule is None:
            _apply_settings(measure, change.set, MEASURE_PATHS, where, start)
            continue
        rules = [r for r in measure["rules"] if r["id"] == change.rule]
        if not rules:
            known = ", ".join(r["id"] for r in measure["rules"])
            raise ReformError(
                [
                    FieldProblem(
                        f"{where}.rule",
                        gettext("%(measure)s 没有规则 '%(rule)s', 可选: %(choices)s")
                        % {"measure": change.measure, "rule": change.rule, "choices": known},
                    )
                ]
            )
        _apply_settings(rules[0], change.set, RULE_PATHS, where, start)
    try:
        documents = [Document.model_validate(docs[d.id]) for d in catalog.documents]
        return build_catalog(
            documents,
            {k: v for k, v in catalog.vocabulary.items() if not any(k in d.event_types for d in catalog.documents)},
        )
    except ValueError as exc:
        if isinstance(exc, ReformError):
            raise
        raise ReformError([FieldProblem("changes", gettext("修改后的目录无效: %(error)s") % {"error": exc})]) from exc
