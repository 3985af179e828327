"""Reads for the calculator pages: event vocabulary for the form, worked and demo examples to prefill it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext

from jinchuang.accounts import choices
from jinchuang.accounts.models import Organisation
from jinchuang.policy.catalog import DOCUMENT_IDS, Catalog, default_catalog, load_cases
from jinchuang.policy.categories import CATEGORY_LABELS
from jinchuang.policy.citation import cite

# the event vocabulary as forms show it: published by the record (the backbone), re-exported here
from jinchuang.records.eventfields import FormField, event_fields, event_type_choices, event_type_label, fact_field_rows
from jinchuang.records.models import AWARD_FACT, FactState
from jinchuang.records.selectors import RecordCase

__all__ = ["FormField", "event_fields", "event_type_choices", "event_type_label"]


def org_kind_choices() -> list[tuple[str, str]]:
    """(code, label in the active language): the form submits the code, the user reads the label."""
    return [(code, str(label)) for code, label in choices.org_kind_choices()]


def valley_choices() -> list[tuple[str, str]]:
    """(code, label in the active language), e.g. ("晋城", "Jincheng") in English."""
    return [(code, str(label)) for code, label in choices.valley_choices()]


_EXAMPLES: dict[int, tuple[object, list[dict[str, Any]]]] = {}
EXAMPLES_PER_PAGE = 40


def worked_examples() -> list[dict[str, Any]]:
    """Every worked example of the catalog, keyed '<doc>:<n>', for prefilling the form. Read from the
    catalog's case files once per process and catalog (parsing the YAML took about half a second a page)."""
    catalog = default_catalog()
    cached = _EXAMPLES.get(id(catalog))
    if cached is not None and cached[0] is catalog:
        return cached[1]
    examples = _read_worked_examples(catalog)
    _EXAMPLES.clear()
    _EXAMPLES[id(catalog)] = (catalog, examples)
    return examples


def _read_worked_examples(catalog: Catalog) -> list[dict[str, Any]]:
    out = []
    present = {d.id for d in catalog.documents}
    titles = {m.id: (d.valley.value, cite(d.wenhao, m.clause), m.title) for d, m in catalog.measures()}
    for doc_id in DOCUMENT_IDS:
        if doc_id not in present:
            continue
        for n, case in enumerate(load_cases(doc_id)):
            measure_id = str(case.get("measure", ""))
            valley, citation, title = titles.get(measure_id, ("", "", ""))
            out.append(
                {
                    "key": f"{doc_id}:{n}",
                    "name": case.get("name", ""),
                    "measure": measure_id,
                    "valley": valley,
                    "citation": citation,
                    "title": title,
                    "case": case.get("case", {}),
                }
            )
    return out


def worked_example(key: str) -> dict[str, Any] | None:
    for example in worked_examples():
        if example["key"] == key:
            return example
    return None


@dataclass(frozen=True)
class ExamplePage:
    examples: list[dict[str, Any]]
    number: int
    pages: int
    total: int
    measure_id: str

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None


def worked_example_page(*, page: int = 1, measure_id: str = "") -> ExamplePage:
    """One page of worked examples (all, or one measure's), loaded when the visitor asks for them."""
    examples = [e for e in worked_examples() if not measure_id or e["measure"] == measure_id]
    pages = max(1, -(-len(examples) // EXAMPLES_PER_PAGE))
    number = min(max(page, 1), pages)
    start = (number - 1) * EXAMPLES_PER_PAGE
    return ExamplePage(
        examples=examples[start : start + EXAMPLES_PER_PAGE],
        number=number,
        pages=pages,
        total=len(examples),
        measure_id=measure_id,
    )


def prior_grant_matter_choices() -> list[tuple[str, str]]:
    """The matters a prior grant can be of (就高不重复 groups), in words: the comparison category's name
    where the group is one, else the titles of the measures of the group."""
    groups: dict[str, list[str]] = {}
    for _doc, measure in default_catalog().measures():
        if measure.overlap_group:
            titles = groups.setdefault(measure.overlap_group, [])
            if measure.title not in titles:
                titles.append(measure.title)
    out = []
    for group, titles in groups.items():
        label = CATEGORY_LABELS.get(group)
        out.append((group, gettext(label) if label else gettext("、").join(titles[:2])))
    return sorted(out, key=lambda kv: kv[1])


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
