"""The record's background tasks besides imports: telling policy subscribers about a published catalog."""

from __future__ import annotations

from typing import Any

from jinchuang.records import subscriptions
from jinchuang.tasks.models import Job
from jinchuang.tasks.registry import task


@task(subscriptions.NOTIFY_TASK)
def subscriptions_notify_job(job: Job, payload: dict[str, Any]) -> dict[str, Any]:
    """Keyed by the catalog version; every subscription is told at most once per version."""
    return subscriptions.subscriptions_notify()
