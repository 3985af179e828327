"""Racing threads: one job per key however many enqueue it at once; one holder however many claim it.

Real transactions on a database the threads share (a file on SQLite), so these also run on PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections

from jinchuang.tasks.services import Job, JobState, claim, enqueue, run_pending
from tests.tasks import sample_tasks

CONTENDERS = 12


def _race(action: Callable[[int], Any]) -> list[Any]:
    barrier = threading.Barrier(CONTENDERS)
    outcomes: list[Any] = []
    lock = threading.Lock()

    def contender(n: int) -> None:
        try:
            barrier.wait(timeout=60)
            try:
                outcome = action(n)
            except Exception as exc:  # pragma: no cover - reported by the assertions
                outcome = f"error: {type(exc).__name__}: {exc}"
            with lock:
                outcomes.append(outcome)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=contender, args=(n,)) for n in range(CONTENDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(outcomes) == CONTENDERS
    return outcomes


def test_threads_enqueueing_one_key_make_one_job(shared_database: str) -> None:
    outcomes = _race(lambda n: enqueue("tests.echo", "org-1", {"value": n}).pk)
    assert not [o for o in outcomes if isinstance(o, str)], outcomes
    assert len(set(outcomes)) == 1
    assert Job.objects.filter(name="tests.echo", key="org-1").count() == 1
    assert run_pending() == 1
    assert sample_tasks.calls[("tests.echo", "org-1")] == 1


def test_threads_claiming_one_job_give_it_to_one_worker(shared_database: str) -> None:
    job = enqueue("tests.echo", "org-1")
    outcomes = _race(lambda n: (lambda j: j.worker if j is not None else None)(claim(f"worker-{n}")))
    assert not [o for o in outcomes if isinstance(o, str) and o.startswith("error")], outcomes
    holders = [o for o in outcomes if o is not None]
    assert len(holders) == 1, outcomes
    job.refresh_from_db()
    assert job.state == JobState.RUNNING and job.worker == holders[0] and job.attempts == 1
