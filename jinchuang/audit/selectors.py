"""Reading the audit log."""

from __future__ import annotations

from django.db import models

from jinchuang.audit.models import AuditLog, AuditLogQuerySet


def audit_log_for_object(*, obj: models.Model) -> AuditLogQuerySet:
    return AuditLog.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


def audit_log_by_action(*, action: str) -> AuditLogQuerySet:
    return AuditLog.objects.filter(action=action)
