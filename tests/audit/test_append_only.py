"""Audit rows can never be updated or deleted through the application."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import site
from django.test import Client, RequestFactory
from django.urls import reverse

from jinchuang.accounts.models import User
from jinchuang.audit.models import AuditLog, AuditLogImmutableError
from jinchuang.audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def row() -> AuditLog:
    return audit_record(actor=None, action="test.original", obj=None, before=None, after={"n": 1})


def test_save_of_existing_row_is_refused(row: AuditLog) -> None:
    row.action = "test.tampered"
    with pytest.raises(AuditLogImmutableError, match="append-only"):
        row.save()
    row.refresh_from_db()
    assert row.action == "test.original"


def test_queryset_update_is_refused(row: AuditLog) -> None:
    with pytest.raises(AuditLogImmutableError, match=r"QuerySet\.update"):
        AuditLog.objects.filter(pk=row.pk).update(action="test.tampered")
    with pytest.raises(AuditLogImmutableError):
        AuditLog.objects.update(action="test.tampered")
    assert AuditLog.objects.get(pk=row.pk).action == "test.original"


def test_bulk_update_and_update_or_create_are_refused(row: AuditLog) -> None:
    row.action = "test.tampered"
    with pytest.raises(AuditLogImmutableError):
        AuditLog.objects.bulk_update([row], ["action"])
    with pytest.raises(AuditLogImmutableError):
        AuditLog.objects.update_or_create(pk=row.pk, defaults={"action": "test.tampered"})
    assert AuditLog.objects.get(pk=row.pk).action == "test.original"


def test_delete_is_refused(row: AuditLog) -> None:
    with pytest.raises(AuditLogImmutableError, match=r"delete\(\)"):
        row.delete()
    assert AuditLog.objects.filter(pk=row.pk).exists()


def test_queryset_delete_is_refused(row: AuditLog) -> None:
    with pytest.raises(AuditLogImmutableError, match=r"QuerySet\.delete"):
        AuditLog.objects.all().delete()
    with pytest.raises(AuditLogImmutableError):
        AuditLog.objects.filter(pk=row.pk).delete()
    assert AuditLog.objects.filter(pk=row.pk).exists()


def test_new_rows_can_still_be_appended(row: AuditLog) -> None:
    audit_record(actor=None, action="test.second", obj=None, before=None, after=None)
    assert AuditLog.objects.count() == 2


def test_admin_grants_no_add_change_or_delete(admin_user: User, row: AuditLog) -> None:
    model_admin = site._registry[AuditLog]
    request = RequestFactory().get("/")
    request.user = admin_user
    assert model_admin.has_view_permission(request, row)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, row)
    assert not model_admin.has_delete_permission(request, row)


def test_admin_change_post_is_forbidden(admin_client: Client, row: AuditLog) -> None:
    url = reverse("admin:audit_auditlog_change", args=[row.pk])
    assert admin_client.get(url).status_code == 200  # viewable, read-only
    response = admin_client.post(url, {"action": "test.tampered", "actor_username": "x"})
    assert response.status_code == 403
    assert AuditLog.objects.get(pk=row.pk).action == "test.original"


def test_admin_delete_is_forbidden(admin_client: Client, row: AuditLog) -> None:
    url = reverse("admin:audit_auditlog_delete", args=[row.pk])
    assert admin_client.get(url).status_code == 403
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert AuditLog.objects.filter(pk=row.pk).exists()


def test_admin_add_is_forbidden_and_no_bulk_delete_action(admin_client: Client, row: AuditLog) -> None:
    assert admin_client.get(reverse("admin:audit_auditlog_add")).status_code == 403
    changelist = admin_client.get(reverse("admin:audit_auditlog_changelist"))
    assert changelist.status_code == 200
    assert b"delete_selected" not in changelist.content
    response = admin_client.post(
        reverse("admin:audit_auditlog_changelist"),
        {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
    )
    assert AuditLog.objects.filter(pk=row.pk).exists()
    assert response.status_code in {200, 302, 403}
