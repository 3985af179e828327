"""The engine's own sentences follow the active language (issue 10): Chinese by default and outside Django
(byte for byte as before), English under ``translation.override("en")``, and no cache freezes one language."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation

from jinchuang.policy import money
from jinchuang.policy.case import parse_case
from jinchuang.policy.catalog import default_catalog
from jinchuang.policy.citation import cite
from jinchuang.policy.evaluate import evaluate
from jinchuang.policy.reform import ReformError, parse_reform
from jinchuang.policy.results import plain_explanation

ROOT = Path(__file__).resolve().parents[2]


def test_money_error_is_english_under_english_and_keeps_its_chinese_key() -> None:
    with translation.override("en"), pytest.raises(money.MoneyError) as info:
        money.parse_yuan("-1")
    assert str(info.value) == "The amount cannot be negative"
    assert info.value.message == money.MoneyError.NEGATIVE == "金额不能为负数"
    with pytest.raises(money.MoneyError) as info:
        money.parse_yuan("abc")
    assert str(info.value) == "金额格式错误 'abc', 应写成字符串或整数, 如 '1200000.00' 或 1200000"


def test_citation_in_both_languages() -> None:
    assert cite(None, "8") == "(无文号) 第8条"
    with translation.override("en"):
        assert cite(None, "8") == "(no document number) Article 8"
        assert cite("晋市政办〔2024〕39号", "第八条") == "晋市政办〔2024〕39号 第八条"


def _nothing_recorded() -> list[str]:
    catalog = default_catalog()
    case = parse_case({"as_of": "2026-06-30", "applicant": {"kind": "enterprise", "valley": "晋城"}}, catalog)
    return [f.text for m in evaluate(case, catalog).measures for f in m.failed]


def test_cached_failures_do_not_freeze_a_language() -> None:
    chinese = _nothing_recorded()
    assert any(text.startswith("缺少事件: ") for text in chinese)
    with translation.override("en"):
        english = _nothing_recorded()
    assert any(text.startswith("Missing event: ") for text in english)
    assert not any(text.startswith("缺少事件") for text in english)
    assert _nothing_recorded() == chinese  # the Chinese comes back after the English run


def test_plain_explanation_in_english() -> None:
    result = {
        "items": [
            {
                "event_type": "tech_contract_registered",
                "event_date": "2025-03-01",
                "label": "技术合同奖励",
                "raw": "300000.00",
                "amount": "200000.00",
                "caps": [{"label": "单项上限", "limit": "200000.00", "cut": "100000.00"}],
            }
        ],
        "amount": "200000.00",
    }
    chinese = plain_explanation(result, {})
    assert chinese[0] == (
        "依据 2025-03-01 的事实, 按“技术合同奖励”计得 300,000.00 元; 受单项上限 200,000.00 元限制, "
        "核减 100,000.00 元, 计入 200,000.00 元"
    )
    with translation.override("en"):
        english = plain_explanation(result, {"tech_contract_registered": "technology contract"})
    assert english[0].startswith("From the technology contract of 2025-03-01, by “技术合同奖励”: 300,000.00 yuan")
    assert english[-1] == "Computed ceiling in total: 200,000.00 yuan"


def test_reform_problems_in_english() -> None:
    with translation.override("en"), pytest.raises(ReformError) as info:
        parse_reform({"name": "x", "changes": []})
    assert [p.message for p in info.value.problems] == ["Must be a non-empty list"]


def test_the_engine_speaks_chinese_without_django_settings() -> None:
    """The CLI and the bench import the engine without configuring Django: the messages are the Chinese ids."""
    code = (
        "import os; os.environ.pop('DJANGO_SETTINGS_MODULE', None)\n"
        "from jinchuang.policy import money\n"
        "from jinchuang.policy.citation import cite\n"
        "try:\n    money.parse_yuan(1.5)\nexcept money.MoneyError as e:\n    print(e)\n"
        "print(cite(None, '8'))\n"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    assert out.stdout.splitlines() == ["金额须写成字符串或整数 (如 '1200000.00'), 不接受浮点数", "(无文号) 第8条"]


def test_case_problems_in_both_languages() -> None:
    from jinchuang.policy.case import CaseError

    data = {"as_of": "2026-06-30", "applicant": {"kind": "enterprise"}, "events": [{"type": "nope", "date": "x"}]}
    with pytest.raises(CaseError) as info:
        parse_case(data, default_catalog())
    assert [p.message for p in info.value.problems] == ["未知的事件类型 'nope'"]
    with translation.override("en"), pytest.raises(CaseError) as info:
        parse_case(data, default_catalog())
    assert [p.as_dict() for p in info.value.problems] == [
        {"field": "events[0].type", "message": "Unknown event type 'nope'"}
    ]


def test_an_event_after_the_judging_date_is_refused_in_words_without_the_field_code() -> None:
    from jinchuang.policy.case import CaseError, parse_case
    from jinchuang.policy.catalog import default_catalog

    data = {
        "as_of": "2025-01-01",
        "applicant": {"kind": "enterprise", "valley": "晋城"},
        "events": [{"type": "tech_contract_registered", "date": "2025-06-01", "amount": "1200000", "mode": "transfer"}],
    }
    try:
        parse_case(data, default_catalog())
    except CaseError as exc:
        text = " ".join(str(p.message) for p in exc.problems) if hasattr(exc, "problems") else str(exc)
    else:
        raise AssertionError("a late event must be refused")
    assert "晚于计算基准日 2025-01-01" in text and "as_of" not in text, text
