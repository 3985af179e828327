"""The structured reading of one measure, as people read it: headline parameters, ceilings, rules.

Pure functions over the measure's compiled plan: headline figures are the named parameters'
values in force (the latest dated value), read from the plan's expression trees with the
parameters substituted; cap groups come from the plan.  Every amount is a Decimal in yuan,
formatted through the money module only when it becomes text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jinchuang.policy import expr
from jinchuang.policy.citation import cite
from jinchuang.policy.money import format_yuan
from jinchuang.policy.plan import MeasurePlan, NamedParameter, RulePlan, plan_for
from jinchuang.policy.results import CAP_LABELS
from jinchuang.policy.schema import Caps, Document, EventType, Interpretation, Measure, Rule

CAP_ORDER = ("per_award", "per_entity_per_year", "cumulative_per_entity")
HEADLINE_CAP_WORDS = {
    "per_award": gettext_noop("单项最高"),
    "per_entity_per_year": gettext_noop("每年最高"),
    "cumulative_per_entity": gettext_noop("累计最高"),
}


def yuan(amount: Decimal) -> str:
    """'500,000.00 元' — the one way amounts are written on the policy pages."""
    return format_yuan(amount)


def citation(document: Document, measure: Measure) -> str:
    return cite(document.wenhao, measure.clause, missing=_("(无文号)"))


def percent(ratio: Decimal) -> str:
    text = f"{(ratio * 100).normalize():f}"
    return f"{text}%"


@dataclass(frozen=True)
class ParameterLine:
    """One named parameter as people read it: '支持比例 20% (自 2024-09-12 起)' and the clause's words."""

    name: str
    label: str
    values: list[tuple[str, str]]  # (since, value as text)
    reference: str


def parameter_value_text(unit: str, value: Decimal) -> str:
    if unit == "ratio":
        return percent(value)
    if unit == "yuan":
        return yuan(value)
    if unit == "months":
        return _("%(n)s 个月") % {"n": value}
    if unit == "years":
        return _("%(n)s 年") % {"n": value}
    return str(value)


def parameter_line(parameter: NamedParameter) -> ParameterLine:
    return ParameterLine(
        name=parameter.name,
        label=parameter.label,
        values=[(d.isoformat(), parameter_value_text(parameter.unit, v)) for d, v in parameter.values],
        reference=parameter.reference,
    )


@dataclass(frozen=True)
class CapLine:
    cap: str
    label: str
    limit: Decimal

    @property
    def text(self) -> str:
        return f"{self.label} {yuan(self.limit)}"


@dataclass(frozen=True)
class TableRow:
    key: str
    label: str
    amount: Decimal


@dataclass(frozen=True)
class ConditionLine:
    text: str
    expr: str
    hint: str | None


@dataclass(frozen=True)
class RuleReading:
    id: str
    label: str
    event: str
    event_label: str
    conditions: list[ConditionLine]
    formula: str | None
    review_range: tuple[Decimal, Decimal] | None
    table: list[TableRow]
    caps: list[CapLine]
    cap_group: str | None
    interpretations: list[str]
    headline: str
    parameters: list[NamedParameter] = field(default_factory=list)

    @property
    def parameter_lines(self) -> list[ParameterLine]:
        """The rule's own named parameters (rates, amounts, thresholds, periods), not caps or tiers."""
        return [parameter_line(p) for p in self.parameters if not p.name.startswith(("caps.", "table.", "review_"))]


@dataclass(frozen=True)
class Ceiling:
    """The most one award can pay under the measure, and which words of the text say so."""

    amount: Decimal
    source: str
    reviewed: bool = False  # the amount is the top of a 经评审 range: "需评审, 最高 20 万元"


@dataclass(frozen=True)
class MeasureReading:
    rules: list[RuleReading] = field(default_factory=list)
    caps: list[CapLine] = field(default_factory=list)
    combine: str = "sum"
    schedule: list[str] = field(default_factory=list)
    interpretations: list[Interpretation] = field(default_factory=list)
    headline: str = ""
    ceiling: Ceiling | None = None
    parameters: list[NamedParameter] = field(default_factory=list)


def cap_lines(caps: Caps) -> list[CapLine]:
    lines = []
    for name in CAP_ORDER:
        limit = getattr(caps, name)
        if limit is not None:
            lines.append(CapLine(cap=name, label=CAP_LABELS[name], limit=limit))
    return lines


def _in_force(plan: RulePlan) -> expr.Node | None:
    """The rule's amount formula with the parameter values in force (its latest version)."""
    amount = plan.versions[-1].amount
    return amount.node if amount is not None else None


def _ratios(tree: expr.Node) -> list[Decimal]:
    """The percentages a formula applies (parameters 0 < c <= 1 in a multiplication)."""
    found: list[Decimal] = []
    for node in expr.walk(tree):
        if isinstance(node, expr.BinOp) and node.op == "*":
            for side in (node.left, node.right):
                if isinstance(side, expr.Const) and isinstance(side.value, Decimal) and 0 < side.value <= 1:
                    if side.value not in found:
                        found.append(side.value)
    return found


def _min_constants(plan: RulePlan) -> list[Decimal]:
    """Money ceilings written into the formula as ``min(..., ceiling)``: the named parameters of unit
    yuan among a min()'s arguments, at the value in force. The unit comes from the catalog, so
    ``min(months, max_months)`` (unit months) is a number of months, never “最高 36.00 元”."""
    version = plan.versions[-1]
    if version.amount is None:
        return []
    parameters = plan.rule.parameters
    found: list[Decimal] = []
    for node in expr.walk(expr.parse(version.amount.source)):
        if isinstance(node, expr.Call) and node.func == "min":
            found.extend(
                version.values[a.name]
                for a in node.args
                if isinstance(a, expr.Var) and a.name in parameters and parameters[a.name].unit == "yuan"
            )
    return found


def _fixed_amount(tree: expr.Node) -> Decimal | None:
    if isinstance(tree, expr.Const) and isinstance(tree.value, Decimal):
        return tree.value
    return None


def _table_rows(rule: Rule, vocabulary: Mapping[str, EventType]) -> list[TableRow]:
    if not rule.table:
        return []
    labels: dict[str, str] = {}
    spec = vocabulary.get(rule.event)
    if rule.amount and spec is not None:
        for node in expr.walk(expr.parse(rule.amount)):
            if isinstance(node, expr.Lookup) and isinstance(node.key, expr.Var):
                field_spec = spec.fields.get(node.key.name)
                if field_spec is not None and field_spec.options:
                    labels.update(field_spec.options)
    return [TableRow(key=k, label=labels.get(k, k), amount=v) for k, v in rule.table.items()]


def _rule_headline(plan: RulePlan, caps: list[CapLine]) -> str:
    rule, tree = plan.rule, _in_force(plan)
    parts: list[str] = []
    if rule.review_range is not None:
        low, high = rule.review_range
        parts.append(_("经评审 %(low)s—%(high)s") % {"low": format_yuan(low, unit=False), "high": yuan(high)})
    elif tree is not None:
        fixed = _fixed_amount(tree)
        if fixed is not None:
            parts.append(yuan(fixed))
        parts.extend(percent(r) for r in _ratios(tree))
        if rule.table:
            parts.append(_("按档最高 %(amount)s") % {"amount": yuan(max(rule.table.values()))})
        parts.extend(_("最高 %(amount)s") % {"amount": yuan(c)} for c in _min_constants(plan))
    parts.extend(f"{_(HEADLINE_CAP_WORDS[c.cap])} {yuan(c.limit)}" for c in caps)
    return ", ".join(parts)


def _rule_ceiling(plan: RulePlan) -> Ceiling | None:
    rule, caps, tree = plan.rule, plan.caps, _in_force(plan)
    bounds: list[Ceiling] = []
    reviewed = plan.reviewed
    if rule.review_range is not None:
        bounds.append(Ceiling(rule.review_range[1], _("评审区间上限"), reviewed=True))
    if tree is not None:
        fixed = _fixed_amount(tree)
        if fixed is not None:
            bounds.append(Ceiling(fixed, _("定额")))
        if rule.table:
            bounds.append(Ceiling(max(rule.table.values()), _("分档最高标准")))
        bounds.extend(Ceiling(c, _("公式上限")) for c in _min_constants(plan))
    for line in cap_lines(caps):
        bounds.append(Ceiling(line.limit, line.label, reviewed=reviewed))
    return min(bounds, key=lambda c: c.amount) if bounds else None


def measure_ceiling(plan: MeasurePlan) -> Ceiling | None:
    """The highest amount one award can reach: the lowest bound of each rule, the highest rule.

    A rule without a fixed bound (a reviewed ceiling that grows with the case, such as 每月 2 万元 × months)
    does not hide the bounds the other rules state: 晋城 第11条 reads "需评审, 最高 20 万元", not nothing."""
    per_rule = [_rule_ceiling(r) for r in plan.rules]
    reviewed = any(r.reviewed for r in plan.rules)
    measure_bounds = [Ceiling(c.limit, c.label, reviewed=reviewed) for c in cap_lines(plan.measure.caps)]
    best: Ceiling | None = None
    bounded = [c for c in per_rule if c is not None]
    unbounded_cash = any(c is None and not r.reviewed for c, r in zip(per_rule, plan.rules, strict=True))
    if bounded and not unbounded_cash:
        best = max(bounded, key=lambda c: c.amount)
    candidates = [c for c in [best, *measure_bounds] if c is not None]
    return min(candidates, key=lambda c: c.amount) if candidates else None


def measure_reading(document: Document, measure: Measure, vocabulary: Mapping[str, EventType]) -> MeasureReading:
    plan = plan_for(document, measure)
    rules: list[RuleReading] = []
    for rule_plan in plan.rules:
        rule = rule_plan.rule
        caps = cap_lines(rule.caps)
        spec = vocabulary.get(rule.event)
        rules.append(
            RuleReading(
                id=rule.id,
                label=rule.label,
                event=rule.event,
                event_label=spec.label if spec else rule.event,
                conditions=[ConditionLine(text=c.text, expr=c.expr, hint=c.hint) for c in rule.conditions],
                formula=rule.amount,
                review_range=rule.review_range,
                table=_table_rows(rule, vocabulary),
                caps=caps,
                cap_group=rule.cap_group,
                interpretations=list(rule.interpretations),
                headline=_rule_headline(rule_plan, caps),
                parameters=[p for p in plan.parameters if p.rule_id == rule.id],
            )
        )
    measure_caps = cap_lines(measure.caps)
    headlines = [r.headline for r in rules if r.headline]
    headline = "; ".join(dict.fromkeys(headlines))
    if measure_caps:
        extra = ", ".join(f"{_(HEADLINE_CAP_WORDS[c.cap])} {yuan(c.limit)}" for c in measure_caps)
        headline = f"{headline}, {extra}" if headline else extra
    return MeasureReading(
        rules=rules,
        caps=measure_caps,
        combine=measure.combine,
        schedule=[
            _("第%(year)s年 %(share)s") % {"year": i.year_offset + 1, "share": i.share} for i in measure.schedule
        ],
        interpretations=list(measure.interpretations),
        headline=headline,
        ceiling=measure_ceiling(plan) if measure.rules else None,
        parameters=list(plan.parameters),
    )
