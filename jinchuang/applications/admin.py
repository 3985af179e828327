"""Back office: read-only views of the workflow's tables. Changes go through the services (audited)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jinchuang.accounts.models import User
from jinchuang.applications.models import (
    ApiToken,
    Application,
    ApplicationNumberCounter,
    Award,
    DepartmentHead,
    ExpertScore,
    Instalment,
    Material,
    Notification,
    Objection,
    Offer,
    ProgressQueryFailure,
    PublicNotice,
    Quota,
    ServiceAgentAssignment,
)
from jinchuang.applications.tokens import api_token_revoke
from jinchuang.policy.money import format_fen


def money_column(field: str, label: Any) -> Callable[[Any], str]:
    """A list column showing the integer fen ``field`` as 元 with the one formatter ('240,000.00 元'), sortable."""

    @admin.display(description=label, ordering=field)
    def show(obj: Any) -> str:
        value = getattr(obj, field)
        return "—" if value is None else format_fen(int(value))

    show.__name__ = f"{field}_yuan"
    return show


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
        "number",
        "organisation",
        "measure_id",
        "title",
        "state",
        money_column("engine_max_fen", _("计算上限")),
        money_column("approved_amount_fen", _("核定金额")),
        "step_deadline",
    )
    list_filter = ("state", "valley", "lead_department")
    search_fields = ("number", "measure_id", "title", "organisation__name")


@admin.register(Quota)
class QuotaAdmin(ReadOnlyAdmin):
    list_display = (
        "organisation",
        "key",
        "label",
        money_column("limit_fen", _("上限")),
        money_column("used_fen", _("已用")),
    )
    search_fields = ("key", "organisation__name")


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = (
        "application",
        "organisation",
        "measure_id",
        money_column("amount_fen", _("核定金额")),
        "approved_at",
        "cancelled_at",
    )


@admin.register(Instalment)
class InstalmentAdmin(ReadOnlyAdmin):
    list_display = (
        "award",
        "sequence",
        "due_year",
        money_column("amount_fen", _("金额")),
        "paid_on",
        "voucher_no",
    )


for model in (
    Material,
    ExpertScore,
    PublicNotice,
    Objection,
    Notification,
    Offer,
    ServiceAgentAssignment,
    DepartmentHead,
    ApplicationNumberCounter,
    ProgressQueryFailure,  # the 进度查询 rate limit's counter rows; Receipt is not listed: it carries the 查询码
):
    admin.site.register(model, ReadOnlyAdmin)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """API tokens: list and revoke only (a token is created by ``create_api_token``)."""

    list_display = ("prefix", "user", "name", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("prefix", "user__username", "name")
    readonly_fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    exclude = ("token_hash",)
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("吊销所选令牌"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        actor = request.user if isinstance(request.user, User) else None
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(token=token, actor=actor, request=request)
            count += 1
        self.message_user(request, _("已吊销 %(n)d 个令牌") % {"n": count}, messages.SUCCESS)
