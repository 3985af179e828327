"""The evaluator's mechanics on a small synthetic document, independent of the shipped catalog."""

from decimal import Decimal

from jinchuang.policy.case import parse_case
from jinchuang.policy.catalog import build_catalog, load_vocabulary_file
from jinchuang.policy.evaluate import evaluate
from jinchuang.policy.schema import Document

TEXT = "这是一条用于测试的条文文本, 足够长。"


def measure(mid: str, **kw):
    base = {
        "id": mid,
        "clause": mid.split("-")[1],
        "title": mid,
        "text": TEXT,
        "kind": "cash",
        "category": "tech_transaction",
        "beneficiaries": ["enterprise"],
        "lead_departments": ["市科技局"],
    }
    base.update(kw)
    return base


DOC = {
    "id": "testdoc",
    "valley": "晋城",
    "wenhao": "测〔2024〕1号",
    "title": "测试",
    "source_file": "x.txt",
    "valid_from": "2025-01-01",
    "valid_to": "2026-12-31",
    "overlap_principle": "就高不重复",
    "applies_to_text": "测试",
    "default_beneficiaries": ["enterprise"],
    "clause_count": 6,
    "measures": [
        measure(
            "t-1",
            overlap_group="tech_transaction",
            combine="max",
            caps={"per_entity_per_year": 500000},
            rules=[
                {
                    "id": "t-1-a",
                    "label": "交易额20%",
                    "event": "tech_contract_registered",
                    "conditions": [{"expr": "mode in ('transfer', 'exclusive_license')", "text": "技术转让或独占许可"}],
                    "amount": "amount * 0.20",
                },
                {
                    "id": "t-1-b",
                    "label": "入股10%",
                    "event": "tech_contract_registered",
                    "amount": "equity_value * 0.10",
                },
            ],
        ),
        measure(
            "t-2",
            category="platform_building",
            rules=[
                {
                    "id": "t-2-a",
                    "label": "分级",
                    "event": "platform_approved",
                    "table": {"national": 1000000, "city": 100000},
                    "amount": "table[level]",
                    "caps": {"cumulative_per_entity": 1050000},
                }
            ],
            schedule=[
                {"year_offset": 0, "share": "1/3"},
                {"year_offset": 1, "share": "1/3"},
                {"year_offset": 2, "share": "1/3"},
            ],
        ),
        measure(
            "t-3",
            category="talent_living",
            rules=[
                {
                    "id": "t-3-a",
                    "label": "评审",
                    "event": "person_hired",
                    "review_range": [300000, 1000000],
                    "conditions": [
                        {"expr": "contract_years >= 3", "text": "签订3年以上劳动合同", "hint": "签3年合同"},
                        {"expr": "social_insurance_months >= 6", "text": "缴纳6个月以上社保"},
                    ],
                }
            ],
        ),
        measure(
            "t-4",
            overlap_group="tech_transaction",
            rules=[
                {"id": "t-4-a", "label": "交易额2%", "event": "tech_contract_registered", "amount": "amount * 0.02"}
            ],
        ),
        measure("t-5", kind="service", rules=[]),
        measure(
            "t-6",
            beneficiaries=["university"],
            rules=[{"id": "t-6-a", "label": "x", "event": "tech_contract_registered", "amount": "amount"}],
        ),
    ],
}

CATALOG = build_catalog([Document.model_validate(DOC)], load_vocabulary_file())


def run(events, prior=(), kind="enterprise", as_of="2026-12-31"):
    case = parse_case(
        {
            "as_of": as_of,
            "applicant": {"kind": kind, "settled_on": "2024-06-01"},
            "events": list(events),
            "prior_grants": list(prior),
        },
        CATALOG,
    )
    return evaluate(case, CATALOG, valleys=None if False else [CATALOG.documents[0].valley])


def contract(date, amount, mode="transfer", **kw):
    return {"type": "tech_contract_registered", "date": date, "amount": amount, "mode": mode, **kw}


def test_rate_and_yearly_cap_in_date_order() -> None:
    r = run([contract("2025-03-01", "2000000"), contract("2025-05-01", "1000000"), contract("2026-01-05", "100")])
    m = r.by_id("t-1")
    assert m.status.value == "eligible"
    # 400,000 + min(200,000, 100,000 left in 2025) + 20.00 in 2026
    assert m.amount == Decimal("500020.00")
    assert m.binding_cap.cap == "per_entity_per_year" and m.binding_cap.cut == Decimal("100000.00")


def test_one_fen_over_the_yearly_cap_is_cut_by_one_fen() -> None:
    m = run([contract("2025-03-01", "2500000.05")]).by_id("t-1")
    assert m.amount == Decimal("500000.00")
    assert m.binding_cap.cut == Decimal("0.01")


def test_combine_max_picks_the_higher_alternative() -> None:
    m = run([contract("2025-03-01", "100000", mode="equity", equity_value="3000000")]).by_id("t-1")
    assert m.amount == Decimal("300000.00")
    assert [i.chosen for i in m.items] == [True]
    m = run([contract("2025-03-01", "1000000", mode="transfer", equity_value="3000000")]).by_id("t-1")
    assert m.amount == Decimal("300000.00")
    assert sorted(i.rule_id for i in m.items if i.chosen) == ["t-1-b"]


def test_failed_condition_is_named_and_window_is_checked() -> None:
    m = run([contract("2025-03-01", "1000", mode="consulting")]).by_id("t-4")
    assert m.status.value == "eligible"
    m = run([contract("2027-01-01", "1000")], as_of="2027-01-31").by_id("t-4")
    assert m.status.value == "not_eligible"
    assert "不在政策有效期" in m.failed[0].text


def test_needs_review_reports_legal_range_and_missing_conditions() -> None:
    hire = {
        "type": "person_hired",
        "date": "2025-02-01",
        "degree": "phd",
        "contract_years": 3,
        "social_insurance_months": 6,
    }
    m = run([hire]).by_id("t-3")
    assert m.status.value == "needs_review"
    assert m.review_range == (Decimal("300000.00"), Decimal("1000000.00"))
    m = run([{**hire, "contract_years": 2}]).by_id("t-3")
    assert m.status.value == "not_eligible"
    assert [f.text for f in m.failed] == ["签订3年以上劳动合同"]
    assert m.failed[0].hint == "签3年合同"
    m = run([{k: v for k, v in hire.items() if k != "social_insurance_months"}]).by_id("t-3")
    assert "缺少" in m.failed[0].text


def test_missing_event_is_reported() -> None:
    m = run([]).by_id("t-2")
    assert m.status.value == "not_eligible"
    assert m.failed[0].text.startswith("缺少事件")


def test_tiers_cumulative_cap_and_instalments() -> None:
    m = run(
        [
            {"type": "platform_approved", "date": "2025-02-01", "platform": "key_lab", "level": "national"},
            {"type": "platform_approved", "date": "2026-02-01", "platform": "key_lab", "level": "city"},
        ]
    ).by_id("t-2")
    assert m.amount == Decimal("1050000.00")
    assert m.binding_cap.cap == "cumulative_per_entity" and m.binding_cap.cut == Decimal("50000.00")
    assert [(s.year, str(s.amount)) for s in m.schedule] == [
        (2025, "333333.33"),
        (2026, "350000.00"),
        (2027, "350000.01"),
        (2028, "16666.66"),
    ]
    m = run([{"type": "platform_approved", "date": "2025-02-01", "platform": "key_lab", "level": "provincial"}]).by_id(
        "t-2"
    )
    assert m.status.value == "not_eligible" and "不在支持范围" in m.failed[0].text


def test_jiugao_inside_one_document_pays_once() -> None:
    r = run([contract("2025-03-01", "1000000")])
    assert r.by_id("t-1").amount == Decimal("200000.00")
    t4 = r.by_id("t-4")
    assert t4.amount == Decimal("0.00") and "就高不重复" in t4.overlap


def test_jiugao_against_a_declared_prior_grant_tops_up() -> None:
    grant = {"matter": "tech_transaction", "amount": "150000", "date": "2025-04-01", "policy": "某区政策"}
    m = run([contract("2025-03-01", "1000000")], prior=[grant]).by_id("t-1")
    assert m.amount == Decimal("50000.00") and m.prior_grant_deduction == Decimal("150000.00")
    assert any(i["id"] == "jiugao-topup" for i in m.interpretations)
    m = run([contract("2025-03-01", "1000000")], prior=[{**grant, "amount": "250000"}]).by_id("t-1")
    assert m.amount == Decimal("0.00")


def test_non_cash_and_beneficiary() -> None:
    r = run([contract("2025-03-01", "1000")])
    assert r.by_id("t-5").status.value == "service"
    m = r.by_id("t-6")
    assert m.status.value == "not_eligible" and "申请主体类型" in m.failed[0].text


def test_rule_level_schedule_overrides_the_measure() -> None:
    doc = {
        **DOC,
        "measures": [
            measure(
                "t-9",
                category="talent_high_level",
                rules=[
                    {
                        "id": "t-9-a",
                        "label": "建站",
                        "event": "platform_approved",
                        "amount": "1000000",
                        "schedule": [
                            {"year_offset": 0, "share": "1/3"},
                            {"year_offset": 1, "share": "1/3"},
                            {"year_offset": 2, "share": "1/3"},
                        ],
                    },
                    {"id": "t-9-b", "label": "一次性", "event": "person_hired", "amount": "300000"},
                ],
            )
        ],
    }
    catalog = build_catalog([Document.model_validate(doc)], load_vocabulary_file())
    case = parse_case(
        {
            "as_of": "2025-12-31",
            "applicant": {"kind": "enterprise"},
            "events": [
                {
                    "type": "platform_approved",
                    "date": "2025-02-01",
                    "platform": "academician_station",
                    "level": "provincial",
                },
                {"type": "person_hired", "date": "2025-03-01", "degree": "phd"},
            ],
        },
        catalog,
    )
    m = evaluate(case, catalog, [catalog.documents[0].valley]).by_id("t-9")
    assert [(s.year, str(s.amount)) for s in m.schedule] == [
        (2025, "633333.33"),
        (2026, "333333.33"),
        (2027, "333333.34"),
    ]


def test_review_bounds_that_depend_on_the_case() -> None:
    doc = {**DOC, "measures": [measure("t-8", category="talent_living", rules=[
        {"id": "t-8-a", "label": "每月1000—5000元", "event": "person_hired",
         "review_min": "1000 * months", "review_max": "5000 * months"},
        {"id": "t-8-b", "label": "最高50万且不超过实缴50%", "event": "startup_capital",
         "review_range": [0, 500000], "review_max": "paid_in_capital * 0.5"}])]}
    catalog = build_catalog([Document.model_validate(doc)], load_vocabulary_file())
    case = parse_case({"as_of": "2025-12-31", "applicant": {"kind": "enterprise"}, "events": [
        {"type": "person_hired", "date": "2025-02-01", "months": 12},
        {"type": "startup_capital", "date": "2025-03-01", "paid_in_capital": "600000"}]}, catalog)
    m = evaluate(case, catalog, [catalog.documents[0].valley]).by_id("t-8")
    assert [i.review_range for i in m.items] == [(Decimal("12000.00"), Decimal("60000.00")),
                                                 (Decimal("0.00"), Decimal("300000.00"))]
    assert m.review_range == (Decimal("12000.00"), Decimal("360000.00"))
    missing = parse_case({"as_of": "2025-12-31", "applicant": {"kind": "enterprise"}, "events": [
        {"type": "person_hired", "date": "2025-02-01"}]}, catalog)
    m = evaluate(missing, catalog, [catalog.documents[0].valley]).by_id("t-8")
    assert m.status.value == "not_eligible" and "缺少" in m.failed[0].text


def test_cash_only_gives_the_same_cash_results_and_leaves_the_rest_out() -> None:
    from jinchuang.policy.boundary_cases import BoundaryCases
    from jinchuang.policy.catalog import default_catalog
    from jinchuang.policy.evaluate import evaluate as run
    from jinchuang.policy.schema import MeasureKind
    from jinchuang.policy.vocabulary import Valley as V

    catalog = default_catalog()
    cash = {m.id for _, m in catalog.measures() if m.kind is MeasureKind.CASH}
    for case in BoundaryCases(catalog, 3).cases(200):
        full = {m.measure_id: m.as_dict() for m in run(case, catalog, list(V), explain=False).measures}
        only = {m.measure_id: m.as_dict() for m in run(case, catalog, list(V), explain=False, cash_only=True).measures}
        assert set(only) == cash
        assert only == {k: v for k, v in full.items() if k in cash}
