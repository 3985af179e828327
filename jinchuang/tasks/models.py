"""The one durable job table behind the task interface (ADR 0007)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobState(StrEnum):
    """A job's states: ready → running → done, or back to ready (retry), or failed after max_attempts."""

    READY = "ready"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


STATE_LABELS = {
    JobState.READY: _("待执行"),
    JobState.RUNNING: _("执行中"),
    JobState.DONE: _("已完成"),
    JobState.FAILED: _("已失败"),
}


class Job(models.Model):
    """One run of a registered task for one business key; (name, key) is the job's idempotency."""

    name = models.CharField(_("任务名"), max_length=100)
    key = models.CharField(_("业务键"), max_length=200)
    payload = models.JSONField(_("参数"), default=dict)
    state = models.CharField(
        _("状态"), max_length=10, choices=[(s.value, STATE_LABELS[s]) for s in JobState], default=JobState.READY.value
    )
    attempts = models.PositiveIntegerField(_("已尝试次数"), default=0)
    max_attempts = models.PositiveIntegerField(_("最多尝试次数"), default=3)
    run_after = models.DateTimeField(_("最早执行时间"))
    lease_until = models.DateTimeField(_("租约到期"), null=True, blank=True)
    worker = models.CharField(_("执行进程"), max_length=200, blank=True, default="")
    progress_done = models.PositiveIntegerField(_("已完成量"), default=0)
    progress_total = models.PositiveIntegerField(_("总量"), default=0)
    result: models.JSONField[Any, Any] = models.JSONField(_("结果"), null=True, blank=True)
    error = models.TextField(_("错误"), blank=True, default="")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        constraints = [
            models.UniqueConstraint(fields=["name", "key"], name="tasks_job_name_key_unique"),
            models.CheckConstraint(
                condition=models.Q(state__in=[s.value for s in JobState]), name="tasks_job_state_valid"
            ),
            models.CheckConstraint(condition=models.Q(max_attempts__gte=1), name="tasks_job_max_attempts_positive"),
            models.CheckConstraint(
                condition=models.Q(state="running", lease_until__isnull=False) | ~models.Q(state="running"),
                name="tasks_job_running_has_lease",
            ),
        ]
        indexes = [
            # the claim query: ready jobs by run_after, and running jobs whose lease has passed
            models.Index(fields=["state", "run_after"], name="tasks_job_ready_idx"),
            models.Index(fields=["state", "lease_until"], name="tasks_job_lease_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name}:{self.key} ({self.state})"
