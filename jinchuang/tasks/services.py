"""The task interface: enqueue, claim, run, report progress (ADR 0007).

One durable table (``Job``), the same SQL on SQLite and PostgreSQL:

- ``enqueue`` inserts a row inside the caller's transaction (no ``on_commit``): the job becomes visible
  to workers exactly when the business change that asked for it commits, and vanishes with it on a
  rollback. (name, key) is unique, so a second enqueue of the same key returns the existing job.
- ``claim`` takes a job with a conditional UPDATE on the state, lease and attempts it read, so two
  workers never both hold one; a running job whose lease has passed (its worker was killed) is
  claimable again.
- ``execute`` runs the registered function outside any transaction (its progress must be visible while
  it runs) and records the outcome only if this worker still holds the lease: a worker that lost its
  lease cannot overwrite the outcome of the worker that took over. Tasks are therefore idempotent
  for their key: a job whose worker died is run again from the start.

Every state change (enqueue, re-arm, claim, done, retry, fail) writes an audit row in its transaction;
progress reports are not state changes and are not audited.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import traceback
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from jinchuang.audit.actions import AuditAction
from jinchuang.audit.services import audit_record
from jinchuang.tasks import conf
from jinchuang.tasks.models import Job, JobState
from jinchuang.tasks.registry import TaskFunction, get_task, task

# ``task``, ``Job`` and ``JobState`` are re-exported: business areas register and type their tasks with
# ``from jinchuang.tasks.services import Job, task`` (services and selectors are the area's public face).
__all__ = [
    "Job",
    "JobState",
    "TaskError",
    "TaskFunction",
    "claim",
    "default_worker_name",
    "enqueue",
    "execute",
    "report_progress",
    "run_one",
    "run_pending",
    "task",
]

logger = logging.getLogger(__name__)

#: how many candidates one claim query looks at before querying again
CLAIM_BATCH = 20
#: the longest error text kept on a job
MAX_ERROR_CHARS = 4000

LEASE_LOST_ERROR = gettext_noop("执行进程失联, 租约已过期, 且已达最多尝试次数")
UNREGISTERED_ERROR = gettext_noop("未注册的后台任务 {name}")


class TaskError(ValueError):
    """Bad input to ``enqueue`` or ``report_progress``; ``field`` names the argument."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def default_worker_name(prefix: str = "worker") -> str:
    """``<prefix>:<host>:<pid>``: who holds a lease, as the admin and the logs show it."""
    return f"{prefix}:{socket.gethostname()}:{os.getpid()}"


def _summary(job: Job) -> dict[str, Any]:
    return {
        "name": job.name,
        "key": job.key,
        "state": job.state,
        "attempts": job.attempts,
        "worker": job.worker,
        "error": job.error[:200],
    }


def _audit(action: AuditAction, job: Job, before: dict[str, Any] | None) -> None:
    audit_record(actor=None, action=action, obj=job, before=before, after=_summary(job))


def _validate(name: str, key: str, payload: Any, max_attempts: int) -> None:
    if get_task(name) is None:
        raise TaskError("name", gettext(UNREGISTERED_ERROR).format(name=name))
    if not isinstance(key, str) or not key or len(key) > 200:
        raise TaskError("key", gettext("业务键必须是 1 至 200 个字符"))
    if not isinstance(payload, dict):
        raise TaskError("payload", gettext("任务参数必须是 JSON 对象"))
    try:
        json.dumps(payload)
    except (TypeError, ValueError) as exc:
        raise TaskError("payload", gettext("任务参数无法写成 JSON: {error}").format(error=exc)) from exc
    if max_attempts < 1:
        raise TaskError("max_attempts", gettext("最多尝试次数至少为 1"))


def enqueue(
    name: str,
    key: str,
    payload: dict[str, Any] | None = None,
    *,
    run_after: Any = None,
    again: bool = False,
    max_attempts: int = 3,
) -> Job:
    """The job of task ``name`` for business key ``key``, created if it does not exist yet.

    A second enqueue of the same (name, key) creates nothing and returns the existing job. With
    ``again=True`` a finished job (done or failed) is re-armed: ready, the new payload, attempts reset;
    a job still waiting to run takes the new payload; a running job is returned unchanged (it is
    already running; enqueue again once it has finished if the new data must be seen).

    Call it inside the business transaction that makes the job necessary: the row commits with it.
    With ``JINCHUANG_TASKS_EAGER`` the job is run in this process right after that commit.
    """
    payload = {} if payload is None else payload
    _validate(name, key, payload, max_attempts)
    now = timezone.now()
    when = run_after or now
    armed = False
    with transaction.atomic():
        try:
            with transaction.atomic():
                job = Job.objects.create(name=name, key=key, payload=payload, run_after=when, max_attempts=max_attempts)
        except IntegrityError:
            existing = Job.objects.filter(name=name, key=key).first()
            if existing is None:  # not the (name, key) constraint
                raise
            job = existing
            if again:
                armed = _rearm(job, payload, when)
        else:
            armed = True
            _audit(AuditAction.TASK_ENQUEUE, job, None)
    if armed and conf.eager():
        pk = job.pk
        transaction.on_commit(lambda: _run_eagerly(pk))
    return job


def _rearm(job: Job, payload: dict[str, Any], when: Any) -> bool:
    before = _summary(job)
    finished = Job.objects.filter(pk=job.pk, state__in=[JobState.DONE, JobState.FAILED]).update(
        state=JobState.READY,
        payload=payload,
        attempts=0,
        run_after=when,
        lease_until=None,
        worker="",
        progress_done=0,
        progress_total=0,
        result=None,
        error="",
        started_at=None,
        finished_at=None,
    )
    if not finished:
        finished = Job.objects.filter(pk=job.pk, state=JobState.READY).update(payload=payload)
    job.refresh_from_db()
    if finished:
        _audit(AuditAction.TASK_REARM, job, before)
    return bool(finished)


def _claimable(now: Any) -> Q:
    return Q(state=JobState.READY, run_after__lte=now) | Q(state=JobState.RUNNING, lease_until__lt=now)


def _take(candidate: Job, worker: str, lease: Any) -> Job | None:
    """Take ``candidate`` if nobody changed it since it was read (one conditional UPDATE)."""
    now = timezone.now()
    unchanged = Job.objects.filter(
        pk=candidate.pk, state=candidate.state, lease_until=candidate.lease_until, attempts=candidate.attempts
    )
    before = _summary(candidate)
    with transaction.atomic():
        if candidate.state == JobState.RUNNING and candidate.attempts >= candidate.max_attempts:
            # its last worker died holding its last attempt: failed, not run a (max_attempts + 1)th time
            if unchanged.update(
                state=JobState.FAILED, lease_until=None, error=gettext(LEASE_LOST_ERROR), finished_at=now
            ):
                candidate.refresh_from_db()
                _audit(AuditAction.TASK_FAIL, candidate, before)
            return None
        taken = unchanged.update(
            state=JobState.RUNNING,
            worker=worker,
            lease_until=now + (lease or conf.lease()),
            attempts=F("attempts") + 1,
            started_at=now,
        )
        if taken != 1:
            return None
        job = Job.objects.get(pk=candidate.pk)
        _audit(AuditAction.TASK_CLAIM, job, before)
    return job


def claim(worker: str, *, lease: Any = None) -> Job | None:
    """Take the oldest claimable job for ``worker``: ready and due, or running with an expired lease.

    ``lease`` (a timedelta, default ``JINCHUANG_TASKS_LEASE_SECONDS``) is how long the claim holds.
    None when nothing is claimable.
    """
    while True:
        candidates = list(Job.objects.filter(_claimable(timezone.now())).order_by("run_after", "pk")[:CLAIM_BATCH])
        if not candidates:
            return None
        for candidate in candidates:
            job = _take(candidate, worker, lease)
            if job is not None:
                return job
        # every candidate was taken by another worker (or failed for good) meanwhile: look again


def _held(job: Job) -> QuerySet[Job]:
    """The job's row, only while ``job``'s worker still holds this attempt."""
    return Job.objects.filter(pk=job.pk, state=JobState.RUNNING, worker=job.worker, attempts=job.attempts)


def _retry_delay(attempts: int) -> Any:
    delay = conf.retry_base() * (2 ** max(attempts - 1, 0))
    return min(delay, conf.MAX_RETRY_DELAY)


def _error_text(exc: BaseException) -> str:
    text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    tail = "".join(traceback.format_tb(exc.__traceback__)[-3:])
    return f"{text}\n{tail}"[:MAX_ERROR_CHARS]


def execute(job: Job) -> Job:
    """Run the claimed ``job``'s function and record done / retry / failed (never raises for the task's error)."""
    fn = get_task(job.name)
    result: dict[str, Any] | None = None
    error = ""
    if fn is None:
        error = gettext(UNREGISTERED_ERROR).format(name=job.name)
    else:
        try:
            # a job has no request: what it writes for people (notifications, reports) is in the platform's
            # language, whatever language the process last served a page in
            with translation.override(settings.LANGUAGE_CODE):
                result = fn(job, dict(job.payload))
            if result is not None and not isinstance(result, dict):
                raise TypeError(f"任务 {job.name} 的结果必须是字典或 None, 得到 {type(result).__name__}")
            json.dumps(result)
        except Exception as exc:  # a task's error is recorded on its job, never raised into the worker
            logger.exception("task %s key %s attempt %s failed", job.name, job.key, job.attempts)
            error = _error_text(exc)
            result = None
    before = _summary(job)
    now = timezone.now()
    with transaction.atomic():
        if not error:
            changed = _held(job).update(state=JobState.DONE, result=result, error="", lease_until=None, finished_at=now)
            action = AuditAction.TASK_DONE
        elif job.attempts >= job.max_attempts:
            changed = _held(job).update(state=JobState.FAILED, error=error, lease_until=None, finished_at=now)
            action = AuditAction.TASK_FAIL
        else:
            changed = _held(job).update(
                state=JobState.READY, error=error, lease_until=None, run_after=now + _retry_delay(job.attempts)
            )
            action = AuditAction.TASK_RETRY
        job.refresh_from_db()
        if changed:
            _audit(action, job, before)
    if not changed:
        logger.warning("task %s key %s: lease lost by %s; outcome discarded", job.name, job.key, before["worker"])
    return job


def report_progress(job: Job, done: int, total: int, *, lease: Any = None) -> bool:
    """Record ``done`` of ``total`` on the running ``job`` and extend its lease (one quick UPDATE).

    False when the worker no longer holds the job (its lease passed and another worker took it): the
    task may stop early, its outcome would be discarded anyway.
    """
    if done < 0:
        raise TaskError("done", gettext("已完成量不能为负数"))
    if total < 0:
        raise TaskError("total", gettext("总量不能为负数"))
    until = timezone.now() + (lease or conf.lease())
    held = _held(job).update(progress_done=done, progress_total=total, lease_until=until) == 1
    if held:
        job.progress_done, job.progress_total, job.lease_until = done, total, until
    return held


def run_one(worker: str, *, lease: Any = None) -> Job | None:
    """Claim one job and run it; the job as it ended, or None when nothing was claimable."""
    job = claim(worker, lease=lease)
    return execute(job) if job is not None else None


def run_pending(limit: int | None = None, *, worker: str | None = None) -> int:
    """Run jobs until none is claimable (or ``limit`` have run); how many ran. The synchronous path."""
    name = worker or default_worker_name("sync")
    ran = 0
    while limit is None or ran < limit:
        if run_one(name) is None:
            break
        ran += 1
    return ran


def _run_eagerly(pk: int) -> None:
    """``JINCHUANG_TASKS_EAGER``: one attempt of job ``pk`` now, if it is due and nobody else holds it."""
    candidate = Job.objects.filter(_claimable(timezone.now()), pk=pk).first()
    if candidate is None:
        return
    job = _take(candidate, default_worker_name("eager"), None)
    if job is not None:
        execute(job)
