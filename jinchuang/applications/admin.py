"""Back office: read-only views of the workflow's tables. Changes go through the services (audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from jinchuang.applications.models import (
    Application,
    Award,
    DepartmentHead,
    ExpertScore,
    Instalment,
    Material,
    Notification,
    Objection,
    Offer,
    PublicNotice,
    Quota,
    ServiceAgentAssignment,
)


class ReadOnlyAdmin(admin.ModelAdmin[Model]):
    actions = None

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "organisation",
        "measure_id",
        "title",
        "state",
        "engine_max_fen",
        "approved_amount_fen",
        "step_deadline",
    )
    list_filter = ("state", "valley", "lead_department")
    search_fields = ("measure_id", "title", "organisation__name")


@admin.register(Quota)
class QuotaAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "key", "label", "limit_fen", "used_fen")
    search_fields = ("key", "organisation__name")


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ("application", "organisation", "measure_id", "amount_fen", "approved_at", "cancelled_at")


@admin.register(Instalment)
class InstalmentAdmin(ReadOnlyAdmin):
    list_display = ("award", "sequence", "due_year", "amount_fen", "paid_on", "voucher_no")


for model in (
    Material,
    ExpertScore,
    PublicNotice,
    Objection,
    Notification,
    Offer,
    ServiceAgentAssignment,
    DepartmentHead,
):
    admin.site.register(model, ReadOnlyAdmin)
