"""Catalog coverage: clauses in the text, clauses encoded, clauses with tests, interpretations."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from jinchuang.policy.catalog import Catalog, load_cases, normalise, seed_text
from jinchuang.policy.schema import Document, MeasureKind


@dataclass(frozen=True)
class DocumentCoverage:
    document: str
    valley: str
    wenhao: str
    clauses_in_text: int
    clauses_encoded: int
    verbatim: int
    cash_measures: int
    cash_measures_tested: int
    clauses_with_tests: int
    cases: int
    interpretations: int
    not_verbatim: tuple[str, ...]
    cash_untested: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return (
            self.clauses_in_text == self.clauses_encoded
            and self.verbatim == self.clauses_encoded
            and self.cash_measures == self.cash_measures_tested
        )


def clauses_in_text(document: Document) -> int:
    """Count the numbered clauses in the seed text with the document's clause marker."""
    if document.clause_marker is None:
        return document.clause_count
    return len(re.findall(document.clause_marker, seed_text(document), flags=re.MULTILINE))


def document_coverage(document: Document) -> DocumentCoverage:
    seed = normalise(seed_text(document))
    not_verbatim = tuple(m.id for m in document.measures if normalise(m.text) not in seed)
    cases = load_cases(document.id)
    tested = {c.get("measure") for c in cases}
    cash = [m.id for m in document.measures if m.kind is MeasureKind.CASH]
    return DocumentCoverage(
        document=document.id,
        valley=document.valley.value,
        wenhao=document.wenhao,
        clauses_in_text=clauses_in_text(document),
        clauses_encoded=len(document.measures),
        verbatim=len(document.measures) - len(not_verbatim),
        cash_measures=len(cash),
        cash_measures_tested=len([m for m in cash if m in tested]),
        clauses_with_tests=len([m for m in document.measures if m.id in tested]),
        cases=len(cases),
        interpretations=sum(len(m.interpretations) for m in document.measures),
        not_verbatim=not_verbatim,
        cash_untested=tuple(m for m in cash if m not in tested),
    )


def coverage(catalog: Catalog) -> list[DocumentCoverage]:
    return [document_coverage(d) for d in catalog.documents]


def coverage_json(catalog: Catalog) -> dict[str, object]:
    rows = coverage(catalog)
    return {
        "documents": [asdict(r) | {"complete": r.complete} for r in rows],
        "complete": bool(rows) and all(r.complete for r in rows),
        "totals": {
            "clauses_in_text": sum(r.clauses_in_text for r in rows),
            "clauses_encoded": sum(r.clauses_encoded for r in rows),
            "cash_measures": sum(r.cash_measures for r in rows),
            "cash_measures_tested": sum(r.cash_measures_tested for r in rows),
            "cases": sum(r.cases for r in rows),
            "interpretations": sum(r.interpretations for r in rows),
        },
    }
