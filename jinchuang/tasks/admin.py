from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jinchuang.tasks.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin[Job]):
    """Read-only: jobs change only through the task interface (jinchuang/tasks/services.py)."""

    list_display = ("id", "name", "key", "state", "attempts", "progress_done", "progress_total", "run_after", "worker")
    list_filter = ("state", "name")
    search_fields = ("name", "key")
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
