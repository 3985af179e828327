"""simulation_start: every problem named by its field in Chinese, nothing written when invalid."""

from __future__ import annotations

import pytest
from django.test import TestCase

from jinchuang.audit.models import AuditLog
from jinchuang.simulations.models import RunStatus, SimulationRun
from jinchuang.simulations.selectors import DEFAULT_REFORM, EXAMPLES
from jinchuang.simulations.services import SimulationInputError, simulation_start, simulation_validate
from tests.factories import make_user

pytestmark = pytest.mark.django_db

YEARS = [2025, 2026, 2027]


def _problems(**kwargs: object) -> dict[str, str]:
    with pytest.raises(SimulationInputError) as caught:
        simulation_start(**{"actor": None, "years": YEARS, **kwargs})  # type: ignore[arg-type]
    return {p.field: p.message for p in caught.value.problems}


def test_a_valid_request_creates_a_queued_run_with_an_audit_row(small_population: str) -> None:
    user = make_user()
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        run = simulation_start(population=small_population, reform_text=DEFAULT_REFORM, years=YEARS, actor=user)
    assert run.status == RunStatus.QUEUED
    assert run.reform_name.startswith("晋城技术交易奖励上限")
    assert (run.first_year, run.last_year) == (2025, 2027)
    assert run.created_by == user
    assert len(callbacks) == 1  # handed to the worker only after commit
    log = AuditLog.objects.get(action="simulations.run_start")
    assert log.object_id == str(run.pk) and log.actor_id == user.pk


def test_an_anonymous_visitor_may_simulate_without_an_audit_row(small_population: str) -> None:
    with TestCase.captureOnCommitCallbacks(execute=False):
        simulation_start(population=small_population, reform_text=DEFAULT_REFORM, years=YEARS, actor=None)
    assert SimulationRun.objects.count() == 1
    assert not AuditLog.objects.filter(action__startswith="simulations.").exists()


def test_a_bad_cap_is_named_by_its_path_and_nothing_is_written(small_population: str) -> None:
    reform = "name: x\nchanges:\n  - measure: jc-8\n    set:\n      caps.per_award: -5\n"
    problems = _problems(population=small_population, reform_text=reform)
    assert problems == {"changes[0].set.caps.per_award": "金额不能为负数"}
    assert SimulationRun.objects.count() == 0
    assert AuditLog.objects.count() == 0


@pytest.mark.parametrize(
    ("reform", "field", "words"),
    [
        ("name: x\nchanges:\n  - measure: zz-99\n    set: {caps.per_award: 1}\n", "changes[0].measure", "未知的措施"),
        ("name: x\nchanges:\n  - measure: jc-8\n    set: {caps.per_week: 1}\n", "changes[0].set.caps.per_week", "不能"),
        (
            "name: x\nchanges:\n  - measure: jc-8\n    rule: jc-8-x\n    set: {rate: '0.3'}\n",
            "changes[0].rule",
            "没有规则",
        ),
        ("name: x\nchanges: []\n", "changes", "非空列表"),
        ("name: [unclosed\n", "$", "YAML 格式错误"),
        ("   ", "reform", "请填写改革方案"),
    ],
)
def test_reform_problems_are_named_in_chinese(small_population: str, reform: str, field: str, words: str) -> None:
    problems = _problems(population=small_population, reform_text=reform)
    assert words in problems[field]
    assert SimulationRun.objects.count() == 0


def test_unknown_population_and_bad_years_are_named(small_population: str) -> None:
    problems = _problems(population="no-such", reform_text=DEFAULT_REFORM, years=[2027, 2025])
    assert set(problems) == {"population", "years"}
    assert "no-such" in problems["population"]
    too_long = _problems(population=small_population, reform_text=DEFAULT_REFORM, years=list(range(2020, 2032)))
    assert "最多 10 年" in too_long["years"]
    assert _problems(population="../etc", reform_text=DEFAULT_REFORM).keys() == {"population"}


def test_every_example_reform_is_valid(small_population: str) -> None:
    for example in EXAMPLES:
        simulation_validate(population=small_population, reform_text=example.text, years=YEARS)
