"""One compiled plan per measure: what every evaluator and the application code consume.

The catalog (``schema.py``) is what an author writes; the plan is what the engine runs.  It is
derived once per measure object (cached) and holds:

- the measure's validity window and whether a reform disabled it;
- per rule: its position, its **cap group** (rules sharing ``cap_group`` share the caps of the
  first rule of the group — resolved here and nowhere else), its **schedule** as exact fractions,
  and one **version** per period in which its named parameters are constant (parameters
  substituted into the parsed expressions, compiled once);
- the **named parameters** of the measure with their dated values and references, for the policy
  library and reforms.

It also holds the two pieces of arithmetic that more than one place needs: splitting an amount
into shares (instalments, or an approved amount over items) and spreading a reduction over items
latest first (prior-grant netting, 就高不重复).  Both work in integer fen, exactly.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

from jinchuang.policy import expr
from jinchuang.policy.i18n import gettext_noop
from jinchuang.policy.results import CAP_LABELS, Status
from jinchuang.policy.schema import Caps, Condition, Document, Measure, MeasureKind, Rule
from jinchuang.policy.vocabulary import OrgKind

#: one instalment: paid ``year_offset`` years after the item's year, this share of the item
Share = tuple[int, Fraction]
ONE_PAYMENT: tuple[Share, ...] = ((0, Fraction(1)),)

CAP_PATHS = ("per_award", "per_entity_per_year", "cumulative_per_entity")


@dataclass(frozen=True)
class Compiled:
    source: str  # the expression as the author wrote it (parameter names)
    text: str  # the same with this version's parameter values written in, for explanations
    node: expr.Node  # parameters substituted
    run: expr.Evaluator


@dataclass(frozen=True)
class CompiledCondition:
    condition: Condition
    compiled: Compiled


@dataclass(frozen=True)
class Version:
    """The rule as it applies to events dated from ``since`` (until the next version)."""

    since: dt.date
    values: Mapping[str, Decimal]
    conditions: tuple[CompiledCondition, ...]
    amount: Compiled | None
    review_max: Compiled | None
    review_min: Compiled | None


@dataclass(frozen=True)
class RulePlan:
    rule: Rule
    position: int
    cap_key: str
    caps: Caps  # the caps that apply to the rule's cap group (those of the group's first rule)
    schedule: tuple[Share, ...]  # the rule's own or else the measure's; ONE_PAYMENT when none
    versions: tuple[Version, ...]

    def version_for(self, date: dt.date) -> Version:
        if len(self.versions) == 1:
            return self.versions[0]
        at = bisect.bisect_right([v.since for v in self.versions], date) - 1
        return self.versions[max(at, 0)]

    @property
    def reviewed(self) -> bool:
        return self.rule.review_range is not None or self.rule.review_max is not None


@dataclass(frozen=True)
class NamedParameter:
    """One number of the law, as the policy library and reforms name it."""

    path: str  # e.g. "dt-8-trade.rate", "caps.per_entity_per_year", "dt-17-rent.table.doctor"
    rule_id: str | None
    name: str
    label: str
    unit: str
    values: tuple[tuple[dt.date, Decimal], ...]
    reference: str


@dataclass(frozen=True)
class MeasurePlan:
    document: Document
    measure: Measure
    window: tuple[dt.date, dt.date]
    rules: tuple[RulePlan, ...]
    by_rule_id: Mapping[str, RulePlan]
    cap_groups: tuple[tuple[str, Caps], ...]  # in the order of the measure's rules
    parameters: tuple[NamedParameter, ...]
    interpretations: tuple[Mapping[str, str], ...]
    event_types: frozenset[str]  # the event types the rules read
    rule_interpretations: frozenset[str]  # every interpretation id some rule relies on
    valley: str  # the document's valley code, as results carry it
    kind: str  # the measure kind's code
    beneficiaries: frozenset[OrgKind]  # organisation kinds the measure applies to
    cash: bool  # the engine computes an amount (MeasureKind.CASH)
    fixed_status: Status | None  # the status of a measure that pays nothing computed (in kind, service …)

    @property
    def disabled(self) -> bool:
        return self.measure.disabled

    def rule(self, rule_id: str) -> RulePlan:
        return self.by_rule_id[rule_id]


def measure_window(doc: Document, measure: Measure) -> tuple[dt.date, dt.date]:
    return measure.valid_from or doc.valid_from, measure.valid_to or doc.valid_to


def _shares(rule: Rule, measure: Measure) -> tuple[Share, ...]:
    schedule = rule.schedule or measure.schedule
    if not schedule:
        return ONE_PAYMENT
    return tuple((i.year_offset, i.fraction) for i in schedule)


def _with_values(source: str, values: Mapping[str, Decimal]) -> str:
    if not values:
        return source
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(values, key=len, reverse=True)) + r")\b")
    return pattern.sub(lambda m: str(values[m.group(1)]), source)


def _compile(source: str | None, values: Mapping[str, Decimal]) -> Compiled | None:
    if source is None:
        return None
    node = expr.substitute(expr.parse(source), values)
    return Compiled(source, _with_values(source, values), node, expr.compile_node(node))


def _versions(rule: Rule, start: dt.date) -> tuple[Version, ...]:
    dated = {name: p.dated(start) for name, p in rule.parameters.items()}
    breakpoints = sorted({since for pairs in dated.values() for since, _ in pairs} | {start})
    versions = []
    for since in breakpoints:
        values = {}
        for name, pairs in dated.items():
            valid = [v for d, v in pairs if d <= since]
            values[name] = valid[-1] if valid else pairs[0][1]  # before its first date: the first value
        conditions = tuple(CompiledCondition(c, _must(_compile(c.expr, values))) for c in rule.conditions)
        versions.append(
            Version(
                since=since,
                values=values,
                conditions=conditions,
                amount=_compile(rule.amount, values),
                review_max=_compile(rule.review_max, values),
                review_min=_compile(rule.review_min, values),
            )
        )
    # consecutive identical versions collapse to one
    merged = [versions[0]]
    for version in versions[1:]:
        if version.values != merged[-1].values:
            merged.append(version)
    return tuple(merged)


_T = TypeVar("_T")


def _must(value: _T | None) -> _T:
    assert value is not None
    return value


def _parameters(doc: Document, measure: Measure, start: dt.date) -> tuple[NamedParameter, ...]:
    out: list[NamedParameter] = []
    reference = measure.title

    def caps(prefix: str, rule_id: str | None, value: Caps) -> None:
        for cap in CAP_PATHS:
            limit = getattr(value, cap)
            if limit is not None:
                out.append(
                    NamedParameter(
                        f"{prefix}caps.{cap}",
                        rule_id,
                        f"caps.{cap}",
                        CAP_LABELS[cap],
                        "yuan",
                        ((start, limit),),
                        reference,
                    )
                )

    caps("", None, measure.caps)
    for rule in measure.rules:
        prefix = f"{rule.id}."
        for name, p in rule.parameters.items():
            out.append(
                NamedParameter(prefix + name, rule.id, name, p.label, p.unit, tuple(p.dated(start)), p.reference)
            )
        for key, value in (rule.table or {}).items():
            out.append(
                NamedParameter(
                    f"{prefix}table.{key}",
                    rule.id,
                    f"table.{key}",
                    f"{rule.label}: {key}",
                    "yuan",
                    ((start, value),),
                    rule.label,
                )
            )
        if rule.review_range is not None:
            for bound, value in zip(("min", "max"), rule.review_range, strict=True):
                out.append(
                    NamedParameter(
                        f"{prefix}review_range.{bound}",
                        rule.id,
                        f"review_range.{bound}",
                        gettext_noop("经评审区间下限") if bound == "min" else gettext_noop("经评审区间上限"),
                        "yuan",
                        ((start, value),),
                        rule.label,
                    )
                )
        caps(prefix, rule.id, rule.caps)
    return tuple(out)


def build_plan(doc: Document, measure: Measure) -> MeasurePlan:
    window = measure_window(doc, measure)
    group_caps: dict[str, Caps] = {}
    for rule in measure.rules:
        group_caps.setdefault(rule.cap_group or rule.id, rule.caps)
    rules = tuple(
        RulePlan(
            rule=rule,
            position=n,
            cap_key=rule.cap_group or rule.id,
            caps=group_caps[rule.cap_group or rule.id],
            schedule=_shares(rule, measure),
            versions=_versions(rule, window[0]),
        )
        for n, rule in enumerate(measure.rules)
    )
    return MeasurePlan(
        document=doc,
        measure=measure,
        window=window,
        rules=rules,
        by_rule_id={r.rule.id: r for r in rules},
        cap_groups=tuple(group_caps.items()),
        parameters=_parameters(doc, measure, window[0]),
        interpretations=tuple(i.model_dump() for i in measure.interpretations),
        event_types=frozenset(r.event for r in measure.rules),
        rule_interpretations=frozenset(i for r in measure.rules for i in r.interpretations),
        valley=doc.valley.value,
        kind=measure.kind.value,
        beneficiaries=frozenset(measure.beneficiaries),
        cash=measure.kind is MeasureKind.CASH,
        fixed_status=None if measure.kind is MeasureKind.CASH else Status(measure.kind.value),
    )


_PLANS: dict[int, tuple[Document, Measure, MeasurePlan]] = {}


def plan_for(doc: Document, measure: Measure) -> MeasurePlan:
    """The measure's plan, built once per (document, measure) object."""
    cached = _PLANS.get(id(measure))
    if cached is None or cached[1] is not measure or cached[0] is not doc:
        if len(_PLANS) > 10_000:  # reformed catalogs come and go; keep the cache bounded
            _PLANS.clear()
        cached = (doc, measure, build_plan(doc, measure))
        _PLANS[id(measure)] = cached
    return cached[2]


# --- arithmetic shared by the evaluators and the application code ------------------------------


def share_fen(amount_fen: int, share: Fraction) -> int:
    """``amount_fen × share`` rounded half up to the fen, exactly (no intermediate rounding)."""
    if amount_fen < 0:
        return -share_fen(-amount_fen, share)
    return (amount_fen * share.numerator * 2 + share.denominator) // (2 * share.denominator)


def split_fen(amount_fen: int, shares: Sequence[Fraction]) -> list[int]:
    """Split ``amount_fen`` into ``shares`` (which add up to 1): each part rounded half up to the
    fen, the last part takes the remainder, so the parts add up exactly.  The one instalment rule."""
    if not shares:
        raise ValueError("at least one share is needed")
    if sum(shares) != 1:
        raise ValueError(f"shares must add up to 1, not {sum(shares)}")
    parts = [share_fen(amount_fen, s) for s in shares[:-1]]
    parts.append(amount_fen - sum(parts))
    return parts


def proportions(weights: Sequence[int]) -> list[Fraction]:
    """Exact shares proportional to ``weights`` (e.g. the items' amounts in fen)."""
    total = sum(weights)
    if total <= 0:
        raise ValueError("weights must add up to more than zero")
    return [Fraction(w, total) for w in weights]


_I = TypeVar("_I")


def spread_reduction(
    items: Sequence[_I], amount_of: Callable[[_I], int], order_key: Callable[[_I], tuple[object, ...]], total: int
) -> list[tuple[_I, int]]:
    """Cut the items' amounts (fen) down to ``total``, the latest item first (by ``order_key``).

    Prior-grant netting and 就高不重复 reduce a measure's total after the caps; the reduction is
    taken from the latest items so that earlier instalments stay as computed.  Returns (item, amount)
    in the items' own order.
    """
    excess = sum(amount_of(i) for i in items) - total
    kept: dict[int, int] = {}
    for position in sorted(range(len(items)), key=lambda n: order_key(items[n]), reverse=True):
        amount = amount_of(items[position])
        cut = min(max(excess, 0), amount)
        excess -= cut
        kept[position] = amount - cut
    return [(item, kept[n]) for n, item in enumerate(items)]
