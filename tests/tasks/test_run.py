"""claim, leases, retries, failure and progress."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from jinchuang.audit.actions import AuditAction
from jinchuang.audit.models import AuditLog
from jinchuang.tasks.selectors import job_status, job_status_by_pk
from jinchuang.tasks.services import (
    LEASE_LOST_ERROR,
    Job,
    JobState,
    claim,
    enqueue,
    execute,
    report_progress,
    run_one,
    run_pending,
)
from tests.tasks import sample_tasks

pytestmark = pytest.mark.django_db


def _expire(job: Job) -> None:
    Job.objects.filter(pk=job.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))


def test_claim_takes_the_oldest_due_job_and_sets_a_lease() -> None:
    now = timezone.now()
    later = enqueue("tests.echo", "later", run_after=now + dt.timedelta(hours=1))
    second = enqueue("tests.echo", "second", run_after=now - dt.timedelta(minutes=1))
    first = enqueue("tests.echo", "first", run_after=now - dt.timedelta(minutes=2))
    job = claim("A")
    assert job is not None and job.pk == first.pk
    assert job.state == JobState.RUNNING and job.worker == "A" and job.attempts == 1
    assert job.lease_until is not None
    assert dt.timedelta(minutes=4) < job.lease_until - timezone.now() <= dt.timedelta(minutes=5)
    taken = claim("A")
    assert taken is not None and taken.pk == second.pk
    assert claim("A") is None  # 'later' is not due
    assert Job.objects.get(pk=later.pk).state == JobState.READY


def test_a_job_still_leased_is_not_claimed() -> None:
    enqueue("tests.echo", "org-1")
    assert claim("A") is not None
    assert claim("B") is None
    assert run_one("B") is None
    assert sample_tasks.calls[("tests.echo", "org-1")] == 0


def test_a_killed_workers_job_is_finished_exactly_once_by_another() -> None:
    enqueue("tests.echo", "org-1", {"value": 5})
    held_by_a = claim("A")  # A is killed while running it: nothing more happens on A's side
    assert held_by_a is not None
    assert claim("B") is None  # A's lease still holds
    _expire(held_by_a)
    finished = run_one("B")
    assert finished is not None and finished.pk == held_by_a.pk
    assert finished.state == JobState.DONE and finished.worker == "B" and finished.attempts == 2
    assert finished.result == {"echo": 5, "run": 1}
    assert run_one("C") is None  # done, nobody runs it again
    assert sample_tasks.calls[("tests.echo", "org-1")] == 1
    assert AuditLog.objects.filter(action=AuditAction.TASK_DONE).count() == 1


def test_a_worker_that_lost_its_lease_cannot_overwrite_the_outcome() -> None:
    enqueue("tests.echo", "org-1", {"value": 5})
    slow_a = claim("A")
    assert slow_a is not None
    _expire(slow_a)
    assert run_one("B") is not None
    late = execute(slow_a)  # A wakes up and finishes after B
    assert late.state == JobState.DONE and late.worker == "B" and late.result == {"echo": 5, "run": 1}
    assert report_progress(slow_a, 1, 1) is False
    assert AuditLog.objects.filter(action=AuditAction.TASK_DONE).count() == 1


def test_a_failing_job_is_retried_then_failed_with_its_error(settings: Any) -> None:
    settings.JINCHUANG_TASKS_RETRY_SECONDS = 0
    enqueue("tests.boom", "org-1", max_attempts=3)
    assert run_pending() == 3
    job = Job.objects.get()
    assert job.state == JobState.FAILED
    assert job.attempts == 3
    assert "RuntimeError: 第 3 次失败" in job.error
    assert job.finished_at is not None and job.lease_until is None
    assert sample_tasks.calls[("tests.boom", "org-1")] == 3
    assert AuditLog.objects.filter(action=AuditAction.TASK_RETRY).count() == 2
    assert AuditLog.objects.filter(action=AuditAction.TASK_FAIL).count() == 1
    assert run_pending() == 0


def test_a_retry_waits_its_backoff() -> None:
    enqueue("tests.flaky", "org-1", {"succeed_on": 2})
    before = timezone.now()
    job = run_one("A")
    assert job is not None and job.state == JobState.READY and "暂时失败" in job.error
    assert job.run_after >= before + dt.timedelta(seconds=30)
    assert claim("A") is None  # not due yet
    Job.objects.filter(pk=job.pk).update(run_after=timezone.now())
    job = run_one("A")
    assert job is not None and job.state == JobState.DONE and job.result == {"attempt": 2}
    assert job.error == ""


def test_a_job_whose_last_attempt_was_lost_is_failed_not_run_again() -> None:
    enqueue("tests.echo", "org-1", max_attempts=1)
    job = claim("A")
    assert job is not None
    _expire(job)
    assert claim("B") is None
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.error == LEASE_LOST_ERROR
    assert sample_tasks.calls[("tests.echo", "org-1")] == 0


def test_an_unregistered_task_fails_on_its_job_not_in_the_worker(settings: Any) -> None:
    settings.JINCHUANG_TASKS_RETRY_SECONDS = 0
    job = enqueue("tests.echo", "org-1", max_attempts=1)
    Job.objects.filter(pk=job.pk).update(name="tests.gone")  # e.g. a task removed in a newer release
    assert run_pending() == 1
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "tests.gone" in job.error


def test_progress_is_visible_while_running_and_extends_the_lease() -> None:
    enqueue("tests.progress", "org-1", {"total": 4})
    job = claim("A")
    assert job is not None and job.lease_until is not None
    Job.objects.filter(pk=job.pk).update(lease_until=timezone.now() + dt.timedelta(seconds=5))
    job.refresh_from_db()
    assert report_progress(job, 1, 4)
    row = Job.objects.get(pk=job.pk)
    assert (row.progress_done, row.progress_total) == (1, 4)
    assert row.lease_until is not None and row.lease_until > timezone.now() + dt.timedelta(minutes=4)
    status = job_status("tests.progress", "org-1")
    assert status is not None and status.percent == 25 and not status.finished
    done = execute(row)
    assert done.result == {"seen": [1, 2, 3, 4]}
    status = job_status_by_pk(job.pk)
    assert status is not None and status.finished and status.percent == 100
    assert str(status.state_label) == "已完成"
    assert job_status("tests.progress", "nobody") is None
