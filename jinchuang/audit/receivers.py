"""Login, logout and login failure go to the audit log (Django only reports them through signals)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from jinchuang.audit.actions import AuditAction
from jinchuang.audit.services import audit_record


@receiver(user_logged_in, dispatch_uid="audit_user_logged_in")
def on_user_logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action=AuditAction.LOGIN, obj=user, before=None, after=None, request=request)


@receiver(user_logged_out, dispatch_uid="audit_user_logged_out")
def on_user_logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit_record(
        actor=user,
        action=AuditAction.LOGOUT,
        obj=user if user is not None and user.pk is not None else None,
        before=None,
        after=None,
        request=request,
    )


@receiver(user_login_failed, dispatch_uid="audit_user_login_failed")
def on_user_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # ``credentials`` is already cleansed by Django (the password is replaced by asterisks); we keep
    # only the username that was tried.
    username = str(credentials.get("username", ""))[:150]
    audit_record(
        actor=None,
        action=AuditAction.LOGIN_FAILED,
        obj=None,
        before=None,
        after={"username": username},
        request=request,
    )
