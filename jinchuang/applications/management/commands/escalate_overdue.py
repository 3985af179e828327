"""Escalate overdue cases to their department head (idempotent: run it from cron as often as you like)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jinchuang.applications.escalation import applications_escalate_overdue


class Command(BaseCommand):
    help = "超时督办: mark overdue applications escalated and notify the department head (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        escalated = applications_escalate_overdue()
        self.stdout.write(f"escalated {len(escalated)}")
