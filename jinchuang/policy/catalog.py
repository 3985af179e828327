"""Loading and validating the catalog: one YAML file per seed document."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import yaml

from jinchuang.policy import expr, typecheck
from jinchuang.policy.schema import Document, EventType, Measure
from jinchuang.policy.vocabulary import Valley

CATALOG_DIR = Path(__file__).parent / "catalog"
SEEDS_DIR = CATALOG_DIR / "seeds"
DOCUMENT_IDS: tuple[str, ...] = ("jincheng", "jinzhong", "linfen", "yangquan", "datong")

#: names a rule may read besides its event's fields
APPLICANT_NAMES = frozenset({"applicant_kind", "in_valley", "months_in_valley", "event_year"})


class CatalogError(ValueError):
    pass


@dataclass(frozen=True)
class Catalog:
    documents: tuple[Document, ...]
    vocabulary: Mapping[str, EventType]

    @cached_property
    def digest(self) -> str:
        """A SHA-256 of the catalog's content (documents and event vocabulary, canonical JSON): the
        version an application was judged under (ADR 0003); a reformed catalog has another."""
        content = {
            "documents": [d.model_dump(mode="json") for d in self.documents],
            "vocabulary": {k: v.model_dump(mode="json") for k, v in sorted(self.vocabulary.items())},
        }
        canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def document(self, doc_id: str) -> Document:
        for d in self.documents:
            if d.id == doc_id:
                return d
        raise KeyError(doc_id)

    def for_valley(self, valley: Valley) -> list[Document]:
        return [d for d in self.documents if d.valley is valley]

    def measures(self) -> Iterable[tuple[Document, Measure]]:
        for d in self.documents:
            for m in d.measures:
                yield d, m

    def measure(self, measure_id: str) -> tuple[Document, Measure]:
        for d, m in self.measures():
            if m.id == measure_id:
                return d, m
        raise KeyError(measure_id)


def _read_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def load_vocabulary_file(path: Path | None = None) -> dict[str, EventType]:
    raw = _read_yaml(path or CATALOG_DIR / "events.yaml")
    return {name: EventType.model_validate(spec) for name, spec in raw.items() if not name.startswith("_")}


def load_document(doc_id: str, directory: Path | None = None) -> Document:
    path = (directory or CATALOG_DIR) / f"{doc_id}.yaml"
    try:
        return Document.model_validate(_read_yaml(path))
    except ValueError as exc:
        raise CatalogError(f"{path.name}: {exc}") from exc


def build_catalog(documents: Iterable[Document], base_vocabulary: Mapping[str, EventType]) -> Catalog:
    docs = tuple(documents)
    vocabulary = dict(base_vocabulary)
    for d in docs:
        for name, spec in d.event_types.items():
            if name in vocabulary:
                raise CatalogError(f"{d.id}: event type '{name}' is already defined")
            vocabulary[name] = spec
    ids = [m.id for d in docs for m in d.measures]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise CatalogError(f"duplicate measure ids across documents: {dupes}")
    for d in docs:
        for m in d.measures:
            for rule in m.rules:
                _check_rule_names(
                    d,
                    m,
                    rule.id,
                    rule.event,
                    vocabulary,
                    rule.expressions(),
                )
    return Catalog(documents=docs, vocabulary=vocabulary)


def _check_rule_names(
    doc: Document, measure: Measure, rule_id: str, event: str, vocabulary: Mapping[str, EventType], sources: list[str]
) -> None:
    where = f"{doc.id}/{measure.id}/{rule_id}"
    if event not in vocabulary:
        raise CatalogError(f"{where}: unknown event type '{event}'")
    rule = next(r for r in measure.rules if r.id == rule_id)
    clashes = sorted(n for n in rule.parameters if n in vocabulary[event].fields or n in APPLICANT_NAMES)
    if clashes:
        raise CatalogError(f"{where}: parameter names {clashes} are also fields of event '{event}'")
    allowed = set(vocabulary[event].fields) | APPLICANT_NAMES | set(rule.parameters)
    for source in sources:
        for name in expr.names(expr.parse(source)):
            if name not in allowed and not name.startswith("cert_"):
                raise CatalogError(f"{where}: '{name}' is not a field of event '{event}' (in: {source})")
    type_errors = typecheck.rule_errors(doc.id, measure, rule, vocabulary[event])
    if type_errors:
        raise CatalogError("; ".join(type_errors))


@cache
def default_catalog() -> Catalog:
    """The shipped catalog, loaded once per process."""
    present = [i for i in DOCUMENT_IDS if (CATALOG_DIR / f"{i}.yaml").exists()]
    return build_catalog((load_document(i) for i in present), load_vocabulary_file())


def seed_text(document: Document) -> str:
    return (SEEDS_DIR / document.source_file).read_text(encoding="utf-8")


_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Text with all whitespace removed, for comparing against the PDF-extracted seeds."""
    return _SPACE.sub("", text)


def load_cases(doc_id: str, directory: Path | None = None) -> list[dict[str, Any]]:
    path = (directory or CATALOG_DIR) / f"{doc_id}.cases.yaml"
    if not path.exists():
        return []
    data = _read_yaml(path) or []
    if not isinstance(data, list):
        raise CatalogError(f"{path.name}: expected a list of cases")
    return data
