"""Settings of the task interface, each with its default (read with getattr; settings.py need not name them).

- ``JINCHUANG_TASKS_EAGER`` (default ``False``): ``enqueue`` runs the job in the same process right after
  the enqueuing transaction commits (immediately when there is none). Tests and one-off scripts use it;
  with it a worker process is not needed.
- ``JINCHUANG_TASKS_LEASE_SECONDS`` (default 300): how long a claim holds a job; a running job whose lease
  has passed (its worker was killed) is claimed by another worker. ``report_progress`` extends it.
- ``JINCHUANG_TASKS_RETRY_SECONDS`` (default 30): the first retry waits this long, then 2×, 4× … (at most 1 h).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings


def eager() -> bool:
    return bool(getattr(settings, "JINCHUANG_TASKS_EAGER", False))


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=float(getattr(settings, "JINCHUANG_TASKS_LEASE_SECONDS", 300)))


def retry_base() -> dt.timedelta:
    return dt.timedelta(seconds=float(getattr(settings, "JINCHUANG_TASKS_RETRY_SECONDS", 30)))


MAX_RETRY_DELAY = dt.timedelta(hours=1)
