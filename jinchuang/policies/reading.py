"""The structured reading of one measure, as people read it: headline parameters, ceilings, rules.

Pure functions over the catalog schema; every amount is a Decimal in yuan, formatted with
thousands separators only when it becomes text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from jinchuang.policy import expr
from jinchuang.policy.citation import cite
from jinchuang.policy.results import CAP_LABELS
from jinchuang.policy.schema import Caps, Document, EventType, Interpretation, Measure, Rule

CAP_ORDER = ("per_award", "per_entity_per_year", "cumulative_per_entity")
HEADLINE_CAP_WORDS = {"per_award": "单项最高", "per_entity_per_year": "每年最高", "cumulative_per_entity": "累计最高"}


def yuan(amount: Decimal) -> str:
    """'500,000.00 元' — the one way amounts are written on the policy pages."""
    return f"{amount:,.2f} 元"


def citation(document: Document, measure: Measure) -> str:
    return cite(document.wenhao, measure.clause, missing=_("(无文号)"))


def percent(ratio: Decimal) -> str:
    text = f"{(ratio * 100).normalize():f}"
    return f"{text}%"


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


@dataclass(frozen=True)
class Ceiling:
    """The most one award can pay under the measure, and which words of the text say so."""

    amount: Decimal
    source: str


@dataclass(frozen=True)
class MeasureReading:
    rules: list[RuleReading] = field(default_factory=list)
    caps: list[CapLine] = field(default_factory=list)
    combine: str = "sum"
    schedule: list[str] = field(default_factory=list)
    interpretations: list[Interpretation] = field(default_factory=list)
    headline: str = ""
    ceiling: Ceiling | None = None


def cap_lines(caps: Caps) -> list[CapLine]:
    lines = []
    for name in CAP_ORDER:
        limit = getattr(caps, name)
        if limit is not None:
            lines.append(CapLine(cap=name, label=CAP_LABELS[name], limit=limit))
    return lines


def _ratios(formula: str) -> list[Decimal]:
    """The percentages a formula applies (constants 0 < c <= 1 in a multiplication)."""
    found: list[Decimal] = []
    for node in expr.walk(expr.parse(formula)):
        if isinstance(node, expr.BinOp) and node.op == "*":
            for side in (node.left, node.right):
                if isinstance(side, expr.Const) and isinstance(side.value, Decimal) and 0 < side.value <= 1:
                    if side.value not in found:
                        found.append(side.value)
    return found


def _min_constants(formula: str) -> list[Decimal]:
    """Constant ceilings written into a formula as min(..., 500000)."""
    found: list[Decimal] = []
    for node in expr.walk(expr.parse(formula)):
        if isinstance(node, expr.Call) and node.func == "min":
            found.extend(a.value for a in node.args if isinstance(a, expr.Const) and isinstance(a.value, Decimal))
    return found


def _fixed_amount(formula: str) -> Decimal | None:
    tree = expr.parse(formula)
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


def _rule_headline(rule: Rule, caps: list[CapLine]) -> str:
    parts: list[str] = []
    if rule.review_range is not None:
        low, high = rule.review_range
        parts.append(_("经评审 %(low)s—%(high)s") % {"low": f"{low:,.2f}", "high": yuan(high)})
    elif rule.amount is not None:
        fixed = _fixed_amount(rule.amount)
        if fixed is not None:
            parts.append(yuan(fixed))
        parts.extend(percent(r) for r in _ratios(rule.amount))
        if rule.table:
            parts.append(_("按档最高 %(amount)s") % {"amount": yuan(max(rule.table.values()))})
        parts.extend(_("最高 %(amount)s") % {"amount": yuan(c)} for c in _min_constants(rule.amount))
    parts.extend(f"{HEADLINE_CAP_WORDS[c.cap]} {yuan(c.limit)}" for c in caps)
    return ", ".join(parts)


def _rule_ceiling(rule: Rule, caps: Caps) -> Ceiling | None:
    bounds: list[Ceiling] = []
    if rule.review_range is not None:
        bounds.append(Ceiling(rule.review_range[1], _("评审区间上限")))
    if rule.amount is not None:
        fixed = _fixed_amount(rule.amount)
        if fixed is not None:
            bounds.append(Ceiling(fixed, _("定额")))
        if rule.table:
            bounds.append(Ceiling(max(rule.table.values()), _("分档最高标准")))
        bounds.extend(Ceiling(c, _("公式上限")) for c in _min_constants(rule.amount))
    for line in cap_lines(caps):
        bounds.append(Ceiling(line.limit, line.label))
    return min(bounds, key=lambda c: c.amount) if bounds else None


def measure_ceiling(measure: Measure) -> Ceiling | None:
    """The highest amount one award can reach: the lowest bound of each rule, the highest rule."""
    group_caps: dict[str, Caps] = {}
    for rule in measure.rules:
        group_caps.setdefault(rule.cap_group or rule.id, rule.caps)
    per_rule = [_rule_ceiling(r, group_caps[r.cap_group or r.id]) for r in measure.rules]
    measure_bounds = [Ceiling(c.limit, c.label) for c in cap_lines(measure.caps)]
    best: Ceiling | None = None
    if per_rule and all(c is not None for c in per_rule):
        best = max((c for c in per_rule if c is not None), key=lambda c: c.amount)
    candidates = [c for c in [best, *measure_bounds] if c is not None]
    return min(candidates, key=lambda c: c.amount) if candidates else None


def measure_reading(measure: Measure, vocabulary: Mapping[str, EventType]) -> MeasureReading:
    rules: list[RuleReading] = []
    for rule in measure.rules:
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
                headline=_rule_headline(rule, caps),
            )
        )
    measure_caps = cap_lines(measure.caps)
    headlines = [r.headline for r in rules if r.headline]
    headline = "; ".join(dict.fromkeys(headlines))
    if measure_caps:
        extra = ", ".join(f"{HEADLINE_CAP_WORDS[c.cap]} {yuan(c.limit)}" for c in measure_caps)
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
        ceiling=measure_ceiling(measure) if measure.rules else None,
    )
