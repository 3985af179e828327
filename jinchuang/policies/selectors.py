"""What the policy library pages and API read: measures, one measure's reading, worked examples, comparisons."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import yaml
from django.utils.translation import gettext as _

from jinchuang.policies.filters import LibraryFilters, parse_filters
from jinchuang.policies.guide import Guide, build_guide, guide_template_xlsx
from jinchuang.policies.labels import category_label
from jinchuang.policies.reading import Ceiling, MeasureReading, RuleReading, citation, measure_reading
from jinchuang.policy import plain
from jinchuang.policy.case import CaseError, parse_case
from jinchuang.policy.catalog import (
    CATALOG_DIR,
    DOCUMENT_IDS,
    Catalog,
    CatalogError,
    build_catalog,
    default_catalog,
    load_cases,
    load_document,
    load_vocabulary_file,
)
from jinchuang.policy.evaluate import evaluate, measure_window
from jinchuang.policy.money import MoneyError, format_yuan, parse_yuan
from jinchuang.policy.results import STATUS_LABELS, MeasureResult, plain_explanation
from jinchuang.policy.schema import MEASURE_KIND_LABELS, Document, Interpretation, Measure
from jinchuang.policy.vocabulary import ORG_KIND_LABELS, Valley

logger = logging.getLogger(__name__)

DEFAULT_COMPARE_CATEGORY = "tech_transaction"


@dataclass(frozen=True)
class LoadedCatalog:
    catalog: Catalog
    problems: list[str]  # catalog files that could not be loaded (shown as a notice, never hidden)


def library_catalog() -> LoadedCatalog:
    """The shipped catalog; when a file does not validate, the files that do, with the problem named."""
    try:
        return LoadedCatalog(default_catalog(), [])
    except (CatalogError, yaml.YAMLError, OSError) as exc:
        logger.warning("catalog does not load as a whole: %s", exc)
    vocabulary = load_vocabulary_file()
    good: list[Document] = []
    problems: list[str] = []
    for doc_id in DOCUMENT_IDS:
        if not (CATALOG_DIR / f"{doc_id}.yaml").exists():
            continue
        try:
            document = load_document(doc_id)
            build_catalog([*good, document], vocabulary)
        except (CatalogError, yaml.YAMLError) as exc:
            problems.append(f"{doc_id}.yaml: {exc}")
            continue
        good.append(document)
    return LoadedCatalog(build_catalog(good, vocabulary), problems)


# --- the library list ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureRow:
    id: str
    document_id: str
    valley: str
    wenhao: str
    clause: str
    citation: str
    title: str
    section: str
    kind: str
    kind_label: str
    category: str
    category_label: str
    beneficiaries: list[str]
    beneficiary_labels: list[str]
    lead_departments: list[str]
    cooperating_departments: list[str]
    expert_review: bool
    annual_assessment: bool
    headline: str
    ceiling: Ceiling | None
    summary: str = ""  # the plain sentence of the measure (jinchuang.policy.plain): what pages show
    notes: tuple[str, ...] = ()

    @property
    def ceiling_text(self) -> str:
        """'最高 100 万元', or '需评审, 最高 20 万元' when the top is the ceiling of a review range."""
        if self.ceiling is None:
            return ""
        amount = plain.money_text(self.ceiling.amount)
        if self.ceiling.reviewed:
            return _("需评审, 最高 %(amount)s") % {"amount": amount}
        return _("最高 %(amount)s") % {"amount": amount}


@dataclass(frozen=True)
class FilterOptions:
    valleys: list[str]
    categories: list[tuple[str, str]]
    beneficiaries: list[tuple[str, str]]
    departments: list[str]
    kinds: list[tuple[str, str]]


def _row(catalog: Catalog, document: Document, measure: Measure) -> MeasureRow:
    reading = measure_reading(document, measure, catalog.vocabulary)
    text = plain.measure(document, measure, catalog.vocabulary, translate=_)
    return MeasureRow(
        id=measure.id,
        document_id=document.id,
        valley=document.valley.value,
        wenhao=document.wenhao,
        clause=measure.clause,
        citation=citation(document, measure),
        title=measure.title,
        section=measure.section,
        kind=measure.kind.value,
        kind_label=MEASURE_KIND_LABELS[measure.kind],
        category=measure.category,
        category_label=str(category_label(measure.category)),
        beneficiaries=[b.value for b in measure.beneficiaries],
        beneficiary_labels=[ORG_KIND_LABELS[b] for b in measure.beneficiaries],
        lead_departments=list(measure.lead_departments),
        cooperating_departments=list(measure.cooperating_departments),
        expert_review=measure.expert_review,
        annual_assessment=measure.annual_assessment,
        headline=reading.headline,
        ceiling=reading.ceiling,
        summary=text.summary,
        notes=tuple(text.notes),
    )


def filter_options(*, catalog: Catalog) -> FilterOptions:
    measures = [m for _d, m in catalog.measures()]
    categories = sorted({m.category for m in measures})
    departments = sorted({d for m in measures for d in [*m.lead_departments, *m.cooperating_departments]})
    return FilterOptions(
        valleys=[v.value for v in Valley],
        categories=[(c, str(category_label(c))) for c in categories],
        beneficiaries=[(k.value, label) for k, label in ORG_KIND_LABELS.items()],
        departments=departments,
        kinds=[(k.value, label) for k, label in MEASURE_KIND_LABELS.items()],
    )


def library_filters_parse(*, catalog: Catalog, params: Mapping[str, str | None]) -> LibraryFilters:
    options = filter_options(catalog=catalog)
    return parse_filters(params, categories=[c for c, _l in options.categories], departments=options.departments)


def _matches(document: Document, measure: Measure, filters: LibraryFilters) -> bool:
    if filters.valley is not None and document.valley is not filters.valley:
        return False
    if filters.category is not None and measure.category != filters.category:
        return False
    if filters.beneficiary is not None and filters.beneficiary not in measure.beneficiaries:
        return False
    if filters.department is not None and filters.department not in [
        *measure.lead_departments,
        *measure.cooperating_departments,
    ]:
        return False
    if filters.kind is not None and measure.kind is not filters.kind:
        return False
    if filters.q:
        haystack = " ".join([measure.title, measure.text, measure.clause, measure.section]).lower()
        if not all(term in haystack for term in filters.q.lower().split()):
            return False
    return True


def measure_list(*, catalog: Catalog, filters: LibraryFilters) -> list[MeasureRow]:
    return [_row(catalog, d, m) for d, m in catalog.measures() if _matches(d, m, filters)]


# --- one measure ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConditionView:
    text: str  # the clause's requirement
    sentence: str  # generated from the condition (plain)
    hint: str


@dataclass(frozen=True)
class InterpretationView:
    id: str  # the anchor on the page (never shown)
    topic: str
    reading: str
    alternative: str
    why: str


@dataclass(frozen=True)
class RuleView:
    """One rule as the measure page shows it: the structured reading beside its plain sentences."""

    reading: RuleReading
    text: plain.RuleText
    conditions: list[ConditionView]
    interpretations: list[InterpretationView]
    shares_caps: bool  # the rule shares the caps of another rule of the measure (a cap group)


@dataclass(frozen=True)
class MeasureDetail:
    row: MeasureRow
    document: Document
    measure: Measure
    valid_from: dt.date
    valid_to: dt.date
    reading: MeasureReading
    text: plain.MeasureText
    rules: list[RuleView]
    interpretations: list[InterpretationView]


def _interpretation_view(interp: Interpretation, catalog: Catalog) -> InterpretationView:
    words = catalog.vocabulary
    return InterpretationView(
        id=interp.id,
        topic=plain.prose(interp.topic, words),
        reading=plain.prose(interp.reading, words),
        alternative=plain.prose(interp.alternative, words),
        why=plain.prose(interp.why, words),
    )


def measure_detail(*, catalog: Catalog, measure_id: str) -> MeasureDetail | None:
    try:
        document, measure = catalog.measure(measure_id)
    except KeyError:
        return None
    valid_from, valid_to = measure_window(document, measure)
    reading = measure_reading(document, measure, catalog.vocabulary)
    text = plain.measure(document, measure, catalog.vocabulary, translate=_)
    interpretations = {i.id: _interpretation_view(i, catalog) for i in measure.interpretations}
    rules = [
        RuleView(
            reading=rule_reading,
            text=rule_text,
            conditions=[
                ConditionView(
                    text=plain.prose(c.text, catalog.vocabulary),
                    sentence=sentence,
                    hint=plain.prose(c.hint, catalog.vocabulary) if c.hint else "",
                )
                for c, sentence in zip(rule.conditions, rule_text.conditions, strict=True)
            ],
            interpretations=[interpretations[i] for i in rule.interpretations if i in interpretations],
            shares_caps=rule.cap_group is not None and sum(r.cap_group == rule.cap_group for r in measure.rules) > 1,
        )
        for rule, rule_reading, rule_text in zip(measure.rules, reading.rules, text.rules, strict=True)
    ]
    return MeasureDetail(
        row=_row(catalog, document, measure),
        document=document,
        measure=measure,
        valid_from=valid_from,
        valid_to=valid_to,
        reading=reading,
        text=text,
        rules=rules,
        interpretations=list(interpretations.values()),
    )


@dataclass(frozen=True)
class ExampleEvent:
    label: str
    date: str
    fields: list[tuple[str, str]]


@dataclass(frozen=True)
class WorkedExample:
    name: str
    applicant: list[tuple[str, str]]
    as_of: str
    events: list[ExampleEvent]
    prior_grants: list[str]
    result: MeasureResult | None
    status_label: str
    binding_cap: str
    expected_status: str | None
    expected_amount: Decimal | None
    agrees: bool | None
    problems: list[str]
    citation: str
    explanation: list[str] = field(default_factory=list)  # how the amount was reached, in sentences
    failed: list[tuple[str, str]] = field(default_factory=list)  # (requirement, hint) not met, in words


def _field_text(value: Any, ftype: str, options: Mapping[str, str] | None) -> str:
    if value is None:
        return "—"
    if ftype == "money":
        try:
            return format_yuan(parse_yuan(value if isinstance(value, (int, str, Decimal)) else str(value)))
        except MoneyError:
            return str(value)
    if ftype == "bool":
        return _("是") if value is True else _("否")
    text = str(value)
    if options and text in options:
        return options[text]
    return text


def _example_inputs(catalog: Catalog, raw_case: Mapping[str, Any]) -> tuple[list[tuple[str, str]], list[ExampleEvent]]:
    applicant_raw = raw_case.get("applicant") or {}
    applicant: list[tuple[str, str]] = []
    if isinstance(applicant_raw, Mapping):
        kind = str(applicant_raw.get("kind", ""))
        labels = {k.value: v for k, v in ORG_KIND_LABELS.items()}
        applicant.append((_("主体类型"), labels.get(kind, kind)))
        if applicant_raw.get("valley"):
            applicant.append((_("所在晋创谷"), str(applicant_raw["valley"])))
        if applicant_raw.get("settled_on"):
            applicant.append((_("入驻日期"), str(applicant_raw["settled_on"])))
        if applicant_raw.get("certifications"):
            certs = [plain.prose(str(c), catalog.vocabulary).strip("“”") for c in applicant_raw["certifications"]]
            applicant.append((_("资质"), _("、").join(certs)))
    events: list[ExampleEvent] = []
    for item in raw_case.get("events") or []:
        if not isinstance(item, Mapping):
            continue
        spec = catalog.vocabulary.get(str(item.get("type")))
        fields: list[tuple[str, str]] = []
        for key, value in item.items():
            if key in ("type", "date", "ref"):
                continue
            fspec = spec.fields.get(key) if spec else None
            if fspec is None:
                continue  # not a field of the event type: the engine ignores it, the page does too
            else:
                shown = _field_text(value, fspec.type, fspec.options)
                fields.append((fspec.label, plain.prose(shown, catalog.vocabulary).strip("“”")))
        events.append(
            ExampleEvent(label=spec.label if spec else str(item.get("type")), date=str(item.get("date")), fields=fields)
        )
    return applicant, events


def _example_name(name: str, document: Document, measure: Measure, catalog: Catalog) -> str:
    """A case's name as authors wrote it ('大同 dt-1 非资金措施 → service'), in words: the measure id as its
    clause, status codes as their labels, other identifiers through plain.prose."""
    words = name.replace(measure.id, citation(document, measure).split(" ")[-1])
    for status, label in STATUS_LABELS.items():
        words = re.sub(rf"(?<![A-Za-z0-9_]){re.escape(status.value)}(?![A-Za-z0-9_])", label, words)
    return plain.prose(words, catalog.vocabulary)


def worked_examples(*, catalog: Catalog, measure_id: str) -> list[WorkedExample]:
    """The cases written from the legal text for this measure, each computed live by the engine."""
    try:
        document, measure = catalog.measure(measure_id)
    except KeyError:
        return []
    examples: list[WorkedExample] = []
    labels = {name: spec.label for name, spec in catalog.vocabulary.items()}
    for spec in load_cases(document.id):
        if not isinstance(spec, Mapping) or spec.get("measure") != measure_id:
            continue
        raw_case = spec.get("case") or {}
        expect = spec.get("expect") or {}
        applicant, events = _example_inputs(catalog, raw_case if isinstance(raw_case, Mapping) else {})
        grants = [
            f"{g.get('policy', '')}: {plain.prose(str(g.get('matter', '')), catalog.vocabulary).strip('“”')}"
            f" {_field_text(g.get('amount'), 'money', None)}"
            f" ({g.get('date', '')})"
            for g in (raw_case.get("prior_grants") or [] if isinstance(raw_case, Mapping) else [])
            if isinstance(g, Mapping)
        ]
        result: MeasureResult | None = None
        problems: list[str] = []
        try:
            case = parse_case(raw_case, catalog)
            result = evaluate(case, catalog, valleys=[document.valley]).by_id(measure_id)
        except CaseError as exc:
            problems = [p.message for p in exc.problems]
        expected_amount = Decimal(str(expect["amount"])) if expect.get("amount") is not None else None
        expected_status = str(expect["status"]) if expect.get("status") else None
        agrees: bool | None = None
        if result is not None and (expected_amount is not None or expected_status is not None):
            agrees = (expected_status is None or result.status.value == expected_status) and (
                expected_amount is None or result.amount == expected_amount
            )
        cap = result.binding_cap if result is not None else None
        examples.append(
            WorkedExample(
                name=_example_name(str(spec.get("name", "")), document, measure, catalog),
                applicant=applicant,
                as_of=str(raw_case.get("as_of", "")) if isinstance(raw_case, Mapping) else "",
                events=events,
                prior_grants=grants,
                result=result,
                status_label=STATUS_LABELS[result.status] if result is not None else _("案例格式有误"),
                binding_cap=f"{cap.as_dict()['label']} {format_yuan(cap.limit)}" if cap is not None else "",
                expected_status=expected_status,
                expected_amount=expected_amount,
                agrees=agrees,
                problems=problems,
                citation=citation(document, measure),
                explanation=plain_explanation(result.as_dict(), labels) if result is not None else [],
                failed=[
                    (plain.prose(f.text, catalog.vocabulary), plain.prose(f.hint or "", catalog.vocabulary))
                    for f in (result.failed if result is not None else [])
                ],
            )
        )
    return examples


# --- comparison across the five valleys --------------------------------------------------------------


@dataclass(frozen=True)
class CompareColumn:
    valley: str
    rows: list[MeasureRow]
    ceiling: Ceiling | None
    ceiling_citation: str


@dataclass(frozen=True)
class Comparison:
    category: str
    category_label: str
    columns: list[CompareColumn]
    row_count: int

    def grid(self) -> list[list[MeasureRow | None]]:
        """Row i holds each valley's i-th measure of the category, or None ("—")."""
        return [[c.rows[i] if i < len(c.rows) else None for c in self.columns] for i in range(self.row_count)]

    def chart_data(self) -> dict[str, Any]:
        return {
            "title": _("%(category)s: 单项最高支持金额(元)") % {"category": self.category_label},
            "valleys": [c.valley for c in self.columns],
            "values": [str(c.ceiling.amount) if c.ceiling else None for c in self.columns],
            "citations": [c.ceiling_citation for c in self.columns],
            "reviewed": [bool(c.ceiling and c.ceiling.reviewed) for c in self.columns],
            "reviewed_word": _("需评审"),
            "yuan_word": _("元"),
            "wan_word": _("万"),
            "series_name": _("单项最高金额(元)"),
        }


def category_comparison(*, catalog: Catalog, category: str) -> Comparison:
    columns: list[CompareColumn] = []
    for valley in Valley:
        rows = [_row(catalog, d, m) for d, m in catalog.measures() if d.valley is valley and m.category == category]
        capped = [r for r in rows if r.ceiling is not None]
        top = max(capped, key=lambda r: r.ceiling.amount if r.ceiling else Decimal(0)) if capped else None
        columns.append(
            CompareColumn(
                valley=valley.value,
                rows=rows,
                ceiling=top.ceiling if top else None,
                ceiling_citation=top.citation if top else "",
            )
        )
    return Comparison(
        category=category,
        category_label=str(category_label(category)),
        columns=columns,
        row_count=max((len(c.rows) for c in columns), default=0),
    )


# --- 办事指南 ------------------------------------------------------------------------------------------


def guide_for(measure_id: str, *, catalog: Catalog | None = None) -> Guide | None:
    """The 办事指南 of a measure (docs/guide-format.md), or None for an unknown id.

    For ``{% include "policies/_guide.html" with guide=... %}`` on the measure page and the application form.
    """
    loaded = catalog or library_catalog().catalog
    try:
        document, measure = loaded.measure(measure_id)
    except KeyError:
        return None
    return build_guide(loaded, document, measure)


def guide_template(measure_id: str) -> tuple[str, bytes] | None:
    """The measure's 申报表 as (file name, .xlsx bytes), or None for an unknown or non-cash measure."""
    catalog = library_catalog().catalog
    try:
        document, measure = catalog.measure(measure_id)
    except KeyError:
        return None
    if not measure.rules:
        return None
    name = f"{document.valley.value}-{measure.title}-{_('申报表')}.xlsx"
    return name, guide_template_xlsx(catalog, document, measure)
