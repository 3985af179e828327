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
          rate: '0.25'                          # the single rate (constant below 1) in the formula
      - measure: dt-17
        disable: true                           # the measure pays nothing
      - measure: lf-jr-7
        set: {valid_to: 2030-12-31}

Paths: on a measure ``caps.per_award``, ``caps.per_entity_per_year``, ``caps.cumulative_per_entity``,
``valid_from``, ``valid_to``; on a rule the same ``caps.*`` plus ``table.<key>``, ``amount`` (a whole
formula), ``rate`` and ``review_range`` ([min, max]).  Amounts are yuan.  Every change is checked:
an unknown measure, rule, path or table key, or a value of the wrong form, is an error naming it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from jinchuang.policy import expr, money
from jinchuang.policy.case import FieldProblem
from jinchuang.policy.catalog import Catalog, build_catalog
from jinchuang.policy.schema import Document

CAP_PATHS = ("caps.per_award", "caps.per_entity_per_year", "caps.cumulative_per_entity")
MEASURE_PATHS = (*CAP_PATHS, "valid_from", "valid_to")
RULE_PATHS = (*CAP_PATHS, "amount", "rate", "review_range")


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
        raise ReformError([FieldProblem("$", "改革方案须为 YAML/JSON 对象, 包含 name 和 changes")])
    for key in sorted(set(data) - {"name", "description", "changes"}):
        problems.append(FieldProblem(key, "未知字段"))
    raw = data.get("changes")
    if not isinstance(raw, list) or not raw:
        problems.append(FieldProblem("changes", "须为非空列表"))
        raw = []
    changes = []
    for i, item in enumerate(raw):
        path = f"changes[{i}]"
        if not isinstance(item, Mapping) or not isinstance(item.get("measure"), str):
            problems.append(FieldProblem(f"{path}.measure", "必填: 措施编号, 如 jc-8"))
            continue
        for key in sorted(set(item) - {"measure", "rule", "set", "disable"}):
            problems.append(FieldProblem(f"{path}.{key}", "未知字段"))
        settings = item.get("set", {}) or {}
        if not isinstance(settings, Mapping):
            problems.append(FieldProblem(f"{path}.set", "须为对象"))
            settings = {}
        if not settings and not item.get("disable"):
            problems.append(FieldProblem(path, "须有 set 或 disable: true"))
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
        name=str(data.get("name") or "未命名方案"),
        description=str(data.get("description") or ""),
        changes=tuple(changes),
    )


def load_reform(text: str) -> Reform:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ReformError([FieldProblem("$", f"YAML 格式错误: {exc}")]) from exc
    return parse_reform(data)


def _money(value: object, where: str) -> str:
    try:
        return str(money.parse_yuan(value))
    except money.MoneyError as exc:
        raise ReformError([FieldProblem(where, exc.message)]) from exc


def _replace_rate(formula: str, rate: object, where: str) -> str:
    if isinstance(rate, float) or isinstance(rate, bool):
        raise ReformError([FieldProblem(where, "比例须写成字符串, 如 '0.25'")])
    try:
        new = Decimal(str(rate))
    except InvalidOperation as exc:
        raise ReformError([FieldProblem(where, f"比例格式错误 '{rate}'")]) from exc
    if not 0 <= new <= 1:
        raise ReformError([FieldProblem(where, "比例须在 0 到 1 之间")])
    tree = expr.parse(formula)
    rates = [
        n
        for n in expr.walk(tree)
        if isinstance(n, expr.Const)
        and isinstance(n.value, Decimal)
        and not isinstance(n.value, bool)
        and 0 < n.value < 1
    ]
    texts = {str(r.value) for r in rates}
    if len(texts) != 1:
        raise ReformError([FieldProblem(where, f"公式 '{formula}' 中没有唯一的比例可替换, 请改用 amount")])
    old = texts.pop()
    return formula.replace(old, str(new))


def _apply_settings(
    target: dict[str, Any],
    settings: Mapping[str, Any],
    allowed: tuple[str, ...],
    where: str,
    formula: str | None = None,
) -> None:
    for path, value in settings.items():
        here = f"{where}.set.{path}"
        if path.startswith("table.") and "table" in target and target["table"] is not None and allowed is RULE_PATHS:
            key = path[len("table.") :]
            if key not in target["table"]:
                raise ReformError([FieldProblem(here, f"表中没有 '{key}', 可选: {', '.join(target['table'])}")])
            target["table"][key] = _money(value, here)
        elif path not in allowed:
            raise ReformError([FieldProblem(here, f"不能修改的参数, 可选: {', '.join(allowed)}")])
        elif path.startswith("caps."):
            target.setdefault("caps", {})[path[5:]] = None if value is None else _money(value, here)
        elif path in ("valid_from", "valid_to"):
            try:
                target[path] = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
            except ValueError as exc:
                raise ReformError([FieldProblem(here, f"日期格式错误 '{value}'")]) from exc
        elif path == "rate":
            if not formula:
                raise ReformError([FieldProblem(here, "该规则没有金额公式")])
            target["amount"] = _replace_rate(formula, value, here)
        elif path == "amount":
            try:
                expr.parse(str(value))
            except expr.ExpressionError as exc:
                raise ReformError([FieldProblem(here, f"公式无效: {exc}")]) from exc
            target["amount"] = str(value)
        elif path == "review_range":
            if not isinstance(value, list | tuple) or len(value) != 2:
                raise ReformError([FieldProblem(here, "须为 [最小值, 最大值]")])
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
            raise ReformError([FieldProblem(f"{where}.measure", f"未知的措施 '{change.measure}'")])
        doc_id, n = index[change.measure]
        measure = docs[doc_id]["measures"][n]
        if measure["kind"] != "cash":
            raise ReformError([FieldProblem(f"{where}.measure", f"{change.measure} 不是资金类措施")])
        if change.disable:
            measure["valid_to"] = dt.date(1900, 1, 1)
            measure["valid_from"] = dt.date(1900, 1, 1)
            measure["notes"] = (measure.get("notes") or "") + " [改革方案: 停止执行]"
        if change.rule is None:
            _apply_settings(measure, change.set, MEASURE_PATHS, where)
            continue
        rules = [r for r in measure["rules"] if r["id"] == change.rule]
        if not rules:
            known = ", ".join(r["id"] for r in measure["rules"])
            raise ReformError(
                [FieldProblem(f"{where}.rule", f"{change.measure} 没有规则 '{change.rule}', 可选: {known}")]
            )
        _apply_settings(rules[0], change.set, RULE_PATHS, where, rules[0].get("amount"))
    try:
        documents = [Document.model_validate(docs[d.id]) for d in catalog.documents]
        return build_catalog(
            documents,
            {k: v for k, v in catalog.vocabulary.items() if not any(k in d.event_types for d in catalog.documents)},
        )
    except ValueError as exc:
        if isinstance(exc, ReformError):
            raise
        raise ReformError([FieldProblem("changes", f"修改后的目录无效: {exc}")]) from exc
