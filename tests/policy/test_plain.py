"""Plain sentences from the catalog (jinchuang.policy.plain): the words people read, never code."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jinchuang.policy import plain
from jinchuang.policy.catalog import default_catalog
from jinchuang.policy.schema import Caps
from tests.code_tokens import code_tokens


@pytest.fixture(scope="module")
def vocabulary():  # type: ignore[no-untyped-def]
    return default_catalog().vocabulary


def _rule(measure_id: str, rule_id: str):  # type: ignore[no-untyped-def]
    _doc, measure = default_catalog().measure(measure_id)
    return next(r for r in measure.rules if r.id == rule_id)


def test_a_platform_condition_reads_in_the_event_vocabulary_words(vocabulary) -> None:  # type: ignore[no-untyped-def]
    text = plain.condition(
        "platform == 'academician_station'", event=vocabulary["platform_approved"], vocabulary=vocabulary
    )
    assert text == "平台类型为院士(专家)工作站"


def test_sets_and_boolean_fields_and_applicant_names(vocabulary) -> None:  # type: ignore[no-untyped-def]
    event = vocabulary["tech_contract_registered"]
    assert (
        plain.condition("mode in ('transfer', 'license')", event=event, vocabulary=vocabulary)
        == "交易方式为技术转让(专利转让)或技术许可(专利许可)"
    )
    assert plain.condition("registered == True", event=event, vocabulary=vocabulary) == "已完成认定登记"
    assert plain.condition("in_valley", event=event, vocabulary=vocabulary) == "申请主体已入驻晋创谷"
    assert (
        plain.condition("applicant_kind == 'intermediary'", event=event, vocabulary=vocabulary)
        == "申请主体类型为中介/技术转移服务机构"
    )


def test_a_threshold_takes_its_unit_from_the_named_parameter(vocabulary) -> None:  # type: ignore[no-untyped-def]
    rule = _rule("jc-11", "jc-11-fulltime")
    assert plain.rule_condition(rule, "contract_years >= min_contract_years", vocabulary) == "劳动合同年限不少于 3 年"
    assert (
        plain.rule_condition(rule, "social_insurance_months >= min_social_insurance_months", vocabulary)
        == "已缴社保月数不少于 6 个月"
    )


def test_a_rate_formula_reads_as_a_share_of_the_amount(vocabulary) -> None:  # type: ignore[no-untyped-def]
    assert plain.amount(_rule("dt-8", "dt-8-trade"), vocabulary) == "按技术交易额的 20% 计算"
    assert plain.amount(_rule("jc-4", "jc-4-national"), vocabulary) == "支持 100 万元"


def test_months_are_months_not_yuan(vocabulary) -> None:  # type: ignore[no-untyped-def]
    """Regression (issue 10): 大同 第十七/十八条 showed "最高 36.00 元" for a cap of 36 months."""
    for measure_id, rule_id in (("dt-17", "dt-17-rent"), ("dt-18", "dt-18-living")):
        text = plain.amount(_rule(measure_id, rule_id), vocabulary)
        assert "最长 36 个月" in text, text
        assert "36.00 元" not in text and "36 元" not in text
    parameter = _rule("dt-17", "dt-17-rent").parameters["max_months"]
    assert plain.parameter_value(parameter) == "36 个月"


def test_a_reviewed_rule_states_its_legal_ceiling(vocabulary) -> None:  # type: ignore[no-untyped-def]
    """晋城 第11条: up to 200,000 yuan after review."""
    assert plain.amount(_rule("jc-11", "jc-11-fulltime"), vocabulary) == "需评审, 最高 20 万元"
    assert plain.amount(_rule("yq-1", "yq-1-achievement"), vocabulary) == "需评审, 在 30 万元 至 100 万元 之间确定"


def test_tiers_list_each_option_with_its_amount(vocabulary) -> None:  # type: ignore[no-untyped-def]
    assert (
        plain.amount(_rule("dt-17", "dt-17-purchase"), vocabulary)
        == "按学历层次对应的标准(博士研究生 20 万元、硕士研究生 10 万元、本科/大学毕业生 5 万元)支持"
    )


def test_caps_in_wan() -> None:
    caps = Caps(
        per_award=Decimal("1000000"), per_entity_per_year=Decimal("200000"), cumulative_per_entity=Decimal(5000)
    )
    assert plain.caps(caps) == ["单项最高 100 万元", "每年累计最高 20 万元", "累计最高 5,000.00 元"]


def test_quantities() -> None:
    assert plain.quantity(Decimal("0.20"), "ratio") == "20%"
    assert plain.quantity(Decimal("0.005"), "ratio") == "0.5%"
    assert plain.quantity(Decimal("36"), "months") == "36 个月"
    assert plain.quantity(Decimal("3"), "years") == "3 年"
    assert plain.quantity(Decimal("12500"), "yuan") == "1.25 万元"


def test_the_frames_are_translated_and_the_catalog_words_kept(vocabulary) -> None:  # type: ignore[no-untyped-def]
    english = {"按%(formula)s计算": "computed as %(formula)s", "%(base)s的 %(share)s": "%(share)s of %(base)s"}
    text = plain.amount(_rule("dt-8", "dt-8-trade"), vocabulary, translate=lambda m: english.get(m, m))
    assert text == "computed as 20% of 技术交易额"


def test_interpretations_and_hints_lose_their_identifiers(vocabulary) -> None:  # type: ignore[no-untyped-def]
    assert plain.prose("平台类型填 tech_transfer_platform", vocabulary) == "平台类型填 “科技成果转化交易服务平台”"
    assert "“创新券支持的服务金额”" in plain.prose("服务金额(事件 voucher_spent.amount)", vocabulary)
    assert plain.prose("不作扣减(stacks_on_provincial)", vocabulary) == "不作扣减(在省级支持基础上叠加)"
    assert code_tokens(plain.prose("0 至 min(50万元, paid_in_capital × 50%)", vocabulary)) == []


def test_every_measure_of_the_catalog_reads_without_code() -> None:
    """All 98 clauses' measures: summary, conditions, amounts, caps, notes, interpretations, hints."""
    catalog = default_catalog()
    measures = list(catalog.measures())
    assert len(measures) == 98
    offending: list[str] = []
    for document, measure in measures:
        text = plain.measure(document, measure, catalog.vocabulary)
        assert text.summary, measure.id
        sentences = [text.summary, *text.notes, *text.caps]
        for rule_text in text.rules:
            sentences += [rule_text.amount, rule_text.event, *rule_text.conditions, *rule_text.caps]
        sentences += [plain.interpretation(i, catalog.vocabulary) for i in measure.interpretations]
        for rule in measure.rules:
            for condition in rule.conditions:
                sentences += [plain.prose(condition.text, catalog.vocabulary)]
                sentences += [plain.prose(condition.hint or "", catalog.vocabulary)]
        for sentence in sentences:
            tokens = code_tokens(sentence)
            if tokens or "相关数值" in sentence or "相关事项" in sentence:
                offending.append(f"{measure.id}: {tokens} in {sentence!r}")
    assert offending == []


def test_a_cash_measure_summary_names_its_amounts() -> None:
    catalog = default_catalog()
    document, measure = catalog.measure("dt-8")
    text = plain.measure(document, measure, catalog.vocabulary)
    assert text.summary == "按技术交易额的 20% 计算; 按技术入股作价金额的 10% 计算; 整条措施每年累计最高 100 万元"
    document, measure = catalog.measure("jc-1")
    assert plain.measure(document, measure, catalog.vocabulary).summary == "由平台提供服务, 按条文原文执行, 不计算金额"
