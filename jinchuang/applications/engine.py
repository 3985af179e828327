"""From the calculator's result to an application: the engine's maximum, range, schedule and citation."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

from jinchuang.accounts.models import Organisation
from jinchuang.applications import errors
from jinchuang.applications.departments import qualified_department
from jinchuang.applications.errors import ApplicationError
from jinchuang.applications.models import Application
from jinchuang.applications.quotas import to_fen
from jinchuang.calculator.services import calculation_run
from jinchuang.policy.catalog import default_catalog
from jinchuang.policy.results import MeasureResult, Status
from jinchuang.policy.schema import Document, Measure

PAYABLE = (Status.ELIGIBLE, Status.NEEDS_REVIEW)


def catalog_measure(measure_id: str) -> tuple[Document, Measure] | None:
    """The catalog entry an application is for (None when the catalog has no such measure)."""
    try:
        return default_catalog().measure(measure_id)
    except KeyError:
        return None


def engine_evaluate(
    organisation: Organisation, measure_id: str, case_data: Any
) -> tuple[MeasureResult, Document, Measure]:
    """Run the calculator on ``case_data`` for the measure's valley and refuse what cannot be paid.

    Raises ApplicationError (field ``case_data``) naming the failed conditions, or CaseError naming
    every bad field of the case.
    """
    found = catalog_measure(measure_id)
    if found is None:
        raise ApplicationError("measure_id", errors.NOT_A_MEASURE, "not_a_measure", {"measure": measure_id})
    doc, measure = found
    applicant = case_data.get("applicant") if isinstance(case_data, dict) else None
    kind = applicant.get("kind") if isinstance(applicant, dict) else None
    if kind is not None and kind != organisation.kind:
        params = {"case": kind, "organisation": organisation.get_kind_display()}
        raise ApplicationError("case_data", errors.WRONG_APPLICANT_KIND, "wrong_applicant_kind", params)
    result = calculation_run(case_data=case_data, valley=doc.valley.value, explain=True).by_id(measure_id)
    if result.status is Status.NOT_ELIGIBLE:
        failed = "; ".join(f.text for f in result.failed) or "-"
        raise ApplicationError("case_data", errors.NOT_ELIGIBLE, "not_eligible", {"failed": failed})
    if result.status not in PAYABLE:
        raise ApplicationError("measure_id", errors.NOT_CASH, "not_cash")
    if result.amount <= 0:
        raise ApplicationError("case_data", errors.NOTHING_TO_PAY, "nothing_to_pay", {"why": result.overlap or "-"})
    return result, doc, measure


def event_digest(event: Any) -> str:
    """A stable name for one event of a case: the same contract gives the same digest."""
    canonical = json.dumps(event, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:24]


def _matters(case_data: dict[str, Any], result: MeasureResult) -> list[dict[str, Any]]:
    """One entry per paying item: its rule, event year and digest, amount before and after netting
    prior grants (netting spread latest item first, as the engine spreads it over instalments)."""
    chosen = [i for i in result.items if i.chosen and i.amount > 0]
    events = case_data.get("events") or []
    excess = sum((i.amount for i in chosen), Decimal("0")) - result.amount
    rows: list[dict[str, Any]] = []
    for item in sorted(chosen, key=lambda i: (i.event_date, i.event_index), reverse=True):
        cut = min(excess, item.amount)
        excess -= cut
        event = events[item.event_index] if 0 <= item.event_index < len(events) else {"index": item.event_index}
        rows.append(
            {
                "rule": item.rule_id,
                "event_year": item.event_date.year,
                "event_key": event_digest(event),
                "gross_fen": to_fen(item.amount),
                "net_fen": to_fen(item.amount - cut),
            }
        )
    rows.reverse()
    return rows


def fill_from_engine(
    application: Application, case_data: dict[str, Any], result: MeasureResult, doc: Document, measure: Measure
) -> None:
    """Copy the catalog snapshot and the engine's answer onto ``application`` (not saved)."""
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
    application.matters = _matters(case_data, result)
