"""The worker: claims with a conditional UPDATE, runs once, records progress, picks up stale runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import TestCase, override_settings
from django.utils import timezone

from jinchuang.audit.models import AuditLog
from jinchuang.simulations import services
from jinchuang.simulations.models import RunStatus, SimulationRun
from jinchuang.simulations.selectors import DEFAULT_REFORM, run_pending_ids
from jinchuang.simulations.services import (
    simulation_claim,
    simulation_execute,
    simulation_progress,
    simulation_start,
)
from tests.factories import make_user

pytestmark = pytest.mark.django_db

NO_CHANGE = "name: 对照\nchanges:\n  - measure: jc-8\n    set:\n      caps.per_entity_per_year: 500000\n"


def _start(population: str, reform: str = DEFAULT_REFORM, actor: Any = None) -> SimulationRun:
    with TestCase.captureOnCommitCallbacks(execute=False):
        return simulation_start(population=population, reform_text=reform, years=[2025, 2026, 2027], actor=actor)


def test_a_run_is_executed_and_its_result_kept_in_fen(small_population: str) -> None:
    user = make_user()
    run = _start(small_population, actor=user)
    assert simulation_execute(run.pk) is True
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.progress == 1.0 and run.finished_at is not None
    assert run.attempts == 1
    result = run.result
    assert result is not None
    totals = result["totals"]
    assert all(isinstance(v, int) for v in totals.values())
    assert totals["diff_fen"] == totals["reform_fen"] - totals["baseline_fen"] > 0
    by_valley = {r["valley"]: r["diff_fen"] for r in result["by_valley"]}
    assert by_valley["晋城"] == totals["diff_fen"] and by_valley["大同"] == 0
    assert sum(r["diff_fen"] for r in result["by_year"]) == totals["diff_fen"]
    assert sum(r["baseline_fen"] for r in result["by_department"]) == totals["baseline_fen"]
    jc8 = next(m for m in result["by_measure"] if m["measure_id"] == "jc-8")
    assert jc8["citation"] == "晋市政办〔2024〕39号 第8条"
    assert jc8["diff_fen"] == totals["diff_fen"]
    assert sum(b for b, _ in jc8["by_year"].values()) == jc8["baseline_fen"]
    assert AuditLog.objects.filter(action="simulations.run_done", object_id=str(run.pk), actor_id=user.pk).exists()


def test_the_cap_unchanged_gives_no_difference(small_population: str) -> None:
    run = _start(small_population, NO_CHANGE)
    simulation_execute(run.pk)
    run.refresh_from_db()
    assert run.result is not None and run.result["totals"]["diff_fen"] == 0
    assert run.result["totals"]["baseline_fen"] > 0


def test_a_done_run_is_never_executed_twice(small_population: str, monkeypatch: pytest.MonkeyPatch) -> None:
    run = _start(small_population)
    assert simulation_execute(run.pk) is True
    run.refresh_from_db()
    finished, result = run.finished_at, run.result

    def must_not_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("simulate() called for a done run")

    monkeypatch.setattr(services, "simulate", must_not_run)
    assert simulation_execute(run.pk) is False
    assert simulation_claim(run.pk) is None
    run.refresh_from_db()
    assert (run.status, run.finished_at, run.result, run.attempts) == (RunStatus.DONE, finished, result, 1)


def test_a_fresh_running_run_is_not_claimed_by_a_second_worker(small_population: str) -> None:
    run = _start(small_population)
    first = simulation_claim(run.pk)
    assert first is not None
    assert simulation_claim(run.pk) is None  # heartbeat is fresh: another worker has it
    assert run_pending_ids() == []
    assert simulation_progress(run_id=run.pk, token=first, fraction=0.4, message="计算 晋城") is True
    run.refresh_from_db()
    assert (run.progress, run.progress_message) == (0.4, "计算 晋城")


def test_a_run_stuck_in_running_is_picked_up_again(small_population: str) -> None:
    run = _start(small_population)
    dead_worker = simulation_claim(run.pk)
    assert dead_worker is not None
    SimulationRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - dt.timedelta(minutes=10))
    assert run_pending_ids() == [run.pk]
    assert simulation_execute(run.pk) is True
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.attempts == 2
    # the dead worker wakes up: none of its writes land
    assert simulation_progress(run_id=run.pk, token=dead_worker, fraction=0.1, message="x") is False
    assert services._finish(run.pk, dead_worker, result=None, error="late") is False
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.error == ""


@override_settings(JINCHUANG_SIMULATIONS_STALE_SECONDS=0)
def test_a_worker_whose_run_was_taken_over_stops_without_writing(
    small_population: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = _start(small_population)
    tokens: list[str] = []

    def steal(*args: Any, **kwargs: Any) -> Any:
        # while the first worker computes, its heartbeat goes stale and a second worker claims the run
        SimulationRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - dt.timedelta(seconds=5))
        token = simulation_claim(run.pk)
        assert token is not None
        tokens.append(token)
        kwargs["progress"](0.5, "计算")
        raise AssertionError("the first worker should have stopped")

    monkeypatch.setattr(services, "simulate", steal)
    assert simulation_execute(run.pk) is False
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING and run.claim_token == tokens[0] and run.attempts == 2


def test_a_failure_is_recorded_on_the_run(small_population: str, monkeypatch: pytest.MonkeyPatch) -> None:
    run = _start(small_population)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(services, "simulate", broken)
    assert simulation_execute(run.pk) is True
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "磁盘已满" in run.error and run.finished_at is not None
    assert simulation_execute(run.pk) is False  # failed is final too


def test_progress_is_recorded_while_computing(small_population: str, monkeypatch: pytest.MonkeyPatch) -> None:
    run = _start(small_population)
    seen: list[float] = []
    original = services.simulation_progress

    def spy(**kwargs: Any) -> bool:
        seen.append(kwargs["fraction"])
        return original(**kwargs)

    monkeypatch.setattr(services, "simulation_progress", spy)
    simulation_execute(run.pk)
    assert len(seen) >= 5 and seen == sorted(seen) and 0 <= seen[0] < seen[-1] < 1


def test_the_run_simulations_command_executes_queued_and_stale_runs(small_population: str) -> None:
    from django.core.management import call_command

    queued = _start(small_population)
    stale = _start(small_population, NO_CHANGE)
    simulation_claim(stale.pk)
    SimulationRun.objects.filter(pk=stale.pk).update(heartbeat_at=timezone.now() - dt.timedelta(hours=1))
    call_command("run_simulations")
    assert set(SimulationRun.objects.values_list("status", flat=True)) == {RunStatus.DONE}
    assert SimulationRun.objects.get(pk=queued.pk).attempts == 1


@pytest.mark.parametrize("final", [RunStatus.DONE, RunStatus.FAILED])
def test_final_states_have_no_way_out(small_population: str, final: RunStatus) -> None:
    from jinchuang.simulations.models import TRANSITIONS

    assert TRANSITIONS[final] == frozenset()
    run = _start(small_population)
    SimulationRun.objects.filter(pk=run.pk).update(status=final, heartbeat_at=None)
    assert simulation_claim(run.pk) is None and run_pending_ids() == []


def test_the_transition_table() -> None:
    from jinchuang.simulations.models import TRANSITIONS

    assert TRANSITIONS[RunStatus.QUEUED] == {RunStatus.RUNNING}  # claim
    assert TRANSITIONS[RunStatus.RUNNING] == {RunStatus.RUNNING, RunStatus.DONE, RunStatus.FAILED}  # stale pickup
