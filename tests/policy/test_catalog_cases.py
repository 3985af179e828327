"""Runs the tests written from the legal text, next to each catalog file (<doc>.cases.yaml)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jinchuang.policy.case import parse_case
from jinchuang.policy.catalog import CATALOG_DIR, DOCUMENT_IDS, default_catalog, load_cases
from jinchuang.policy.evaluate import evaluate


def _all_cases() -> list[Any]:
    params = []
    for doc_id in DOCUMENT_IDS:
        if not (CATALOG_DIR / f"{doc_id}.yaml").exists():
            continue
        for n, case in enumerate(load_cases(doc_id)):
            params.append(pytest.param(doc_id, case, id=f"{doc_id}-{n:03d}-{case.get('measure', '?')}"))
    return params


@pytest.mark.parametrize(("doc_id", "spec"), _all_cases())
def test_case_from_the_legal_text(doc_id: str, spec: dict[str, Any]) -> None:
    catalog = default_catalog()
    document = catalog.document(doc_id)
    case = parse_case(spec["case"], catalog)
    result = evaluate(case, catalog, valleys=[document.valley])
    measure = result.by_id(spec["measure"])
    expect = spec["expect"]
    context = f"{spec['name']}\n{measure.as_dict()}"
    if "status" in expect:
        assert measure.status.value == expect["status"], context
    if "amount" in expect:
        assert measure.amount == Decimal(str(expect["amount"])), context
    if "binding_cap" in expect:
        cap = measure.binding_cap
        assert (cap.cap if cap else None) == expect["binding_cap"], context
    for text in expect.get("failed") or []:
        assert any(text in f.text for f in measure.failed), context
    if expect.get("review_range") is not None:
        assert measure.review_range is not None, context
        assert [str(x) for x in measure.review_range] == [
            str(Decimal(str(x)).quantize(Decimal("0.01"))) for x in expect["review_range"]
        ], context
    if expect.get("schedule") is not None:
        assert [str(s.amount) for s in measure.schedule] == [
            str(Decimal(str(x)).quantize(Decimal("0.01"))) for x in expect["schedule"]
        ], context
