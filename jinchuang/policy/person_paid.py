"""Measures the person claims (由个人申报): what the people an organisation hires may receive themselves.

Some clauses pay the person, not the organisation (大同 第十七条 购房/租房补贴 and 第十八条 生活/学费补贴
go to the hired 博士、硕士、本科生: ``beneficiaries: [person]`` in the catalog). Judged for the organisation
they are not applicable (申请主体类型不符), so a calculation for an enterprise that hires a PhD would say
nothing about up to 200,000 yuan the PhD may claim. This module judges them for the person behind each
event instead: one case per event (one event is one person, e.g. ``person_hired``: 每人一条), the
applicant the person (``OrgKind.PERSON``) in the organisation's valley and 入驻日期, no prior grants
(those are the organisation's). 就高不重复 applies between the person's own measures of one document.

The amounts are the engine's own (:func:`jinchuang.policy.evaluate.evaluate_measure`); they are never
added to the organisation's total.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from jinchuang.policy.case import Case, Event
from jinchuang.policy.catalog import Catalog
from jinchuang.policy.evaluate import _resolve_overlaps, evaluate_measure
from jinchuang.policy.results import MeasureResult, Status
from jinchuang.policy.schema import Document, Measure, MeasureKind
from jinchuang.policy.vocabulary import OrgKind, Valley

ZERO = Decimal("0.00")
CLAIMABLE = (Status.ELIGIBLE, Status.NEEDS_REVIEW)


@dataclass(frozen=True)
class PersonClaim:
    """What the person behind one event of the case may claim under one measure."""

    event_index: int  # the event's place in the case (the person)
    event_type: str
    result: MeasureResult  # judged for the person; status eligible or needs review

    @property
    def valley(self) -> str:
        return self.result.valley

    @property
    def amount(self) -> Decimal:
        return self.result.amount


def person_measures(case: Case, documents: Iterable[Document]) -> list[tuple[Document, Measure]]:
    """Cash measures of ``documents`` that pay a person but not the case's applicant (its kind is not a
    beneficiary), and that read an event the case has."""
    if case.applicant.kind is OrgKind.PERSON:
        return []  # a person's own case: the engine already judges these measures for them
    types = {e.type for e in case.events}
    out = []
    for doc in documents:
        for measure in doc.measures:
            if measure.kind is not MeasureKind.CASH or measure.disabled:
                continue
            if OrgKind.PERSON not in measure.beneficiaries or case.applicant.kind in measure.beneficiaries:
                continue
            if types & {rule.event for rule in measure.rules}:
                out.append((doc, measure))
    return out


def person_claims(
    case: Case, catalog: Catalog, valleys: Iterable[Valley] | None = None, explain: bool = True
) -> list[PersonClaim]:
    """Every claim the people behind the case's events may make themselves, valley by valley (default: the
    applicant's valley, else all five), event by event, in catalog order; only eligible or review claims."""
    chosen = (
        list(valleys) if valleys is not None else ([case.applicant.valley] if case.applicant.valley else list(Valley))
    )
    claims: list[PersonClaim] = []
    for valley in chosen:
        measures = person_measures(case, catalog.for_valley(valley))
        if not measures:
            continue
        read = {rule.event for _doc, m in measures for rule in m.rules}
        for event in case.events:
            if event.type not in read:
                continue
            claims.extend(_claims_of(case, event, measures, catalog, explain))
    return claims


def _claims_of(
    case: Case, event: Event, measures: list[tuple[Document, Measure]], catalog: Catalog, explain: bool
) -> list[PersonClaim]:
    person = dataclasses.replace(
        case,
        applicant=dataclasses.replace(case.applicant, kind=OrgKind.PERSON, name="", certifications=()),
        events=(event,),
        prior_grants=(),
    )
    results = []
    by_id: dict[str, Measure] = {}
    for doc, measure in measures:
        if event.type not in {rule.event for rule in measure.rules}:
            continue
        by_id[measure.id] = measure
        results.append(evaluate_measure(person, doc, measure, catalog.vocabulary, explain))
    _resolve_overlaps(results, by_id)
    return [
        PersonClaim(event_index=event.index, event_type=event.type, result=r)
        for r in results
        if r.status in CLAIMABLE and r.amount > ZERO
    ]


def person_total(claims: Iterable[PersonClaim], valley: str, status: Status = Status.ELIGIBLE) -> Decimal:
    """The sum of the claims of one valley with the given status (eligible: fixed amounts; needs review: ceilings)."""
    return sum((c.amount for c in claims if c.valley == valley and c.result.status is status), ZERO)
