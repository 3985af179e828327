"""Writing the audit log. Every state change calls :func:`audit_record` inside its transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.http import HttpRequest

from jinchuang.audit.models import AuditLog

# Fields never written to the audit log, whatever the model.
SECRET_FIELDS = frozenset({"password"})


def _mask(value: str) -> str:
    if len(value) <= 7:
        return "*" * len(value)
    return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}"


def audit_snapshot(obj: models.Model) -> dict[str, Any]:
    """A JSON-ready dict of the concrete fields of ``obj``.

    Passwords are left out; fields the model lists in ``audit_masked_fields`` (personal data such as
    phone numbers) are recorded masked.
    """
    masked: tuple[str, ...] = tuple(getattr(obj, "audit_masked_fields", ()))
    encoder = DjangoJSONEncoder()
    snapshot: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in SECRET_FIELDS:
            continue
        value = field.value_from_object(obj)
        if field.name in masked and isinstance(value, str):
            value = _mask(value)
        if value is not None and not isinstance(value, str | int | float | bool | list | dict):
            value = encoder.default(value)
        snapshot[field.attname] = value
    return snapshot


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address as Django sees it (REMOTE_ADDR; a trusted proxy must set it)."""
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR")
    return str(address) if address else None


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    obj: models.Model | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    request: HttpRequest | None = None,
) -> AuditLog:
    """Append one row to the audit log.

    Called inside the caller's ``transaction.atomic`` block, so the row commits or rolls back
    together with the change it describes.
    """
    real_actor = actor if isinstance(actor, AbstractBaseUser) and actor.pk is not None else None
    with transaction.atomic():
        return AuditLog.objects.create(
            actor_id=real_actor.pk if real_actor is not None else None,
            actor_username=real_actor.get_username() if real_actor is not None else "",
            action=action,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
            before=before,
            after=after,
            ip_address=client_ip(request),
        )
