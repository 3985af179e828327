import pytest

from jinchuang.policy.case import CaseError, case_to_data, parse_case
from jinchuang.policy.catalog import default_catalog


def vocab():
    return default_catalog()


GOOD = {
    "as_of": "2025-12-31",
    "applicant": {"kind": "enterprise", "valley": "晋城", "settled_on": "2025-01-01"},
    "events": [{"type": "tech_contract_registered", "date": "2025-06-01", "amount": "1200000", "mode": "transfer"}],
    "prior_grants": [{"matter": "tech_transaction", "amount": "10000", "date": "2025-03-01", "policy": "省级"}],
}


def test_round_trip() -> None:
    case = parse_case(GOOD, vocab())
    assert parse_case(case_to_data(case), vocab()) == case


def _fields(data) -> set[str]:
    with pytest.raises(CaseError) as info:
        parse_case(data, vocab())
    return {p.field for p in info.value.problems}


def test_unknown_valley_is_named() -> None:
    assert "applicant.valley" in _fields({**GOOD, "applicant": {**GOOD["applicant"], "valley": "太原"}})


def test_negative_amount_is_named() -> None:
    bad = {**GOOD, "events": [{**GOOD["events"][0], "amount": "-1"}]}
    assert "events[0].amount" in _fields(bad)


def test_float_amount_is_refused() -> None:
    bad = {**GOOD, "events": [{**GOOD["events"][0], "amount": 1.5}]}
    assert "events[0].amount" in _fields(bad)


def test_bad_date_is_named() -> None:
    assert "as_of" in _fields({**GOOD, "as_of": "2025-13-40"})
    bad = {**GOOD, "events": [{**GOOD["events"][0], "date": "yesterday"}]}
    assert "events[0].date" in _fields(bad)


def test_missing_fields_are_named() -> None:
    data = dict(GOOD)
    del data["as_of"]
    assert "as_of" in _fields(data)
    bad = {**GOOD, "events": [{"type": "tech_contract_registered", "date": "2025-06-01", "mode": "transfer"}]}
    assert "events[0].amount" in _fields(bad)
    assert "applicant" in _fields({**GOOD, "applicant": None})


def test_unknown_event_type_option_and_field() -> None:
    bad = {
        **GOOD,
        "events": [
            {"type": "nope", "date": "2025-06-01"},
            {**GOOD["events"][0], "mode": "theft"},
            {**GOOD["events"][0], "colour": "red"},
        ],
    }
    assert {"events[0].type", "events[1].mode", "events[2].colour"} <= _fields(bad)


def test_event_after_as_of_is_refused() -> None:
    bad = {**GOOD, "events": [{**GOOD["events"][0], "date": "2026-06-01"}]}
    assert "events[0].date" in _fields(bad)


def test_sub_fen_precision_refused() -> None:
    bad = {**GOOD, "events": [{**GOOD["events"][0], "amount": "1.001"}]}
    assert "events[0].amount" in _fields(bad)


def _problems(data) -> dict[str, str]:
    with pytest.raises(CaseError) as info:
        parse_case(data, vocab())
    return {p.field: p.message for p in info.value.problems}


def test_a_40_digit_amount_is_a_named_case_error_not_a_crash() -> None:
    # before the one money module, case.py quantized before the range check: decimal.InvalidOperation
    huge = "1" * 40
    bad = {
        **GOOD,
        "events": [{**GOOD["events"][0], "amount": huge}],
        "prior_grants": [{**GOOD["prior_grants"][0], "amount": int(huge)}],
    }
    problems = _problems(bad)
    assert problems["events[0].amount"] == "金额超出范围: 最大 999,999,999,999.99 元"
    assert problems["prior_grants[0].amount"] == "金额超出范围: 最大 999,999,999,999.99 元"


def test_an_unknown_prior_grant_matter_is_named_with_the_valid_groups() -> None:
    # before: the grant was kept, matched no measure, and the measure paid in full again
    bad = {**GOOD, "prior_grants": [{**GOOD["prior_grants"][0], "matter": "tech_transactions"}]}
    message = _problems(bad)["prior_grants[0].matter"]
    assert message.startswith("未知的事项 'tech_transactions'")
    groups = {m.overlap_group for _, m in default_catalog().measures() if m.overlap_group}
    assert set(message.split("可选: ")[1].split(", ")) == groups
