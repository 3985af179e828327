"""Expressions are type-checked at catalog load (jinchuang/policy/typecheck.py).

Issue 8: the exact evaluator said ``Decimal(1) == True`` while the vectorised one said False, and the
catalog loaded such an expression.  Now it is refused at load, naming where it is; what the checker
accepts (comparisons of numbers at different scales, bool fields with True/False, text fields with
their options) gives the same answer in both evaluators, missing values included.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

import pytest

from jinchuang.policy import typecheck
from jinchuang.policy.case import Applicant, Case, Event, Scalar
from jinchuang.policy.catalog import (
    DOCUMENT_IDS,
    CatalogError,
    build_catalog,
    load_document,
    load_vocabulary_file,
)
from jinchuang.policy.evaluate import evaluate
from jinchuang.policy.population import population_from_cases
from jinchuang.policy.results import Status
from jinchuang.policy.schema import Document
from jinchuang.policy.vectorised import evaluate_population
from jinchuang.policy.vocabulary import OrgKind, Valley
from tests.policy.test_evaluator_mechanics import DOC, measure


def _doc(condition: str | None = None, amount: str = "funding * 0.10", **rule: Any) -> dict[str, Any]:
    doc = copy.deepcopy(DOC)
    spec: dict[str, Any] = {"id": "t-1-a", "label": "测试", "event": "project_funded", "amount": amount, **rule}
    if condition is not None:
        spec["conditions"] = [{"expr": condition, "text": "测试条件"}]
    doc["measures"] = [measure("t-1", rules=[spec])]
    return doc


def _load(doc: dict[str, Any]) -> Any:
    return build_catalog([Document.model_validate(doc)], load_vocabulary_file())


def test_the_shipped_catalog_is_well_typed() -> None:
    documents = [load_document(i) for i in DOCUMENT_IDS]
    catalog = build_catalog(documents, load_vocabulary_file())
    assert sum(len(m.rules) for _, m in catalog.measures()) > 100


def test_a_number_compared_with_true_is_refused_at_load_naming_where() -> None:
    with pytest.raises(CatalogError) as refused:
        _load(_doc("funding == True"))
    message = str(refused.value)
    for part in ("testdoc/t-1/t-1-a", "funding == True", "数字", "布尔值", "number", "bool"):
        assert part in message, message


@pytest.mark.parametrize(
    ("condition", "amount", "words"),
    [
        ("funding == True", None, "比较 == 两边类型不同"),
        ("accepted != 1", None, "比较 != 两边类型不同"),
        ("funding == 'x'", None, "比较 == 两边类型不同"),
        ("level < 'provincial'", None, "< 只能比较数字"),
        ("accepted > False", None, "> 只能比较数字"),
        ("funding in (1, 'x')", None, "in 的选项"),
        ("level in ('national', True)", None, "in 的选项"),
        ("level == 'nationa'", None, "'nationa' 不是 level 的选项"),
        ("'cty' != level", None, "'cty' 不是 level 的选项"),
        ("level in ('national', 'county')", None, "'county' 不是 level 的选项"),
        ("applicant_kind == 'company'", None, "'company' 不是 applicant_kind 的选项"),
        ("funding and accepted", None, "and 需要布尔值"),
        ("accepted or role", None, "or 需要布尔值"),
        ("not funding", None, "not 需要布尔值"),
        ("funding", None, "条件 / a condition 须为布尔值"),
        ("level", None, "条件 / a condition 须为布尔值"),
        ("funding == None", None, "None"),
        (None, "funding + accepted", "算术运算 + / arithmetic + 需要数字"),
        (None, "level * 2", "算术运算 * / arithmetic * 需要数字"),
        (None, "-accepted", "负号"),
        (None, "min(funding, level)", "min() 需要数字"),
        (None, "funding > 0", "金额公式 / an amount formula 须为数字"),
        (None, "level", "金额公式 / an amount formula 须为数字"),
        (None, "funding if level else 0", "if 条件 / if test 需要布尔值"),
        (None, "funding if accepted else level", "if 两个分支类型不同"),
        (None, "table[funding]", "table[...] 需要文本"),
    ],
)
def test_mixed_types_are_refused_at_load(condition: str | None, amount: str | None, words: str) -> None:
    doc = _doc(
        condition, amount or "funding * 0.10", **({"table": {"national": 1}} if amount and "table" in amount else {})
    )
    with pytest.raises(CatalogError) as refused:
        _load(doc)
    assert words in str(refused.value)
    assert "testdoc/t-1/t-1-a" in str(refused.value)


def test_a_table_key_that_is_not_an_option_is_refused() -> None:
    with pytest.raises(CatalogError, match="table 的键 \\['county'\\] 不是 level 的选项"):
        _load(_doc(amount="table[level]", table={"national": 1000, "county": 10}))


def test_review_bounds_are_checked_too() -> None:
    doc = _doc(amount="funding")
    spec = doc["measures"][0]["rules"][0]
    del spec["amount"]
    spec["review_max"] = "accepted"
    with pytest.raises(CatalogError, match="金额公式"):
        _load(doc)


def test_named_parameters_are_numbers() -> None:
    class Rule:
        id = "r"
        conditions: list[Any] = []
        amount = "funding * rate"
        review_max = review_min = None
        table = None
        parameters = {"rate": object()}

    class Measure:
        id = "m"
        parameters = {"ceiling": object()}

    spec = load_vocabulary_file()["project_funded"]
    assert typecheck.rule_errors("d", Measure(), Rule(), spec) == []
    Rule.amount = "min(funding * rate, ceiling)"
    assert typecheck.rule_errors("d", Measure(), Rule(), spec) == []
    Rule.amount = "rate == True"
    (error,) = typecheck.rule_errors("d", Measure(), Rule(), spec)
    assert error.startswith("d/m/r: 类型错误") and "rate == True" in error


# ───────────── what the checker accepts: both evaluators agree ─────────────

#: accepted expressions that mix scales, fields or literal kinds, each with the values tried per field
ACCEPTED: list[tuple[str, dict[str, list[Scalar]]]] = [
    ("funding == 3", {"funding": [Decimal(3), Decimal("3.00"), Decimal("3.01"), Decimal(0), None]}),
    ("funding != 2.5", {"funding": [Decimal("2.5"), Decimal("2.50"), Decimal("2.51"), None]}),
    ("funding in (3, 2.5, 0.001)", {"funding": [Decimal(3), Decimal("2.50"), Decimal("0.00"), Decimal(1), None]}),
    ("funding not in (3, 2.5)", {"funding": [Decimal(3), Decimal("2.50"), Decimal(1), None]}),
    ("participation_ratio == 0.5", {"participation_ratio": [Decimal("0.5"), Decimal("0.500001"), Decimal(1), None]}),
    (
        "funding * participation_ratio >= 1000",
        {"funding": [Decimal(2000), Decimal("1999.99"), None], "participation_ratio": [Decimal("0.5"), Decimal(1)]},
    ),
    ("event_year == 2025", {}),
    ("accepted == True", {"accepted": [True, False, None]}),
    ("accepted != False", {"accepted": [True, False, None]}),
    ("accepted == newly_undertaken", {"accepted": [True, False, None], "newly_undertaken": [True, False]}),
    ("accepted in (True,)", {"accepted": [True, False, None]}),
    ("level == 'national'", {"level": ["national", "city"]}),
    ("level != 'city' and role == 'lead'", {"level": ["national", "city"], "role": ["lead", "participant", None]}),
    ("role in ('lead',) or accepted", {"role": ["lead", "participant", None], "accepted": [True, False, None]}),
    ("applicant_kind == 'enterprise'", {}),
    ("not accepted", {"accepted": [True, False, None]}),
]


def _cases(values: dict[str, list[Scalar]]) -> list[Case]:
    names = sorted(values)
    cases = []
    for combo in itertools.product(*(values[n] for n in names)):
        fields: dict[str, Scalar] = {"level": "national", "funding": Decimal(100000)}
        fields.update({n: v for n, v in zip(names, combo, strict=True)})
        fields = {k: v for k, v in fields.items() if v is not None}
        for year, kind in ((2025, OrgKind.ENTERPRISE), (2026, OrgKind.ENTERPRISE), (2025, OrgKind.UNIVERSITY)):
            event = Event(type="project_funded", date=dt.date(year, 3, 1), fields=fields, index=0)
            applicant = Applicant(kind=kind, valley=Valley.JINCHENG, settled_on=dt.date(2024, 6, 1))
            cases.append(Case(as_of=dt.date(2026, 12, 31), applicant=applicant, events=(event,), prior_grants=()))
    return cases


@pytest.mark.parametrize(("condition", "values"), ACCEPTED, ids=[c for c, _ in ACCEPTED])
def test_what_the_checker_accepts_both_evaluators_agree(condition: str, values: dict[str, list[Scalar]]) -> None:
    doc = _doc(condition, amount="1000")
    doc["measures"][0]["beneficiaries"] = ["enterprise", "university"]
    catalog = _load(doc)
    cases = _cases(values)
    exact = {}
    for org, case in enumerate(cases):
        m = evaluate(case, catalog, [Valley.JINCHENG], explain=False).by_id("t-1")
        if m.status is Status.ELIGIBLE:
            exact[org] = int(m.amount * 100)
    population = population_from_cases(cases, catalog.vocabulary)
    result = evaluate_population(population, catalog, dt.date(2026, 12, 31), [Valley.JINCHENG])
    vectorised = {r["org_id"]: r["amount_fen"] for r in result.measures.iter_rows(named=True)}
    assert vectorised == exact
    assert 0 < len(exact) < len(cases), "the values tried should make the condition both true and false"
