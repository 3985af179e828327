"""Back office for organisations and users. Every save writes an audit row (admin views are atomic)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Model
from django.forms import BaseModelFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jinchuang.accounts.models import Organisation, SmsMessage, User, UserRole, mask_phone
from jinchuang.audit.actions import AuditAction
from jinchuang.audit.services import audit_record, audit_snapshot


def _audited_save(
    *, request: HttpRequest, obj: Model, change: bool, create_action: str, update_action: str, save: Any
) -> None:
    before = audit_snapshot(type(obj)._default_manager.get(pk=obj.pk)) if change else None
    save()
    audit_record(
        actor=request.user,
        action=update_action if change else create_action,
        obj=obj,
        before=before,
        after=audit_snapshot(obj),
        request=request,
    )


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ("name", "kind", "valley", "settled_on", "unified_social_credit_code")
    list_filter = ("valley", "kind")
    search_fields = ("name", "unified_social_credit_code")
    actions = None

    def save_model(self, request: HttpRequest, obj: Organisation, form: Any, change: bool) -> None:
        _audited_save(
            request=request,
            obj=obj,
            change=change,
            create_action=AuditAction.ORGANISATION_CREATE,
            update_action=AuditAction.ORGANISATION_UPDATE,
            save=lambda: super(OrganisationAdmin, self).save_model(request, obj, form, change),
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Organisations are referenced by users and, later, by applications: never deleted here.
        return False


class UserRoleInline(admin.TabularInline[UserRole, User]):
    model = UserRole
    extra = 0
    fields = ("role", "department", "granted_at")
    readonly_fields = ("granted_at",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    list_display = ("username", "display_name", "organisation", "masked_phone_display", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "roles__role", "organisation__valley")
    search_fields = ("username", "display_name", "email", "organisation__name")
    list_select_related = ("organisation",)
    inlines = (UserRoleInline,)
    actions = None
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("display_name", "phone", "email", "organisation")}),
        (_("权限"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "display_name", "organisation", "password1", "password2"),
            },
        ),
    )

    @admin.display(description=_("手机号码"))
    def masked_phone_display(self, obj: User) -> str:
        return obj.masked_phone

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        _audited_save(
            request=request,
            obj=obj,
            change=change,
            create_action=AuditAction.USER_CREATE,
            update_action=AuditAction.USER_UPDATE,
            save=lambda: super(UserAdmin, self).save_model(request, obj, form, change),
        )

    def save_formset(
        self, request: HttpRequest, form: ModelForm[Any], formset: BaseModelFormSet[Any, Any], change: bool
    ) -> None:
        if formset.model is not UserRole:
            super().save_formset(request, form, formset, change)
            return
        before = {id(f.instance): audit_snapshot(f.instance) for f in formset.forms if f.instance.pk is not None}
        deleted = [audit_snapshot(f.instance) for f in formset.deleted_forms if f.instance.pk is not None]
        super().save_formset(request, form, formset, change)
        for snapshot in deleted:
            audit_record(
                actor=request.user,
                action=AuditAction.USER_ROLE_REVOKE,
                obj=None,
                before=snapshot,
                after=None,
                request=request,
            )
        for instance in formset.new_objects:
            audit_record(
                actor=request.user,
                action=AuditAction.USER_ROLE_GRANT,
                obj=instance,
                before=None,
                after=audit_snapshot(instance),
                request=request,
            )
        for instance, _changed in formset.changed_objects:
            audit_record(
                actor=request.user,
                action=AuditAction.USER_ROLE_GRANT,
                obj=instance,
                before=before.get(id(instance)),
                after=audit_snapshot(instance),
                request=request,
            )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Users who acted are referenced by the audit log: deactivate them (is_active) instead.
        return False


@admin.register(SmsMessage)
class SmsMessageAdmin(admin.ModelAdmin[SmsMessage]):
    """The SMS outbox, read only: no SMS gateway is connected, so this is where sent texts are read."""

    list_display = ("created_at", "masked", "purpose", "state", "backend")
    list_filter = ("state",)
    readonly_fields = ("phone", "text", "purpose", "state", "created_at", "sent_at", "backend")

    @admin.display(description=_("手机号码"))
    def masked(self, obj: SmsMessage) -> str:
        return mask_phone(obj.phone)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: SmsMessage | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: SmsMessage | None = None) -> bool:
        return False
