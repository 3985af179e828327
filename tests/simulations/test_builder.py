"""The scenario builder: typed changes checked beside their fields, and the reform they build is the reform the
same changes written as a YAML file give (the engine's catalog after either is the same, to the digest)."""

from __future__ import annotations

import pytest

from jinchuang.policy.catalog import default_catalog
from jinchuang.policy.reform import apply_reform, load_reform
from jinchuang.simulations.builder import (
    DISABLE,
    BuildError,
    ChangeRow,
    build_reform,
    check_rows,
    default_choices,
    describe,
    parse_value,
    reform_yaml,
)


def _build(*rows: ChangeRow) -> tuple[list[dict[str, str]], object]:
    choices = default_choices()
    stored = check_rows(list(rows), choices)
    return stored, build_reform("方案", "", stored, choices)


def test_every_cash_measure_is_offered_with_its_named_parameters() -> None:
    choices = {m.id: m for m in default_choices()}
    jc8 = choices["jc-8"]
    assert jc8.citation == "晋市政办〔2024〕39号 第8条"
    cap = jc8.parameter("caps.per_entity_per_year")
    assert cap is not None and cap.unit == "yuan" and cap.current_text == "500,000.00 元 (50 万元)"
    rate = jc8.parameter("jc-8-trade.rate")
    assert rate is not None and rate.current_text == "20%" and "支持比例" in rate.label
    assert all(m.parameters for m in choices.values())  # every cash measure has something to change


@pytest.mark.parametrize(
    ("unit", "text", "money_unit", "expected"),
    [
        ("yuan", "100", "wan", "1000000"),
        ("yuan", "12.5万", "yuan", "125000"),
        ("yuan", "1,000,000", "yuan", "1000000"),
        ("yuan", "500000元", "yuan", "500000"),
        ("yuan", "0.5万", "yuan", "5000"),
        ("yuan", "1234.5", "yuan", "1234.50"),
        ("ratio", "15%", "yuan", "0.15"),
        ("ratio", "0.25", "yuan", "0.25"),
        ("months", "24", "yuan", "24"),
    ],
)
def test_values_as_people_type_them(unit: str, text: str, money_unit: str, expected: str) -> None:
    assert parse_value(unit, text, money_unit) == (expected, "")


@pytest.mark.parametrize(
    ("unit", "text", "problem"),
    [
        ("yuan", "", "请填写新的数值"),
        ("yuan", "abc", "金额格式错误"),
        ("yuan", "-5", "金额不能为负数"),
        ("yuan", "0.001", "金额最多精确到分"),
        ("ratio", "150%", "比例须在 0 到 100% 之间"),
        ("ratio", "2", "比例须在 0 到 100% 之间"),
        ("months", "2.5", "须为整数"),
        ("count", "-1", "数值不能为负数"),
    ],
)
def test_bad_values_are_refused_in_chinese(unit: str, text: str, problem: str) -> None:
    value, message = parse_value(unit, text, "yuan")
    assert value is None and problem in message


def test_problems_stay_beside_their_row_and_field() -> None:
    rows = [
        ChangeRow(measure="jc-8", parameter="caps.per_entity_per_year", value="abc"),
        ChangeRow(measure="nope", parameter="x", value="1"),
        ChangeRow(measure="jc-8", parameter="no-such-parameter", value="1"),
        ChangeRow(measure="jc-8", parameter="caps.per_entity_per_year", value="1", since="2027-01-01"),
        ChangeRow(measure="jc-8", parameter="jc-8-trade.rate", value="15%", since="2027-13-01"),
        ChangeRow(measure="dt-17", parameter=DISABLE),
    ]
    with pytest.raises(BuildError):
        check_rows(rows, default_choices())
    assert set(rows[0].errors) == {"value"} and "金额格式错误" in rows[0].errors["value"]
    assert set(rows[1].errors) == {"measure"}
    assert set(rows[2].errors) == {"parameter"}
    assert "上限" in rows[3].errors["since"]
    assert "日期格式错误" in rows[4].errors["since"]
    assert rows[5].errors == {}
    assert rows[0].value == "abc"  # what was typed is kept


def test_no_rows_and_a_repeated_parameter_are_refused() -> None:
    with pytest.raises(BuildError, match="请至少添加一项修改"):
        check_rows([], default_choices())
    rows = [ChangeRow(measure="dt-17", parameter=DISABLE), ChangeRow(measure="dt-17", parameter=DISABLE)]
    with pytest.raises(BuildError):
        check_rows(rows, default_choices())
    assert "与第 1 项重复" in rows[1].errors["parameter"]


YAML_EQUIVALENT = """\
name: 方案
changes:
  - measure: jc-8
    set:
      caps.per_entity_per_year: 1000000
  - measure: jc-8
    rule: jc-8-trade
    set:
      rate: {since: 2027-01-01, value: '0.15'}
  - measure: jc-4
    rule: jc-4-national
    set:
      grant: 2000000
  - measure: dt-17
    disable: true
"""


def test_the_built_reform_is_the_yaml_equivalent_reform() -> None:
    stored, reform = _build(
        ChangeRow(measure="jc-8", parameter="caps.per_entity_per_year", value="100", unit="wan"),
        ChangeRow(measure="jc-8", parameter="jc-8-trade.rate", value="15%", since="2027-01-01"),
        ChangeRow(measure="jc-4", parameter="jc-4-national.grant", value="2,000,000"),
        ChangeRow(measure="dt-17", parameter=DISABLE),
    )
    catalog = default_catalog()
    built = apply_reform(catalog, reform)  # type: ignore[arg-type]
    by_hand = apply_reform(catalog, load_reform(YAML_EQUIVALENT))
    assert built.digest == by_hand.digest != catalog.digest
    # what a run stores and the worker reads back is the same reform
    assert load_reform(reform_yaml(reform)) == reform  # type: ignore[arg-type]
    # a different value is a different catalog (the comparison can fail)
    _, other = _build(ChangeRow(measure="jc-8", parameter="caps.per_entity_per_year", value="99", unit="wan"))
    assert apply_reform(catalog, other).digest != by_hand.digest  # type: ignore[arg-type]
    lines = describe(stored, default_choices())
    assert lines[0]["current"] == "500,000.00 元 (50 万元)" and lines[0]["new"] == "1,000,000.00 元 (100 万元)"
    assert lines[1]["new"] == "15%" and lines[1]["since"] == "2027-01-01"
    assert lines[3]["parameter"].startswith("停止执行本措施")


def test_both_review_bounds_of_a_rule_go_into_one_change() -> None:
    choices = default_choices()
    measure, parameter = next(
        (m, p) for m in choices for p in m.parameters if p.name == "review_range.max" and p.rule_id is not None
    )
    low = next(p for p in measure.parameters if p.rule_id == parameter.rule_id and p.name == "review_range.min")
    _, reform = _build(ChangeRow(measure=measure.id, parameter=parameter.path, value=str(parameter.current * 2)))
    change = reform.changes[0]  # type: ignore[attr-defined]
    assert change.rule == parameter.rule_id
    assert change.set == {"review_range": [str(low.current), _whole(parameter.current * 2)]}
    apply_reform(default_catalog(), reform)  # type: ignore[arg-type]


def _whole(amount: object) -> str:
    from decimal import Decimal

    value = Decimal(str(amount))
    return str(int(value)) if value == value.to_integral_value() else f"{value:.2f}"
