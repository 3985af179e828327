"""Reading jobs, for progress pages and the API: by (name, key) or by primary key."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from jinchuang.tasks.models import STATE_LABELS, Job, JobState


@dataclass(frozen=True)
class JobStatus:
    """What a progress page shows of one job."""

    pk: int
    name: str
    key: str
    state: JobState
    state_label: str | Promise
    progress_done: int
    progress_total: int
    attempts: int
    max_attempts: int
    result: Any
    error: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

    @property
    def percent(self) -> int:
        """Whole percent done (0–100); 100 once done, whatever was reported."""
        if self.state == JobState.DONE:
            return 100
        if self.progress_total <= 0:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)


def _status(job: Job) -> JobStatus:
    state = JobState(job.state)
    return JobStatus(
        pk=job.pk,
        name=job.name,
        key=job.key,
        state=state,
        state_label=STATE_LABELS[state],
        progress_done=job.progress_done,
        progress_total=job.progress_total,
        attempts=job.attempts,
        max_attempts=job.max_attempts,
        result=job.result,
        error=job.error,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
    )


def job_status(name: str, key: str) -> JobStatus | None:
    """The status of the job of task ``name`` for business key ``key``; None if it was never enqueued."""
    job = Job.objects.filter(name=name, key=key).first()
    return _status(job) if job is not None else None


def job_status_by_pk(pk: int) -> JobStatus | None:
    job = Job.objects.filter(pk=pk).first()
    return _status(job) if job is not None else None
