"""The calculator's answer as a person reads it: first what you may receive per valley, then one card per
measure that pays, the measures that need review with their legal range, what the people you hired may
claim themselves (由个人申报), the nearest misses, and the services and in-kind support.

A selector over the engine's :class:`Result` and :class:`PersonClaim` list: no evaluation here, every
amount is the engine's own and cites its clause. The sentences are Chinese built from the catalog's
words (rule labels, event labels, condition texts); formulas and codes never reach the page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from jinchuang.calculator.selectors import event_type_label
from jinchuang.policy.catalog import default_catalog
from jinchuang.policy.money import format_yuan
from jinchuang.policy.person_paid import PersonClaim, person_total
from jinchuang.policy.plain import prose
from jinchuang.policy.results import Failure, MeasureResult, Result, Status, plain_explanation
from jinchuang.records.models import FactState
from jinchuang.records.selectors import RecordCase

ZERO = Decimal("0.00")
PAYING = (Status.ELIGIBLE, Status.NEEDS_REVIEW)
SUPPORT = (Status.IN_KIND, Status.SERVICE, Status.CASE_BY_CASE)


@dataclass(frozen=True)
class ValleyAnswer:
    """One valley's headline: what the organisation may receive and what its people may claim."""

    valley: str
    eligible: Decimal  # fixed amounts the organisation qualifies for
    review_ceiling: Decimal  # the most the measures needing review may give
    person_eligible: Decimal  # 由个人申报: fixed amounts the hired people may claim
    person_review: Decimal
    best: bool  # the highest organisation total of a comparison


@dataclass(frozen=True)
class Card:
    """One measure that pays (or may pay after review)."""

    measure: MeasureResult
    why: list[str]  # the sentences: which fact, which standard, which cap
    explanation: list[str]  # the full explanation (folded on the page)
    auto_granted: bool = False  # 免申即享: the platform offers it from verified facts of the record
    person: str = ""  # for a person-paid card: who claims it (事件 2 引进/聘用人才 · 博士研究生)

    @property
    def needs_review(self) -> bool:
        return self.measure.status is Status.NEEDS_REVIEW


@dataclass(frozen=True)
class Miss:
    measure: MeasureResult
    missing: list[Failure]

    @property
    def sentences(self) -> list[str]:
        """What is missing, in words: the condition's text and what to do (the field names the engine puts
        in brackets for programmers are left out)."""
        out = []
        for failure in self.missing:
            text = plain_text(failure.text)
            out.append(f"{text} → {plain_text(failure.hint)}" if failure.hint else text)
        return out


_CODE_IN_BRACKETS = re.compile(r"\s*[(（]\s*[A-Za-z_][A-Za-z0-9_.\[\]]*\s*[)）]")


def plain_text(text: str) -> str:
    """A sentence of the engine or the catalog in words: the code names the engine adds in brackets for
    programmers ("技术交易额(amount)", "(stacks_on_provincial)") left out, and every identifier an author
    quoted in running text ("person_hired 事件", "person_hired.months") written in the vocabulary's words
    by the policy engine's one function for catalog prose (:func:`jinchuang.policy.plain.prose`)."""
    return prose(_CODE_IN_BRACKETS.sub("", text), default_catalog().vocabulary)


@dataclass
class Answer:
    valleys: list[ValleyAnswer]
    paying: list[Card] = field(default_factory=list)
    review: list[Card] = field(default_factory=list)
    person: list[Card] = field(default_factory=list)
    misses: list[Miss] = field(default_factory=list)
    support: list[MeasureResult] = field(default_factory=list)  # services, in kind, 一事一议
    cut: list[Card] = field(default_factory=list)  # qualified, but 就高不重复 or a cap left nothing

    @property
    def comparison(self) -> bool:
        return len(self.valleys) > 1

    def chart(self) -> dict[str, Any]:
        return {
            "valleys": [v.valley for v in self.valleys],
            "eligible": [str(v.eligible) for v in self.valleys],
            "review": [str(v.review_ceiling) for v in self.valleys],
            "person": [str(v.person_eligible + v.person_review) for v in self.valleys],
        }


def _event_labels() -> dict[str, str]:
    return {code: spec.label for code, spec in default_catalog().vocabulary.items()}


def person_label(event: Mapping[str, Any] | None, index: int) -> str:
    """事件 2 · 引进/聘用人才 · 博士研究生: the event in words (its type and its first chosen option)."""
    if not isinstance(event, Mapping):
        return _("事件 %(n)s") % {"n": index + 1}
    etype = str(event.get("type", ""))
    parts = [_("事件 %(n)s") % {"n": index + 1}, event_type_label(etype)]
    spec = default_catalog().vocabulary.get(etype)
    if spec is not None:
        for name, spec_field in spec.fields.items():
            value = event.get(name)
            if spec_field.options and isinstance(value, str) and value in spec_field.options:
                parts.append(spec_field.options[value])
                break
    return " · ".join(parts)


def why_sentences(measure: MeasureResult, labels: Mapping[str, str]) -> list[str]:
    """Why the measure pays, one sentence per fact it rests on (the rule's words, never its formula)."""
    lines = []
    for item in measure.items:
        if not item.chosen:
            continue
        event = labels.get(item.event_type, _("事实"))
        line = _("%(date)s 的%(event)s, 按“%(rule)s”") % {
            "date": item.event_date.isoformat(),
            "event": event,
            "rule": item.rule_label,
        }
        if item.review_range is not None:
            line += _(", 经评审确定, 法定区间 %(low)s 至 %(high)s") % {
                "low": format_yuan(item.review_range[0]),
                "high": format_yuan(item.review_range[1]),
            }
        else:
            line += _("计得 %(amount)s") % {"amount": format_yuan(item.raw)}
        for cap in item.caps:
            if cap.cut > 0:
                line += _("; 受%(label)s %(limit)s 限制, 核减 %(cut)s") % {
                    "label": cap.as_dict()["label"],
                    "limit": format_yuan(cap.limit),
                    "cut": format_yuan(cap.cut),
                }
        lines.append(line)
    if measure.overlap:
        lines.append(measure.overlap)
    return lines


def _card(measure: MeasureResult, labels: Mapping[str, str], auto: bool = False, person: str = "") -> Card:
    return Card(
        measure=measure,
        why=why_sentences(measure, labels),
        explanation=plain_explanation(measure.as_dict(), labels),
        auto_granted=auto,
        person=person,
    )


def answer(
    result: Result,
    claims: Sequence[PersonClaim] = (),
    *,
    events: Sequence[Any] = (),
    auto_granted: Iterable[str] = (),
    misses: int = 5,
) -> Answer:
    """The result ordered as the page shows it. ``events`` are the case's events (for naming the person of a
    person-paid claim); ``auto_granted`` the ids of measures the platform offers by itself (免申即享)."""
    labels = _event_labels()
    auto = set(auto_granted)
    best_total = max((result.total(v) for v in result.valleys), default=ZERO)
    out = Answer(
        valleys=[
            ValleyAnswer(
                valley=v,
                eligible=result.total(v),
                review_ceiling=result.review_ceiling(v),
                person_eligible=person_total(claims, v, Status.ELIGIBLE),
                person_review=person_total(claims, v, Status.NEEDS_REVIEW),
                best=len(result.valleys) > 1 and best_total > 0 and result.total(v) == best_total,
            )
            for v in result.valleys
        ]
    )
    for m in result.measures:
        if m.status in PAYING and m.kind == "cash":
            card = _card(m, labels, auto=m.measure_id in auto)
            if m.amount <= 0:
                out.cut.append(card)
            elif m.status is Status.NEEDS_REVIEW:
                out.review.append(card)
            else:
                out.paying.append(card)
        elif m.status in SUPPORT and m.applicable:
            out.support.append(m)
    out.paying.sort(key=lambda c: -c.measure.amount)  # stable: catalog order among equal amounts
    out.review.sort(key=lambda c: -c.measure.amount)
    for claim in claims:
        event = events[claim.event_index] if 0 <= claim.event_index < len(events) else None
        out.person.append(_card(claim.result, labels, person=person_label(event, claim.event_index)))
    out.misses = [Miss(measure=m, missing=list(m.failed)) for m in result.nearest_misses(misses)]
    return out


def auto_granted_ids(result: Result, record: RecordCase) -> set[str]:
    """Measures the platform offers by itself (免申即享): every fact the measure's amount rests on is a
    verified fact of the record (offers are made from verified facts only), none a hypothetical event."""
    facts = record.event_facts
    out = set()
    for m in result.measures:
        indices = {i.event_index for i in m.items if i.chosen}
        if m.status not in PAYING or m.amount <= 0 or not indices:
            continue
        if all(i < len(facts) and facts[i].state == FactState.VERIFIED for i in indices):
            out.add(m.measure_id)
    return out
