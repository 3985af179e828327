"""enqueue: one job per (name, key), re-arming with again=True, the caller's transaction, eager mode."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.db import transaction

from jinchuang.audit.actions import AuditAction
from jinchuang.audit.models import AuditLog
from jinchuang.tasks.selectors import job_status
from jinchuang.tasks.services import Job, JobState, TaskError, enqueue, run_pending
from tests.tasks import sample_tasks

pytestmark = pytest.mark.django_db


def test_the_same_key_twice_is_one_job() -> None:
    first = enqueue("tests.echo", "org-1", {"value": 1})
    second = enqueue("tests.echo", "org-1", {"value": 2})
    assert second.pk == first.pk
    assert Job.objects.count() == 1
    assert Job.objects.get().payload == {"value": 1}  # the second enqueue changed nothing
    assert AuditLog.objects.filter(action=AuditAction.TASK_ENQUEUE).count() == 1
    other = enqueue("tests.echo", "org-2", {"value": 3})
    assert other.pk != first.pk
    assert enqueue("tests.boom", "org-1").pk not in (first.pk, other.pk)  # the key is per task name


def test_a_finished_job_runs_once_however_often_it_is_enqueued() -> None:
    enqueue("tests.echo", "org-1", {"value": 1})
    assert run_pending() == 1
    enqueue("tests.echo", "org-1", {"value": 1})
    assert run_pending() == 0
    assert sample_tasks.calls[("tests.echo", "org-1")] == 1


def test_again_rearms_a_finished_job_with_the_new_payload() -> None:
    job = enqueue("tests.echo", "org-1", {"value": 1})
    run_pending()
    again = enqueue("tests.echo", "org-1", {"value": 2}, again=True)
    assert again.pk == job.pk
    assert again.state == JobState.READY and again.attempts == 0 and again.result is None
    run_pending()
    job.refresh_from_db()
    assert job.state == JobState.DONE
    assert job.result == {"echo": 2, "run": 2}
    assert Job.objects.count() == 1
    assert AuditLog.objects.filter(action=AuditAction.TASK_REARM).count() == 1


def test_again_on_a_waiting_job_replaces_its_payload_and_it_still_runs_once() -> None:
    enqueue("tests.echo", "org-1", {"value": 1})
    enqueue("tests.echo", "org-1", {"value": 2}, again=True)
    assert run_pending() == 1
    assert Job.objects.get().result == {"echo": 2, "run": 1}


def test_the_job_rolls_back_with_the_callers_transaction() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue("tests.echo", "org-1")
        raise RuntimeError("业务写入失败")
    assert not Job.objects.exists()
    assert not AuditLog.objects.filter(action=AuditAction.TASK_ENQUEUE).exists()


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("tests.no-such-task", "k", {}), "name"),
        (("tests.echo", "", {}), "key"),
        (("tests.echo", "k" * 201, {}), "key"),
        (("tests.echo", "k", ["not", "an", "object"]), "payload"),
        (("tests.echo", "k", {"when": object()}), "payload"),
    ],
)
def test_bad_input_names_the_argument(args: tuple[Any, ...], field: str) -> None:
    with pytest.raises(TaskError) as caught:
        enqueue(*args)
    assert caught.value.field == field
    assert not Job.objects.exists()


def test_eager_mode_runs_the_job_after_commit(
    settings: Any, django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]]
) -> None:
    settings.JINCHUANG_TASKS_EAGER = True
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = enqueue("tests.echo", "org-1", {"value": 7})
        job.refresh_from_db()
        assert job.state == JobState.READY  # nothing runs before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    status = job_status("tests.echo", "org-1")
    assert status is not None and status.state == JobState.DONE and status.result == {"echo": 7, "run": 1}
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue("tests.echo", "org-1", {"value": 8})  # already done: nothing scheduled
    assert callbacks == []
    assert sample_tasks.calls[("tests.echo", "org-1")] == 1


def test_without_eager_mode_nothing_runs_in_process(
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]],
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue("tests.echo", "org-1")
    assert callbacks == []
    assert Job.objects.get().state == JobState.READY
