"""What an organisation's record entitles it to: the engine run on the record's case twice — with every
live fact, and with the verified facts only — so that a page can say which support rests on facts
still 待核验, and which measures are nearly reached and what is missing (in Chinese, never an
expression or an id).

Only the organisation's own valley is judged; identity (kind, valley, 入驻日期) comes from the record.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jinchuang.accounts.models import Organisation
from jinchuang.policy.case import CaseError, parse_case
from jinchuang.policy.catalog import default_catalog
from jinchuang.policy.evaluate import evaluate
from jinchuang.policy.results import MeasureResult, Result, Status
from jinchuang.policy.vocabulary import Valley, parse_valley
from jinchuang.records.models import Fact, FactState
from jinchuang.records.selectors import RecordCase, case_from_facts, live_facts

ZERO = Decimal("0.00")
QUALIFYING = (Status.ELIGIBLE, Status.NEEDS_REVIEW)
SERVICES = (Status.IN_KIND, Status.SERVICE)
MAX_MISSES = 5

STATUS_LABELS: dict[Status, Any] = {
    Status.ELIGIBLE: _("符合条件"),
    Status.NEEDS_REVIEW: _("需评审(法定区间)"),
    Status.IN_KIND: _("场地/实物支持"),
    Status.SERVICE: _("平台服务"),
    Status.NOT_ELIGIBLE: _("不符合条件"),
}
RECORD_UNREADABLE = _("档案中的信息暂不足以计算可享受的政策: %(why)s")


@dataclass(frozen=True)
class Missing:
    """One failed condition of a measure, as the engine words it (Chinese) with its hint."""

    text: str
    hint: str


@dataclass
class Qualified:
    measure_id: str
    title: str
    citation: str
    status: Status
    status_label: str
    amount: Decimal | None  # yuan; None for a review range
    review_range: tuple[Decimal, Decimal] | None  # the legal range in yuan (经评审)
    facts: list[Fact] = field(default_factory=list)  # the facts it rests on
    depends_on_unverified: bool = False  # qualifies with every live fact, not with the verified ones
    verified_amount: Decimal = ZERO  # what the verified facts alone give
    overlap: str = ""  # 就高不重复

    @property
    def unverified_facts(self) -> list[Fact]:
        return [f for f in self.facts if f.state != FactState.VERIFIED]


@dataclass
class Miss:
    measure_id: str
    title: str
    citation: str
    missing: list[Missing]
    reads_own_facts: bool  # a rule reads an event type the record holds


@dataclass
class Service:
    measure_id: str
    title: str
    citation: str
    status_label: str


@dataclass
class Entitlements:
    as_of: dt.date
    valley: str
    qualified: list[Qualified] = field(default_factory=list)
    nearest_misses: list[Miss] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    problem: str = ""  # the record cannot be judged (e.g. its identity is incomplete)

    @property
    def total(self) -> Decimal:
        """Fixed amounts the organisation qualifies for (yuan)."""
        return sum((q.amount for q in self.qualified if q.amount is not None), ZERO)

    @property
    def review_ceiling(self) -> Decimal:
        """The sum of the legal ranges' upper ends (yuan)."""
        return sum((q.review_range[1] for q in self.qualified if q.review_range is not None), ZERO)

    @property
    def verified_total(self) -> Decimal:
        return sum((q.verified_amount for q in self.qualified if q.amount is not None), ZERO)

    @property
    def unverified_total(self) -> Decimal:
        return self.total - self.verified_total


def _run(record: RecordCase, valleys: list[Valley], *, cash_only: bool = False) -> Result:
    catalog = default_catalog()
    return evaluate(parse_case(record.case_data, catalog), catalog, valleys, explain=False, cash_only=cash_only)


def _facts_of(result: MeasureResult, record: RecordCase) -> list[Fact]:
    seen: dict[int, Fact] = {}
    for item in result.items:
        if item.chosen and 0 <= item.event_index < len(record.event_facts):
            fact = record.event_facts[item.event_index]
            seen.setdefault(fact.pk, fact)
    return list(seen.values())


def _qualified(result: MeasureResult, record: RecordCase, verified: MeasureResult | None) -> Qualified:
    review = result.status is Status.NEEDS_REVIEW and result.review_range is not None
    verified_ok = verified is not None and verified.status in QUALIFYING
    return Qualified(
        measure_id=result.measure_id,
        title=result.title,
        citation=result.citation,
        status=result.status,
        status_label=str(STATUS_LABELS[result.status]),
        amount=None if review else result.amount,
        review_range=result.review_range if review else None,
        facts=_facts_of(result, record),
        depends_on_unverified=not verified_ok,
        verified_amount=verified.amount if verified is not None and verified_ok else ZERO,
        overlap=result.overlap or "",
    )


def _misses(result: Result, own_types: set[str]) -> list[Miss]:
    catalog = default_catalog()
    candidates: list[tuple[tuple[int, int, str], Miss]] = []
    for m in result.measures:
        if m.status is not Status.NOT_ELIGIBLE or not m.applicable or not m.failed:
            continue
        if any(f.expr == "disabled" for f in m.failed):
            continue
        _doc, measure = catalog.measure(m.measure_id)
        reads = bool({r.event for r in measure.rules} & own_types)
        miss = Miss(
            measure_id=m.measure_id,
            title=m.title,
            citation=m.citation,
            missing=[Missing(f.text, f.hint or "") for f in m.failed],
            reads_own_facts=reads,
        )
        candidates.append(((0 if reads else 1, len(m.failed), m.measure_id), miss))
    candidates.sort(key=lambda c: c[0])
    return [miss for _key, miss in candidates[:MAX_MISSES]]


def entitlements_of(
    organisation: Organisation,
    *,
    as_of: dt.date | None = None,
    extra_events: Sequence[dict[str, Any]] = (),
    facts: Sequence[Fact] | None = None,
) -> Entitlements:
    """What the record entitles ``organisation`` to on ``as_of`` (today by default), in its own valley.
    ``extra_events``: hypothetical events (what-if) added to the record's. ``facts``: the organisation's
    facts when the caller has them already (only the live ones are read)."""
    day = as_of or timezone.localdate()
    facts = [f for f in (live_facts(organisation) if facts is None else facts) if f.is_live]
    key = None if extra_events else _state_key(organisation, day, facts)
    if key is not None:
        with _CACHE_LOCK:
            cached = _CACHE.get(key)
            if cached is not None:
                _CACHE.move_to_end(key)
                return cached
    out = _entitlements(organisation, day, facts, extra_events)
    if key is not None and not out.problem:
        with _CACHE_LOCK:
            _CACHE[key] = out
            while len(_CACHE) > CACHE_SIZE:
                _CACHE.popitem(last=False)
    return out


#: entitlements are a pure function of the organisation's identity, its live facts (and their states),
#: the catalog and the day: the last CACHE_SIZE answers are kept in the process (record pages are read
#: far more often than facts change; any change of a fact's state changes the key)
CACHE_SIZE = 256
_CACHE: OrderedDict[tuple[Any, ...], Entitlements] = OrderedDict()
_CACHE_LOCK = threading.Lock()


def _state_key(organisation: Organisation, day: dt.date, facts: Sequence[Fact]) -> tuple[Any, ...]:
    return (
        organisation.pk,
        organisation.kind,
        organisation.valley,
        organisation.settled_on,
        day,
        default_catalog().digest,
        get_language(),  # the labels are translated when the answer is built
        tuple((f.pk, f.state, f.digest) for f in facts),
    )


def _entitlements(
    organisation: Organisation, day: dt.date, facts: list[Fact], extra_events: Sequence[dict[str, Any]]
) -> Entitlements:
    out = Entitlements(as_of=day, valley=organisation.valley)
    try:
        valleys = [parse_valley(organisation.valley)]
    except ValueError as exc:
        out.problem = str(RECORD_UNREADABLE % {"why": exc})
        return out
    everything = case_from_facts(organisation, facts, as_of=day, extra_events=extra_events)
    try:
        result = _run(everything, valleys)
        if extra_events or any(f.state != FactState.VERIFIED for f in facts):
            # what the verified facts alone give (cash measures: the only ones with amounts)
            verified_only = case_from_facts(
                organisation, facts, as_of=day, verified_only=True, extra_events=extra_events
            )
            verified = {m.measure_id: m for m in _run(verified_only, valleys, cash_only=True).measures}
        else:  # every fact is verified: the same answer
            verified = {m.measure_id: m for m in result.measures}
    except CaseError as exc:
        out.problem = str(RECORD_UNREADABLE % {"why": "; ".join(p.message for p in exc.problems)})
        return out
    for m in result.measures:
        if m.status in QUALIFYING:
            out.qualified.append(_qualified(m, everything, verified.get(m.measure_id)))
        elif m.status in SERVICES and m.applicable:
            out.services.append(Service(m.measure_id, m.title, m.citation, str(STATUS_LABELS[m.status])))
    own_types = {f.event_type for f in facts} | {str(e.get("type")) for e in extra_events}
    out.nearest_misses = _misses(result, own_types)
    return out
