"""Running the calculator for the web page and the API: one engine behind every face."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy

from jinchuang.accounts.models import Organisation
from jinchuang.policy.case import Case, CaseError, FieldProblem, parse_case
from jinchuang.policy.catalog import default_catalog
from jinchuang.policy.evaluate import evaluate
from jinchuang.policy.person_paid import PersonClaim, person_claims
from jinchuang.policy.results import Result, Status
from jinchuang.policy.vocabulary import Valley, parse_valley
from jinchuang.records.selectors import RecordCase, case_from_facts, record_case


def _parsed(
    case_data: Any, valley: str | None, all_valleys: bool, field_prefix: str
) -> tuple[Case, list[Valley] | None]:
    catalog = default_catalog()
    try:
        case = parse_case(case_data, catalog)
    except CaseError as exc:
        raise CaseError([FieldProblem(field_prefix + p.field, p.message) for p in exc.problems]) from exc
    valleys: list[Valley] | None = None
    if all_valleys:
        valleys = list(Valley)
    elif valley:
        try:
            valleys = [parse_valley(valley)]
        except ValueError as exc:
            raise CaseError([FieldProblem("valley", str(exc))]) from exc
    return case, valleys


def calculation_run(
    *,
    case_data: Any,
    valley: str | None = None,
    all_valleys: bool = False,
    explain: bool = True,
    field_prefix: str = "",
) -> Result:
    """Validate ``case_data`` and evaluate it.  Raises CaseError naming every bad field."""
    case, valleys = _parsed(case_data, valley, all_valleys, field_prefix)
    return evaluate(case, default_catalog(), valleys, explain=explain)


@dataclass(frozen=True)
class Calculation:
    """The organisation's result and what the people behind its events may claim themselves (由个人申报)."""

    result: Result
    claims: list[PersonClaim]


def calculation_with_people(
    *,
    case_data: Any,
    valley: str | None = None,
    all_valleys: bool = False,
    explain: bool = True,
    field_prefix: str = "",
) -> Calculation:
    """As :func:`calculation_run`, plus the person-paid measures judged for each hired person (never added
    to the organisation's totals). Raises CaseError naming every bad field."""
    case, valleys = _parsed(case_data, valley, all_valleys, field_prefix)
    catalog = default_catalog()
    result = evaluate(case, catalog, valleys, explain=explain)
    chosen = [parse_valley(v) for v in result.valleys]
    return Calculation(result=result, claims=person_claims(case, catalog, chosen, explain=explain))


# --- the calculator from the organisation's record (what-if) -------------------------------------------------

ZERO = Decimal("0.00")
QUALIFYING = (Status.ELIGIBLE, Status.NEEDS_REVIEW)
MAX_HYPOTHETICALS = 50
TOO_MANY_HYPOTHETICALS = gettext_lazy("假设事件最多 %(n)s 个")
NOT_A_LIST = gettext_lazy("假设事件必须是一个列表")
_EVENT_PATH = re.compile(r"^events\[(\d+)\](.*)$")


@dataclass(frozen=True)
class MeasureDifference:
    """One measure as the record alone gives it and as the record with the hypothetical events gives it."""

    valley: str
    measure_id: str
    title: str
    citation: str
    kind: str
    record_status: Status
    record_amount: Decimal
    what_if_status: Status
    what_if_amount: Decimal
    prior_grant_deduction: Decimal  # 就高不重复: what a prior grant (a platform award) takes off

    @property
    def added(self) -> Decimal:
        return self.what_if_amount - self.record_amount


@dataclass
class RecordCalculation:
    """The record's case judged alone (``base``) and with the hypothetical events (``result``)."""

    record: RecordCase
    base: Result
    result: Result
    hypotheticals: int
    case_data: dict[str, Any] = field(default_factory=dict)  # the case judged: the record's and the hypotheticals
    differences: list[MeasureDifference] = field(default_factory=list)
    claims: list[PersonClaim] = field(default_factory=list)  # 由个人申报: what the hired people may claim

    def totals(self) -> list[dict[str, Any]]:
        return [
            {
                "valley": v,
                "record": self.base.total(v),
                "what_if": self.result.total(v),
                "added": self.result.total(v) - self.base.total(v),
                "record_review": self.base.review_ceiling(v),
                "what_if_review": self.result.review_ceiling(v),
            }
            for v in self.result.valleys
        ]


def _renamed(problems: list[FieldProblem], recorded: int, prefix: str) -> list[FieldProblem]:
    """Name a hypothetical event's problem by its own index (``extra_events[0].amount``), not by its
    place after the record's events in the case."""
    out = []
    for p in problems:
        match = _EVENT_PATH.match(p.field)
        if match and int(match.group(1)) >= recorded:
            out.append(FieldProblem(f"{prefix}[{int(match.group(1)) - recorded}]{match.group(2)}", p.message))
        else:
            out.append(p)
    return out


def _differences(base: Result, result: Result) -> list[MeasureDifference]:
    before = {(m.valley, m.measure_id): m for m in base.measures}
    out = []
    for m in result.measures:
        old = before.get((m.valley, m.measure_id))
        if old is None or (m.status not in QUALIFYING and old.status not in QUALIFYING):
            continue
        out.append(
            MeasureDifference(
                valley=m.valley,
                measure_id=m.measure_id,
                title=m.title,
                citation=m.citation,
                kind=m.kind,
                record_status=old.status,
                record_amount=old.amount if old.status in QUALIFYING else ZERO,
                what_if_status=m.status,
                what_if_amount=m.amount if m.status in QUALIFYING else ZERO,
                prior_grant_deduction=m.prior_grant_deduction,
            )
        )
    return out


def calculation_from_record(
    *,
    organisation: Organisation,
    extra_events: Any = (),
    as_of: dt.date | None = None,
    valley: str | None = None,
    all_valleys: bool = False,
    explain: bool = True,
    field_prefix: str = "extra_events",
) -> RecordCalculation:
    """What the organisation's record gives on ``as_of`` (today by default) — identity and live facts from
    the record, platform awards as prior grants (就高不重复) — and what ``extra_events`` (hypothetical, never
    saved) add. Raises CaseError naming ``<field_prefix>[i].<field>`` for a bad hypothetical event."""
    if not isinstance(extra_events, list | tuple):
        raise CaseError([FieldProblem(field_prefix, str(NOT_A_LIST))])
    if len(extra_events) > MAX_HYPOTHETICALS:
        raise CaseError([FieldProblem(field_prefix, TOO_MANY_HYPOTHETICALS % {"n": MAX_HYPOTHETICALS})])
    day = as_of or timezone.localdate()
    base_record = record_case(organisation, as_of=day)
    recorded = len(base_record.event_facts)
    with_extra = (
        case_from_facts(organisation, base_record.facts, as_of=day, extra_events=list(extra_events))
        if extra_events
        else base_record
    )
    try:
        calculation = calculation_with_people(
            case_data=with_extra.case_data, valley=valley, all_valleys=all_valleys, explain=explain
        )
    except CaseError as exc:
        raise CaseError(_renamed(exc.problems, recorded, field_prefix)) from exc
    result = calculation.result
    base = result
    if extra_events:
        base = calculation_run(case_data=base_record.case_data, valley=valley, all_valleys=all_valleys, explain=False)
    return RecordCalculation(
        record=base_record,
        base=base,
        result=result,
        hypotheticals=len(extra_events),
        case_data=with_extra.case_data,
        differences=_differences(base, result),
        claims=calculation.claims,
    )
