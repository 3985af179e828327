"""From the calculator's result to an application: the engine's maximum, range, schedule and citation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from jinchuang.accounts.choices import valley_label
from jinchuang.accounts.models import Organisation, User
from jinchuang.applications import errors
from jinchuang.applications.departments import qualified_department
from jinchuang.applications.errors import ApplicationError
from jinchuang.applications.models import Application
from jinchuang.calculator.services import calculation_run
from jinchuang.policy.case import event_digest, parse_case
from jinchuang.policy.catalog import default_catalog
from jinchuang.policy.money import yuan_to_fen as to_fen
from jinchuang.policy.plan import plan_for, proportions, split_fen, spread_reduction
from jinchuang.policy.results import MeasureResult, Status
from jinchuang.policy.schema import Document, Measure
from jinchuang.records.models import AWARD_FACT, Fact
from jinchuang.records.selectors import RecordCase, case_from_facts, live_facts, record_case
from jinchuang.records.services import facts_declare_from_case

PAYABLE = (Status.ELIGIBLE, Status.NEEDS_REVIEW)


def catalog_measure(measure_id: str) -> tuple[Document, Measure] | None:
    """The catalog entry an application is for (None when the catalog has no such measure)."""
    try:
        return default_catalog().measure(measure_id)
    except KeyError:
        return None


def case_on_record(organisation: Organisation, case_data: Any, *, as_of: dt.date) -> Any:
    """``case_data`` with the applicant's kind, valley and 入驻日期 taken from the organisation's
    record and the judging date ``as_of``, whatever was typed (an organisation without 入驻日期 on
    record has none in the case: conditions on the time in the valley then fail, saying so).
    Anything that is not a case object is returned as it is, for the case parser to refuse."""
    if not isinstance(case_data, dict):
        return case_data
    typed = case_data.get("applicant")
    applicant: dict[str, Any] = dict(typed) if isinstance(typed, dict) else {}
    applicant["kind"] = organisation.kind
    applicant["valley"] = organisation.valley
    applicant.pop("settled_on", None)
    if organisation.settled_on is not None:
        applicant["settled_on"] = organisation.settled_on.isoformat()
    return {**case_data, "applicant": applicant, "as_of": as_of.isoformat()}


def require_same_valley(organisation: Organisation, doc: Document, measure_id: str) -> None:
    """Refuse a measure of another valley's document than the organisation's (field ``measure_id``)."""
    if doc.valley.value != organisation.valley:
        params = {
            "measure": measure_id,
            "valley": valley_label(doc.valley.value),
            "organisation": valley_label(organisation.valley),
        }
        raise ApplicationError("measure_id", errors.OTHER_VALLEY, "other_valley", params)


@dataclass(frozen=True)
class Evaluation:
    """The engine's judgement of an application: the case as judged (identity and events from the
    record), the measure's result, its catalog entry and the record's facts the amount rests on."""

    case_data: dict[str, Any]
    result: MeasureResult
    doc: Document
    measure: Measure
    facts: tuple[Fact, ...] = ()


def relied_facts(record: RecordCase, result: MeasureResult) -> list[Fact]:
    """The facts behind the paying items of ``result`` and the platform awards netted against it."""
    chosen = sorted({i.event_index for i in result.items if i.chosen and i.amount > 0})
    facts = [record.event_facts[i] for i in chosen if i < len(record.event_facts)]
    if result.prior_grant_deduction > 0:
        facts.extend(record.grant_facts)
    return facts


def engine_evaluate(
    organisation: Organisation,
    measure_id: str,
    case_data: Any,
    *,
    as_of: dt.date | None = None,
    actor: User | None = None,
) -> Evaluation:
    """Judge the measure for the organisation as its record describes it (kind, valley, 入驻日期, facts)
    on ``as_of`` (the submission date: today in the platform's time zone by default), and refuse what
    cannot be paid.

    ``case_data`` is what the applicant typed: it is checked whole first (CaseError names every bad
    field); its events are saved to the record as declared facts (``actor`` declares them; one contract
    is one fact however it was typed); then the case judged is the record's — the live facts of the
    event types the measure reads, platform awards as prior grants — plus the prior grants from other
    policies the applicant declared.

    Raises ApplicationError (field ``measure_id``) for an unknown measure, a measure of another
    valley or a measure that pays nothing computed; (field ``case_data``) naming the failed
    conditions; or CaseError naming every bad field of the case (an event after ``as_of`` too).
    """
    found = catalog_measure(measure_id)
    if found is None:
        raise ApplicationError("measure_id", errors.NOT_A_MEASURE, "not_a_measure", {"measure": measure_id})
    doc, measure = found
    require_same_valley(organisation, doc, measure_id)
    day = as_of or timezone.localdate()
    typed = case_on_record(organisation, case_data, as_of=day)
    catalog = default_catalog()
    parse_case(typed, catalog)  # every bad field of what was typed, named, before anything is saved
    types = sorted(plan_for(doc, measure).event_types)
    grants = list(typed.get("prior_grants") or ())
    if typed.get("events"):
        # the events put forward, as facts of the record (declared now, or the ones it holds already)
        if actor is None:
            raise ApplicationError("case_data", errors.NOT_PERMITTED % {"transition": _("提交申报")}, "not_permitted")
        put_forward = list(
            dict.fromkeys(facts_declare_from_case(organisation=organisation, events=typed["events"], actor=actor))
        )
        awards = [f for f in live_facts(organisation) if f.event_type == AWARD_FACT]
        record = case_from_facts(
            organisation, [*put_forward, *awards], as_of=day, event_types=types, extra_grants=grants
        )
    else:  # nothing typed: every live fact of the record the measure reads
        record = record_case(organisation, as_of=day, event_types=types, extra_grants=grants)
    judged = record.case_data
    if typed.get("notes"):
        judged["notes"] = typed["notes"]
    result = calculation_run(case_data=judged, valley=doc.valley.value, explain=True).by_id(measure_id)
    if result.status is Status.NOT_ELIGIBLE:
        failed = "; ".join(f.text for f in result.failed) or "-"
        raise ApplicationError("case_data", errors.NOT_ELIGIBLE, "not_eligible", {"failed": failed})
    if result.status not in PAYABLE:
        raise ApplicationError("measure_id", errors.NOT_CASH, "not_cash")
    if result.amount <= 0:
        raise ApplicationError("case_data", errors.NOTHING_TO_PAY, "nothing_to_pay", {"why": result.overlap or "-"})
    return Evaluation(judged, result, doc, measure, tuple(relied_facts(record, result)))


def _matters(case_data: dict[str, Any], result: MeasureResult, doc: Document, measure: Measure) -> list[dict[str, Any]]:
    """One entry per paying item: its rule, cap group, event year and digest, amount before and after
    netting prior grants (the plan's netting order), and the rule's exact instalment shares
    (``[[year_offset, "1/3"], ...]``), so that an approval is split exactly as the engine splits."""
    plan = plan_for(doc, measure)
    chosen = [i for i in result.items if i.chosen and i.amount > 0]
    catalog = default_catalog()
    events = {e.index: e for e in parse_case(case_data, catalog).events}  # parsed already: cannot fail
    kept = spread_reduction(
        chosen, lambda i: to_fen(i.amount), lambda i: (i.event_date, i.event_index), to_fen(result.amount)
    )
    rows: list[dict[str, Any]] = []
    for item, net_fen in kept:
        event = events[item.event_index]
        rule = plan.rule(item.rule_id)
        rows.append(
            {
                "rule": item.rule_id,
                "cap_group": rule.cap_key,
                "event_year": item.event_date.year,
                "event_key": event_digest(event, catalog.vocabulary),
                "gross_fen": to_fen(item.amount),
                "net_fen": net_fen,
                "shares": [[offset, str(share)] for offset, share in rule.schedule],
            }
        )
    return rows


def matter_parts(matters: list[dict[str, Any]], amount_fen: int) -> list[int]:
    """An approved amount split over the application's paying items in proportion to their net
    amounts, exactly (each part rounded half up to the fen, the last takes the remainder)."""
    return split_fen(amount_fen, proportions([int(m["net_fen"]) for m in matters]))


def matter_shares(matter: dict[str, Any], doc: Document | None, measure: Measure | None) -> list[tuple[int, Fraction]]:
    """The item's instalment shares as stored at submission; for items stored before shares were
    kept, the plan's shares of its rule (or one payment)."""
    if "shares" in matter:
        return [(int(offset), Fraction(share)) for offset, share in matter["shares"]]
    if doc is not None and measure is not None and matter.get("rule"):
        plan = plan_for(doc, measure)
        if matter["rule"] in plan.by_rule_id:
            return list(plan.rule(matter["rule"]).schedule)
    return [(0, Fraction(1))]


def fill_from_engine(application: Application, evaluation: Evaluation) -> None:
    """Copy the case as judged, the catalog snapshot and the engine's answer onto ``application``
    (not saved)."""
    case_data, result, doc, measure = evaluation.case_data, evaluation.result, evaluation.doc, evaluation.measure
    application.case_data = case_data
    application.document_id = doc.id
    application.valley = doc.valley.value
    application.title = measure.title
    application.citation = result.citation
    application.clause_text = measure.text
    lead = measure.lead_departments[0] if measure.lead_departments else ""
    application.lead_department = qualified_department(doc.valley.value, lead)
    application.expert_review_required = measure.expert_review
    application.result = result.as_dict()
    application.engine_max_fen = to_fen(result.amount)
    if result.review_range is not None:
        application.review_min_fen = to_fen(result.review_range[0])
        application.review_max_fen = to_fen(result.review_range[1])
    else:
        application.review_min_fen = application.review_max_fen = None
    application.schedule = [{"year": s.year, "amount_fen": to_fen(s.amount)} for s in result.schedule]
    application.matters = _matters(case_data, result, doc, measure)
    application.catalog_digest = default_catalog().digest
