"""Tasks registered for the tests of the task interface (imported by conftest.py and by worker children)."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

from jinchuang.tasks.services import Job, report_progress, task

#: how many times each (task, key) ran, across threads of this process
calls: Counter[tuple[str, str]] = Counter()
_lock = threading.Lock()


def _count(job: Job) -> int:
    with _lock:
        calls[(job.name, job.key)] += 1
        return calls[(job.name, job.key)]


@task("tests.echo")
def echo(job: Job, payload: dict[str, Any]) -> dict[str, Any]:
    n = _count(job)
    return {"echo": payload.get("value"), "run": n}


@task("tests.boom")
def boom(job: Job, payload: dict[str, Any]) -> None:
    _count(job)
    raise RuntimeError(f"第 {job.attempts} 次失败")


@task("tests.flaky")
def flaky(job: Job, payload: dict[str, Any]) -> dict[str, Any]:
    """Fails until attempt ``payload["succeed_on"]``."""
    _count(job)
    if job.attempts < int(payload["succeed_on"]):
        raise RuntimeError("暂时失败")
    return {"attempt": job.attempts}


@task("tests.progress")
def progress(job: Job, payload: dict[str, Any]) -> dict[str, Any]:
    _count(job)
    total = int(payload["total"])
    seen = []
    for done in range(1, total + 1):
        report_progress(job, done, total)
        seen.append(Job.objects.get(pk=job.pk).progress_done)  # visible in the table while it runs
    return {"seen": seen}
