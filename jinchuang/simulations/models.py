"""A budget simulation run: what was asked (population, reform, years) and what came out."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class RunStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


STATUS_LABELS: dict[str, str] = {  # translated where shown ({% translate run.status_label %})
    RunStatus.QUEUED: gettext_noop("排队中"),
    RunStatus.RUNNING: gettext_noop("计算中"),
    RunStatus.DONE: gettext_noop("已完成"),
    RunStatus.FAILED: gettext_noop("失败"),
}

#: allowed transitions; running → running is a stale run picked up again by another worker
TRANSITIONS: dict[RunStatus, frozenset[RunStatus]] = {
    RunStatus.QUEUED: frozenset({RunStatus.RUNNING}),
    RunStatus.RUNNING: frozenset({RunStatus.RUNNING, RunStatus.DONE, RunStatus.FAILED}),
    RunStatus.DONE: frozenset(),
    RunStatus.FAILED: frozenset(),
}


class SimulationRun(models.Model):
    population = models.CharField(_("人群"), max_length=100)
    reform_text = models.TextField(_("改革方案 (YAML)"))
    reform_name = models.CharField(_("方案名称"), max_length=200)
    first_year = models.PositiveSmallIntegerField(_("起始年份"))
    last_year = models.PositiveSmallIntegerField(_("结束年份"))
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=[(s.value, STATUS_LABELS[s]) for s in RunStatus],
        default=RunStatus.QUEUED.value,
    )
    progress = models.FloatField(_("进度"), default=0.0)
    progress_message = models.CharField(_("进度说明"), max_length=200, blank=True)
    heartbeat_at = models.DateTimeField(_("心跳"), null=True, blank=True)
    claim_token = models.CharField(_("认领标记"), max_length=32, blank=True)
    attempts = models.PositiveIntegerField(_("执行次数"), default=0)
    result: models.JSONField[dict[str, Any] | None] = models.JSONField(_("结果 (金额单位: 分)"), null=True, blank=True)
    error = models.TextField(_("错误"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="simulation_runs"
    )
    scenario = models.ForeignKey(
        "Scenario", null=True, blank=True, on_delete=models.SET_NULL, related_name="runs", verbose_name=_("方案")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("预算模拟")
        verbose_name_plural = _("预算模拟")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__gte=0) & models.Q(progress__lte=1), name="simulation_progress_0_1"
            ),
            models.CheckConstraint(
                condition=models.Q(first_year__lte=models.F("last_year")), name="simulation_years_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.reform_name} ({self.population}, {self.first_year}–{self.last_year})"

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)

    @property
    def percent(self) -> int:
        return round(self.progress * 100)


class Scenario(models.Model):
    """A saved set of changes to the catalog's named parameters (see builder.py), by its author."""

    name = models.CharField(_("方案名称"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="simulation_scenarios", verbose_name=_("作者")
    )
    #: the checked change rows: [{"measure", "parameter" (a plan path or "disable"), "value", "since"}]
    changes: models.JSONField[list[dict[str, str]]] = models.JSONField(_("修改"), default=list)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("模拟方案")
        verbose_name_plural = _("模拟方案")
        ordering = ["-updated_at", "-pk"]

    def __str__(self) -> str:
        return self.name
