"""Reads for the calculator pages: event vocabulary for the form, worked and demo examples to prefill it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jinchuang.accounts import choices
from jinchuang.accounts.models import Organisation
from jinchuang.policy.catalog import DOCUMENT_IDS, default_catalog, load_cases

# the event vocabulary as forms show it: published by the record (the backbone), re-exported here
from jinchuang.records.eventfields import FormField, event_fields, event_type_choices, event_type_label, fact_field_rows
from jinchuang.records.models import AWARD_FACT, FactState
from jinchuang.records.selectors import RecordCase

__all__ = ["FormField", "event_fields", "event_type_choices"]


def org_kind_choices() -> list[tuple[str, str]]:
    """(code, label in the active language): the form submits the code, the user reads the label."""
    return [(code, str(label)) for code, label in choices.org_kind_choices()]


def valley_choices() -> list[tuple[str, str]]:
    """(code, label in the active language), e.g. ("晋城", "Jincheng") in English."""
    return [(code, str(label)) for code, label in choices.valley_choices()]


def worked_examples() -> list[dict[str, Any]]:
    """Every worked example of the catalog, keyed '<doc>:<n>', for prefilling the form."""
    out = []
    present = {d.id for d in default_catalog().documents}
    for doc_id in DOCUMENT_IDS:
        if doc_id not in present:
            continue
        for n, case in enumerate(load_cases(doc_id)):
            out.append(
                {
                    "key": f"{doc_id}:{n}",
                    "name": case.get("name", ""),
                    "measure": case.get("measure", ""),
                    "case": case.get("case", {}),
                }
            )
    return out


def worked_example(key: str) -> dict[str, Any] | None:
    for example in worked_examples():
        if example["key"] == key:
            return example
    return None


DEMO_CASES_DIR = Path(__file__).resolve().parents[2] / "docs" / "examples"


def demo_cases() -> list[dict[str, Any]]:
    """The documented example cases (docs/examples/*.json), keyed 'demo:<file stem>'."""
    out = []
    for path in sorted(DEMO_CASES_DIR.glob("*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        applicant = case.get("applicant") or {}
        out.append({"key": f"demo:{path.stem}", "name": applicant.get("name") or path.stem, "case": case})
    return out


def demo_case(key: str) -> dict[str, Any] | None:
    for demo in demo_cases():
        if demo["key"] == key:
            return demo
    return None


def record_identity(organisation: Organisation) -> dict[str, Any]:
    """The applicant as the record holds it, for display (labels, never codes)."""
    kinds = dict(org_kind_choices())
    valleys = dict(valley_choices())
    return {
        "name": organisation.name,
        "kind_label": kinds.get(organisation.kind, ""),
        "valley_label": valleys.get(organisation.valley, ""),
        "settled_on": organisation.settled_on,
    }


def record_fact_rows(record: RecordCase, *, main_fields: int = 3) -> list[dict[str, Any]]:
    """The facts a calculation from the record rests on (档案中的事实): type label, date, the main field
    values (label, text) and the verification state's label; platform awards are marked as such."""
    rows = []
    for fact in record.facts:
        rows.append(
            {
                "label": event_type_label(fact.event_type),
                "date": fact.date,
                "fields": fact_field_rows(fact.event_type, fact.fields)[:main_fields],
                "verified": fact.state == FactState.VERIFIED,
                "state_label": str(FactState(fact.state).label),
                "award": fact.event_type == AWARD_FACT,
            }
        )
    return rows
