"""Writes of the simulation app: start a run, claim it, record its progress and its outcome.

A run is executed at most once to completion: a worker first *claims* it with one conditional UPDATE
(queued → running, or running with a stale heartbeat → running again), and every later write of that
worker (progress, result, error) is conditional on the claim token it got. A second worker, or a
worker whose run was picked up again by someone else, changes nothing.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jinchuang.accounts.models import User
from jinchuang.audit.actions import AuditAction
from jinchuang.audit.services import audit_record, audit_snapshot
from jinchuang.policy.case import FieldProblem
from jinchuang.policy.catalog import default_catalog
from jinchuang.policy.reform import Reform, ReformError, apply_reform, load_reform
from jinchuang.policy.simulate import simulate
from jinchuang.simulations import worker
from jinchuang.simulations.builder import build_reform, default_choices, reform_yaml
from jinchuang.simulations.conf import stale_after
from jinchuang.simulations.models import RunStatus, Scenario, SimulationRun
from jinchuang.simulations.populations import population_exists, population_load
from jinchuang.simulations.summary import result_summary

logger = logging.getLogger(__name__)


MAX_YEARS = 10
FIRST_YEAR, LAST_YEAR = 2000, 2100
ERR_POPULATION = gettext_noop("请选择人群 (没有名为“%(name)s”的人群)")
ERR_YEARS = gettext_noop("年份范围无效: 起始年份不能晚于结束年份, 且须在 2000—2100 之间")
ERR_YEARS_SPAN = gettext_noop("年份范围最多 %(n)d 年")
ERR_REFORM_EMPTY = gettext_noop("请填写改革方案")
#: the fixed progress messages, stored in Chinese and translated where shown ({% translate run.progress_message %})
QUEUED, STARTING, READING, SAVING, DONE, FAILED = (
    gettext_noop("排队等待计算"),
    gettext_noop("开始计算"),
    gettext_noop("读取人群"),
    gettext_noop("保存结果"),
    gettext_noop("完成"),
    gettext_noop("失败"),
)
ADDING_UP = gettext_noop("汇总")  # the engine's last progress message (jinchuang/policy/simulate.py)


class SimulationInputError(ValueError):
    """The request to simulate is invalid; each problem names its field (e.g. changes[0].set.caps.per_award)."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = problems


def simulation_validate(*, population: str, reform_text: str, years: list[int]) -> Reform:
    """The parsed reform, or SimulationInputError naming every field that is wrong. Writes nothing."""
    problems: list[FieldProblem] = []
    if not population_exists(population):
        problems.append(FieldProblem("population", _(ERR_POPULATION) % {"name": population}))
    if not years or years != list(range(years[0], years[-1] + 1)) or not FIRST_YEAR <= years[0] <= LAST_YEAR:
        problems.append(FieldProblem("years", _(ERR_YEARS)))
    elif years[-1] > LAST_YEAR:
        problems.append(FieldProblem("years", _(ERR_YEARS)))
    elif len(years) > MAX_YEARS:
        problems.append(FieldProblem("years", _(ERR_YEARS_SPAN) % {"n": MAX_YEARS}))
    reform: Reform | None = None
    if not reform_text.strip():
        problems.append(FieldProblem("reform", _(ERR_REFORM_EMPTY)))
    else:
        try:
            reform = load_reform(reform_text)
            apply_reform(default_catalog(), reform)  # unknown measures, paths and bad values are found here
        except ReformError as exc:
            problems.extend(exc.problems)
    if problems or reform is None:
        raise SimulationInputError(problems)
    return reform


def simulation_start(
    *,
    population: str,
    reform_text: str,
    years: list[int],
    actor: AbstractBaseUser | AnonymousUser | None,
    request: HttpRequest | None = None,
    scenario: Scenario | None = None,
) -> SimulationRun:
    """Validate, create a queued run (with its audit row) and hand it to a worker after commit."""
    reform = simulation_validate(population=population, reform_text=reform_text, years=years)
    creator = actor if isinstance(actor, User) and actor.pk is not None else None
    with transaction.atomic():
        run = SimulationRun.objects.create(
            population=population,
            reform_text=reform_text,
            reform_name=reform.name[:200],
            first_year=years[0],
            last_year=years[-1],
            status=RunStatus.QUEUED,
            progress_message=QUEUED,
            created_by=creator,
            scenario=scenario,
        )
        if creator is not None:
            audit_record(
                actor=creator,
                action=AuditAction.SIMULATION_RUN_START,
                obj=run,
                before=None,
                after=audit_snapshot(run),
                request=request,
            )
        run_id = run.pk
        transaction.on_commit(lambda: worker.hand_off(run_id))
    return run


def simulation_claim(run_id: int) -> str | None:
    """Claim a queued or stale run for this worker: its claim token, or None when there is nothing to do."""
    now = timezone.now()
    token = uuid.uuid4().hex
    stale = Q(heartbeat_at__lt=now - stale_after()) | Q(heartbeat_at__isnull=True)
    claimable = Q(status=RunStatus.QUEUED) | (Q(status=RunStatus.RUNNING) & stale)
    claimed = (
        SimulationRun.objects.filter(pk=run_id)
        .filter(claimable)
        .update(
            status=RunStatus.RUNNING,
            claim_token=token,
            heartbeat_at=now,
            progress=0.0,
            progress_message=STARTING,
            attempts=F("attempts") + 1,
        )
    )
    return token if claimed else None


def _mine(run_id: int, token: str) -> Any:
    return SimulationRun.objects.filter(pk=run_id, status=RunStatus.RUNNING, claim_token=token)


def simulation_progress(*, run_id: int, token: str, fraction: float, message: str) -> bool:
    """Record progress and beat the heart; False when the run is no longer this worker's."""
    fraction = min(max(fraction, 0.0), 1.0)
    return bool(
        _mine(run_id, token).update(progress=fraction, progress_message=message[:200], heartbeat_at=timezone.now())
    )


def _finish(run_id: int, token: str, *, result: dict[str, Any] | None, error: str) -> bool:
    status = RunStatus.DONE if result is not None else RunStatus.FAILED
    with transaction.atomic():
        changed = _mine(run_id, token).update(
            status=status,
            result=result,
            error=error,
            progress=1.0 if result is not None else 0.0,
            progress_message=DONE if result is not None else FAILED,
            heartbeat_at=timezone.now(),
            finished_at=timezone.now(),
        )
        if changed:
            run = SimulationRun.objects.select_related("created_by").get(pk=run_id)
            if run.created_by is not None:
                audit_record(
                    actor=run.created_by,
                    action=AuditAction.SIMULATION_RUN_DONE if result is not None else AuditAction.SIMULATION_RUN_FAILED,
                    obj=run,
                    before={"status": RunStatus.RUNNING},
                    after={"status": status, "error": error[:500]},
                )
    return bool(changed)


class _Superseded(Exception):
    """Another worker took the run over (this one was too slow to beat its heart)."""


def simulation_execute(run_id: int) -> bool:
    """Claim and run one simulation; True when this call completed it (done or failed)."""
    token = simulation_claim(run_id)
    if token is None:
        return False
    run = SimulationRun.objects.get(pk=run_id)

    def progress(fraction: float, message: str) -> None:
        # loading takes the first 5 %, the engine the rest
        if not simulation_progress(run_id=run_id, token=token, fraction=0.05 + 0.9 * fraction, message=message):
            raise _Superseded

    try:
        simulation_progress(run_id=run_id, token=token, fraction=0.0, message=READING)
        catalog = default_catalog()
        reform = load_reform(run.reform_text)
        population = population_load(run.population)
        outcome = simulate(population, catalog, reform, run.years, progress=progress)
        simulation_progress(run_id=run_id, token=token, fraction=0.97, message=SAVING)
        summary = result_summary(outcome, catalog, population)
    except _Superseded:
        logger.warning("simulation %s was picked up by another worker; this one stops", run_id)
        return False
    except ReformError as exc:
        return _finish(run_id, token, result=None, error="; ".join(f"{p.field}: {p.message}" for p in exc.problems))
    except Exception as exc:  # the worker must record every failure on the run, never die silently
        logger.exception("simulation %s failed", run_id)
        error = _("计算出错 (%(kind)s): %(error)s") % {"kind": type(exc).__name__, "error": exc}
        return _finish(run_id, token, result=None, error=error)
    return _finish(run_id, token, result=summary, error="")


def simulation_resume_if_stale(run: SimulationRun) -> bool:
    """Hand a queued run, or a running one whose heartbeat stopped, to a worker again; True when handed."""
    if run.status == RunStatus.QUEUED or (
        run.status == RunStatus.RUNNING
        and (run.heartbeat_at is None or run.heartbeat_at < timezone.now() - stale_after())
    ):
        worker.hand_off(run.pk)
        return True
    return False


def scenario_save(
    *, author: User, name: str, description: str, changes: list[dict[str, str]], scenario: Scenario | None = None
) -> Scenario:
    """Create a scenario (author: the signed-in user) or replace an existing one's name, description and changes."""
    if scenario is None:
        return Scenario.objects.create(author=author, name=name, description=description, changes=changes)
    scenario.name, scenario.description, scenario.changes = name, description, changes
    scenario.save(update_fields=["name", "description", "changes", "updated_at"])
    return scenario


def scenario_reform_text(scenario: Scenario) -> str:
    """The scenario as the reform file a run stores and the worker reads (the same reform, YAML-written)."""
    reform = build_reform(scenario.name, scenario.description, scenario.changes, default_choices())
    return reform_yaml(reform)


def scenario_run_start(
    *,
    scenario: Scenario,
    population: str,
    years: list[int],
    actor: AbstractBaseUser | AnonymousUser | None,
    request: HttpRequest | None = None,
) -> SimulationRun:
    """Start a run of a saved scenario on the background job path (SimulationInputError as simulation_start).

    A scenario saved under an older catalog may name a parameter that no longer exists: that is an input error
    of the scenario ('changes'), never a crash."""
    try:
        reform_text = scenario_reform_text(scenario)
    except (KeyError, AssertionError) as exc:
        raise SimulationInputError([FieldProblem("changes", _("方案中的修改已不适用于现行目录, 请编辑方案"))]) from exc
    return simulation_start(
        population=population, reform_text=reform_text, years=years, actor=actor, request=request, scenario=scenario
    )
