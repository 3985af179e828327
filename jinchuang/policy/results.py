"""What the calculator returns: per measure, a status, an exact amount and why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from jinchuang.policy import money
from jinchuang.policy.citation import cite
from jinchuang.policy.i18n import gettext
from jinchuang.policy.vocabulary import gettext_noop

FEN = Decimal("0.01")


class Status(StrEnum):
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    NEEDS_REVIEW = "needs_review"
    IN_KIND = "in_kind"
    SERVICE = "service"
    CASE_BY_CASE = "case_by_case"
    PRINCIPLE = "principle"


#: marked for makemessages; the pages translate them where they show them
STATUS_LABELS: dict[Status, str] = {
    Status.ELIGIBLE: gettext_noop("符合条件"),
    Status.NOT_ELIGIBLE: gettext_noop("不符合条件"),
    Status.NEEDS_REVIEW: gettext_noop("需评审(法定区间)"),
    Status.IN_KIND: gettext_noop("场地/实物支持"),
    Status.SERVICE: gettext_noop("平台服务"),
    Status.CASE_BY_CASE: gettext_noop("一事一议"),
    Status.PRINCIPLE: gettext_noop("原则/机制"),
}

CAP_LABELS = {
    "per_award": gettext_noop("单项上限"),
    "per_entity_per_year": gettext_noop("每年累计上限"),
    "cumulative_per_entity": gettext_noop("累计总额上限"),
}


@dataclass(frozen=True)
class Failure:
    text: str
    hint: str | None = None
    expr: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "hint": self.hint, "expr": self.expr}


@dataclass(frozen=True)
class CapHit:
    cap: str  # per_award | per_entity_per_year | cumulative_per_entity
    scope: str  # the rule or cap group id, or "measure"
    limit: Decimal
    cut: Decimal

    def as_dict(self) -> dict[str, Any]:
        return {
            "cap": self.cap,
            "label": CAP_LABELS[self.cap],
            "scope": self.scope,
            "limit": str(self.limit),
            "cut": str(self.cut),
        }


@dataclass
class Item:
    """One rule applied to one event."""

    rule_id: str
    rule_label: str
    event_index: int
    event_type: str
    event_date: dt.date
    formula: str
    raw: Decimal
    amount: Decimal
    review_range: tuple[Decimal, Decimal] | None = None
    caps: list[CapHit] = field(default_factory=list)
    interpretations: tuple[str, ...] = ()
    chosen: bool = True  # False when combine=max picked another rule for the event

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule_id,
            "label": self.rule_label,
            "event_index": self.event_index,
            "event_type": self.event_type,
            "event_date": self.event_date.isoformat(),
            "formula": self.formula,
            "raw": str(self.raw),
            "amount": str(self.amount),
            "review_range": [str(x) for x in self.review_range] if self.review_range else None,
            "caps": [c.as_dict() for c in self.caps],
            "interpretations": list(self.interpretations),
            "chosen": self.chosen,
        }


@dataclass(frozen=True)
class Instalment:
    year: int
    amount: Decimal

    def as_dict(self) -> dict[str, Any]:
        return {"year": self.year, "amount": str(self.amount)}


@dataclass
class MeasureResult:
    measure_id: str
    document_id: str
    valley: str
    wenhao: str
    clause: str
    title: str
    kind: str
    category: str
    text: str
    status: Status
    amount: Decimal = Decimal("0.00")
    review_range: tuple[Decimal, Decimal] | None = None
    items: list[Item] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    schedule: list[Instalment] = field(default_factory=list)
    interpretations: list[dict[str, str]] = field(default_factory=list)
    overlap: str | None = None
    prior_grant_deduction: Decimal = Decimal("0.00")
    applicable: bool = True
    explanation: list[str] = field(default_factory=list)

    @property
    def binding_cap(self) -> CapHit | None:
        hits = [c for i in self.items if i.chosen for c in i.caps if c.cut > 0]
        return max(hits, key=lambda c: c.cut) if hits else None

    @property
    def citation(self) -> str:
        return cite(self.wenhao, self.clause)

    def as_dict(self) -> dict[str, Any]:
        cap = self.binding_cap
        return {
            "measure": self.measure_id,
            "document": self.document_id,
            "valley": self.valley,
            "title": self.title,
            "kind": self.kind,
            "category": self.category,
            "status": self.status.value,
            "status_label": STATUS_LABELS[self.status],
            "amount": str(self.amount),
            "review_range": [str(x) for x in self.review_range] if self.review_range else None,
            "binding_cap": cap.as_dict() if cap else None,
            "failed": [f.as_dict() for f in self.failed],
            "schedule": [s.as_dict() for s in self.schedule],
            "interpretations": self.interpretations,
            "overlap": self.overlap,
            "prior_grant_deduction": str(self.prior_grant_deduction),
            "citation": {"wenhao": self.wenhao, "clause": self.clause, "text": self.text, "label": self.citation},
            "items": [i.as_dict() for i in self.items],
            "explanation": self.explanation,
        }


@dataclass
class Result:
    as_of: dt.date
    valleys: list[str]
    measures: list[MeasureResult]

    def total(self, valley: str | None = None) -> Decimal:
        return sum(
            (m.amount for m in self.measures if m.status is Status.ELIGIBLE and (valley is None or m.valley == valley)),
            Decimal("0.00"),
        )

    def review_ceiling(self, valley: str | None = None) -> Decimal:
        return sum(
            (
                m.amount
                for m in self.measures
                if m.status is Status.NEEDS_REVIEW and (valley is None or m.valley == valley)
            ),
            Decimal("0.00"),
        )

    def nearest_misses(self, limit: int = 5) -> list[MeasureResult]:
        misses = [
            m
            for m in self.measures
            if m.status is Status.NOT_ELIGIBLE
            and m.applicable
            and m.items == []
            and m.failed
            and not m.failed[0].text.startswith("缺少事件")
        ]
        misses.sort(key=lambda m: (len(m.failed), m.measure_id))
        return misses[:limit]

    def by_id(self, measure_id: str) -> MeasureResult:
        for m in self.measures:
            if m.measure_id == measure_id:
                return m
        raise KeyError(measure_id)

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "valleys": self.valleys,
            "totals": {
                v: {"eligible": str(self.total(v)), "needs_review_ceiling": str(self.review_ceiling(v))}
                for v in self.valleys
            },
            "measures": [m.as_dict() for m in self.measures],
            "nearest_misses": [
                {
                    "measure": m.measure_id,
                    "title": m.title,
                    "valley": m.valley,
                    "missing": [f.as_dict() for f in m.failed],
                }
                for m in self.nearest_misses()
            ],
        }


def plain_explanation(result: Mapping[str, Any], event_labels: Mapping[str, str]) -> list[str]:
    """How the engine reached a measure's amount, in Chinese sentences a reviewer reads — the rule's
    label and the fact it read, the amount, each cap that cut it, 就高不重复, the legal range — never the
    formula's expression. ``result`` is a stored ``MeasureResult.as_dict()``; ``event_labels`` the event
    types' Chinese labels."""
    lines: list[str] = []
    for item in result.get("items", ()):
        words = {
            "date": item.get("event_date"),
            "event": event_labels.get(str(item.get("event_type")), gettext("事实")),
            "label": item.get("label"),
            "raw": _yuan(Decimal(item["raw"])),
        }
        if not item.get("chosen", True):
            lines.append(
                gettext("依据 %(date)s 的%(event)s, 按“%(label)s”计得 %(raw)s 元; 同一事实另有较高标准, 不重复计算")
                % words
            )
            continue
        line = gettext("依据 %(date)s 的%(event)s, 按“%(label)s”计得 %(raw)s 元") % words
        for cap in item.get("caps", ()):
            line += gettext("; 受%(cap)s %(limit)s 元限制, 核减 %(cut)s 元") % {
                "cap": cap.get("label"),
                "limit": _yuan(Decimal(cap["limit"])),
                "cut": _yuan(Decimal(cap["cut"])),
            }
        if item.get("review_range"):
            low, high = item["review_range"]
            line += gettext("; 经评审确定, 法定区间 %(low)s–%(high)s 元") % {
                "low": _yuan(Decimal(low)),
                "high": _yuan(Decimal(high)),
            }
        lines.append(line + gettext(", 计入 %(amount)s 元") % {"amount": _yuan(Decimal(item["amount"]))})
    if result.get("overlap"):
        lines.append(str(result["overlap"]))
    amount = _yuan(Decimal(str(result.get("amount", "0"))))
    citation = result.get("citation")
    label = citation.get("label", "") if isinstance(citation, Mapping) else str(citation or "")
    lines.append(gettext("合计计算上限 %(amount)s 元") % {"amount": amount} + (f"({label})" if label else ""))
    return lines


def _yuan(value: Decimal) -> str:
    return money.format_yuan(value, unit=False)
