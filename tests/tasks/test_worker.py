"""The worker command: --once in process, and a real worker process stopped by SIGTERM."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connections

from jinchuang.tasks.services import Job, JobState, enqueue

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_worker_once_runs_every_claimable_job_then_exits(settings: Any) -> None:
    settings.JINCHUANG_TASKS_RETRY_SECONDS = 3600
    enqueue("tests.echo", "org-1", {"value": 1})
    enqueue("tests.echo", "org-2", {"value": 2})
    enqueue("tests.boom", "org-3")
    out = io.StringIO()
    call_command("worker", "--once", stdout=out)
    assert "共执行 3 个后台任务" in out.getvalue()
    states = dict(Job.objects.values_list("key", "state"))
    assert states == {"org-1": JobState.DONE, "org-2": JobState.DONE, "org-3": JobState.READY}  # boom waits 1 h


CHILD = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jinchuang.settings")
import django
django.setup()
import tests.tasks.sample_tasks
from django.core.management import call_command
call_command("worker", "--sleep", "0.05", "--name", "child")
"""


def test_a_worker_process_runs_jobs_and_stops_on_sigterm(shared_database: str) -> None:
    job = enqueue("tests.echo", "org-1", {"value": 1})
    connections.close_all()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DATABASE_URL"] = shared_database
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 60
        while Job.objects.get(pk=job.pk).state != JobState.DONE:
            assert child.poll() is None, child.communicate()
            assert time.monotonic() < deadline, "the worker did not run the job"
            time.sleep(0.05)
        connections.close_all()
        assert child.poll() is None  # still polling for more work
        child.send_signal(signal.SIGTERM)
        out, err = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 0, err
    assert "共执行 1 个后台任务" in out
    finished = Job.objects.get(pk=job.pk)
    assert finished.worker == "child" and finished.result == {"echo": 1, "run": 1}
