"""Runs the tests written from the legal text, next to each catalog file (<doc>.cases.yaml).

Each file is validated against the case-file schema (jinchuang/policy/case_files.py): an unknown
expectation key is an error, and every expectation given is checked strictly (``failed: []`` means
no condition failed).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from jinchuang.policy.case import parse_case
from jinchuang.policy.case_files import CaseSpec, Expectation, load_case_specs, problems
from jinchuang.policy.catalog import CATALOG_DIR, DOCUMENT_IDS, CatalogError, default_catalog
from jinchuang.policy.evaluate import evaluate
from jinchuang.policy.results import CapHit, Failure, Instalment, Item, MeasureResult, Status


def _all_cases() -> list[Any]:
    params = []
    for doc_id in DOCUMENT_IDS:
        if not (CATALOG_DIR / f"{doc_id}.yaml").exists():
            continue
        for n, spec in enumerate(load_case_specs(doc_id)):
            params.append(pytest.param(doc_id, spec, id=f"{doc_id}-{n:03d}-{spec.measure}"))
    return params


@pytest.mark.parametrize(("doc_id", "spec"), _all_cases())
def test_case_from_the_legal_text(doc_id: str, spec: CaseSpec) -> None:
    catalog = default_catalog()
    document = catalog.document(doc_id)
    assert spec.measure in {m.id for m in document.measures}, f"{spec.measure} is not a measure of {doc_id}"
    case = parse_case(spec.case, catalog)
    result = evaluate(case, catalog, valleys=[document.valley])
    measure = result.by_id(spec.measure)
    assert problems(spec.expect, measure) == [], f"{spec.name}\n{measure.as_dict()}"


# ───────────── the schema and the strictness of each key ─────────────


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "x.cases.yaml").write_text(text, encoding="utf-8")
    return tmp_path


CASE = "- name: n\n  measure: jc-8\n  case: {as_of: 2025-12-31, applicant: {kind: enterprise}}\n"


@pytest.mark.parametrize(
    "expect",
    [
        "{status: eligible, amout: '1.00'}",  # misspelt key
        "{status: eligible, failed_conditions: []}",
        "{amount: '1.00'}",  # no status
        "{status: elegible}",
        "{status: eligible, binding_cap: per_year}",
        "{status: eligible, amount: 1.5}",  # a float amount
        "{status: eligible, review_range: ['1']}",
    ],
)
def test_an_expectation_that_does_not_fit_the_schema_is_an_error(tmp_path: Path, expect: str) -> None:
    with pytest.raises(CatalogError, match=r"x\.cases\.yaml\[0\]"):
        load_case_specs("x", _write(tmp_path, CASE + f"  expect: {expect}\n"))


def test_an_unknown_top_level_key_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CatalogError):
        load_case_specs("x", _write(tmp_path, CASE + "  expect: {status: eligible}\n  expected: {amount: '1'}\n"))


def _result(**kw: Any) -> MeasureResult:
    base: dict[str, Any] = dict(
        measure_id="m",
        document_id="d",
        valley="晋城",
        wenhao="",
        clause="1",
        title="t",
        kind="cash",
        category="c",
        text="t",
        status=Status.NOT_ELIGIBLE,
    )
    base.update(kw)
    return MeasureResult(**base)


def _expect(**kw: Any) -> Expectation:
    return Expectation.model_validate(kw)


def test_failed_empty_means_no_failed_condition() -> None:
    result = _result(failed=[Failure("签订3年以上劳动合同")])
    assert problems(_expect(status="not_eligible", failed=[]), result) != []
    assert problems(_expect(status="not_eligible"), result) == []  # failed not given: not checked
    assert problems(_expect(status="not_eligible", failed=[]), _result()) == []


def test_failed_lists_every_failure_one_text_each() -> None:
    result = _result(failed=[Failure("签订3年以上劳动合同(缺少: 劳动合同年限)"), Failure("缴纳6个月以上社保")])
    assert problems(_expect(status="not_eligible", failed=["劳动合同", "社保"]), result) == []
    assert problems(_expect(status="not_eligible", failed=["社保"]), result) != []  # one failure not listed
    assert problems(_expect(status="not_eligible", failed=["社保", "社保"]), result) != []  # one text twice
    assert problems(_expect(status="not_eligible", failed=["社保", "专利"]), result) != []


def _item(amount: str, cut: str | None = None) -> Item:
    caps = [CapHit("per_award", "r", Decimal(500000), Decimal(cut))] if cut else []
    return Item("r", "r", 0, "e", dt.date(2025, 1, 1), "x", Decimal(amount), Decimal(amount), caps=caps)


def test_binding_cap_null_means_no_cap_cut_the_amount() -> None:
    capped = _result(status=Status.ELIGIBLE, items=[_item("500000", cut="1")])
    assert problems(_expect(status="eligible", binding_cap=None), capped) != []
    assert problems(_expect(status="eligible", binding_cap="per_award"), capped) == []
    assert problems(_expect(status="eligible", binding_cap=None), _result(status=Status.ELIGIBLE)) == []


def test_review_range_and_schedule_are_exact_and_null_or_empty_means_none() -> None:
    reviewed = _result(
        status=Status.NEEDS_REVIEW,
        review_range=(Decimal("0.00"), Decimal("500000.00")),
        schedule=[Instalment(2025, Decimal("250000.00")), Instalment(2026, Decimal("250000.00"))],
    )
    assert problems(_expect(status="needs_review", review_range=["0", "500000"]), reviewed) == []
    assert problems(_expect(status="needs_review", review_range=["0", "400000"]), reviewed) != []
    assert problems(_expect(status="needs_review", review_range=None), reviewed) != []
    assert problems(_expect(status="needs_review", schedule=["250000", "250000.00"]), reviewed) == []
    assert problems(_expect(status="needs_review", schedule=["250000"]), reviewed) != []
    assert problems(_expect(status="needs_review", schedule=[]), reviewed) != []


def test_amount_and_status_are_exact() -> None:
    paid = _result(status=Status.ELIGIBLE, amount=Decimal("100.00"))
    assert problems(_expect(status="eligible", amount="100"), paid) == []
    assert problems(_expect(status="eligible", amount="100.01"), paid) != []
    assert problems(_expect(status="needs_review", amount="100"), paid) != []
