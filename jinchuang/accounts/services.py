"""Writes for organisations, users and roles. Each runs in one transaction with its audit row."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jinchuang.accounts.models import Organisation, Role, User, UserRole
from jinchuang.audit.actions import AuditAction
from jinchuang.audit.services import audit_record, audit_snapshot
from jinchuang.policy.vocabulary import OrgKind, Valley

Actor = AbstractBaseUser | AnonymousUser | None

REVIEWER_NEEDS_DEPARTMENT = _("部门审核员必须填写所属部门。")
DEPARTMENT_ONLY_FOR_REVIEWER = _("只有部门审核员需要填写所属部门。")


def organisation_create(
    *,
    actor: Actor,
    name: str,
    kind: OrgKind | str,
    valley: Valley | str,
    settled_on: datetime.date | None = None,
    unified_social_credit_code: str = "",
    request: HttpRequest | None = None,
) -> Organisation:
    organisation = Organisation(
        name=name,
        kind=OrgKind(kind),
        valley=Valley(valley),
        settled_on=settled_on,
        unified_social_credit_code=unified_social_credit_code,
    )
    organisation.full_clean()
    with transaction.atomic():
        organisation.save()
        audit_record(
            actor=actor,
            action=AuditAction.ORGANISATION_CREATE,
            obj=organisation,
            before=None,
            after=audit_snapshot(organisation),
            request=request,
        )
    return organisation


def organisation_update(
    *, actor: Actor, organisation: Organisation, data: dict[str, Any], request: HttpRequest | None = None
) -> Organisation:
    allowed = {"name", "kind", "valley", "settled_on", "unified_social_credit_code"}
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(f"organisation_update: unknown fields {sorted(unknown)}")
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        before = audit_snapshot(locked)
        for field, value in data.items():
            setattr(locked, field, value)
        locked.full_clean()
        locked.save(update_fields=[*data.keys()])
        audit_record(
            actor=actor,
            action=AuditAction.ORGANISATION_UPDATE,
            obj=locked,
            before=before,
            after=audit_snapshot(locked),
            request=request,
        )
    return locked


def _validate_role(*, role: Role, department: str) -> None:
    if role == Role.REVIEWER and not department.strip():
        raise ValidationError({"department": REVIEWER_NEEDS_DEPARTMENT})
    if role != Role.REVIEWER and department.strip():
        raise ValidationError({"department": DEPARTMENT_ONLY_FOR_REVIEWER})


def user_create(
    *,
    actor: Actor,
    username: str,
    password: str | None,
    organisation: Organisation | None,
    display_name: str = "",
    phone: str = "",
    email: str = "",
    roles: dict[Role, str] | None = None,
    is_staff: bool = False,
    is_superuser: bool = False,
    request: HttpRequest | None = None,
) -> User:
    """Create a user; ``roles`` maps each role to its department ('' except for reviewers)."""
    user = User(
        username=username,
        display_name=display_name,
        phone=phone,
        email=email,
        organisation=organisation,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.full_clean()
    with transaction.atomic():
        user.save()
        audit_record(
            actor=actor,
            action=AuditAction.USER_CREATE,
            obj=user,
            before=None,
            after=audit_snapshot(user),
            request=request,
        )
        for role, department in (roles or {}).items():
            user_role_grant(actor=actor, user=user, role=role, department=department, request=request)
    return user


def user_role_grant(
    *, actor: Actor, user: User, role: Role | str, department: str = "", request: HttpRequest | None = None
) -> UserRole:
    role = Role(role)
    _validate_role(role=role, department=department)
    with transaction.atomic():
        user_role, created = UserRole.objects.select_for_update().get_or_create(
            user=user, role=role, defaults={"department": department}
        )
        before = None if created else audit_snapshot(user_role)
        if not created and user_role.department != department:
            user_role.department = department
            user_role.save(update_fields=["department"])
        if created or before != audit_snapshot(user_role):
            audit_record(
                actor=actor,
                action=AuditAction.USER_ROLE_GRANT,
                obj=user_role,
                before=before,
                after=audit_snapshot(user_role),
                request=request,
            )
    return user_role


def user_role_revoke(*, actor: Actor, user: User, role: Role | str, request: HttpRequest | None = None) -> bool:
    """Remove a role; returns False when the user did not hold it."""
    role = Role(role)
    with transaction.atomic():
        user_role = UserRole.objects.select_for_update().filter(user=user, role=role).first()
        if user_role is None:
            return False
        before = audit_snapshot(user_role)
        user_role.delete()
        audit_record(
            actor=actor,
            action=AuditAction.USER_ROLE_REVOKE,
            obj=None,
            before=before,
            after=None,
            request=request,
        )
    return True



# One-time phone codes and the SMS outbox are published to the other areas through services
# (e.g. a 公示 objection without an account); see verification.py and sms.py.
from jinchuang.accounts.sms import sms_send as sms_send  # noqa: E402
from jinchuang.accounts.verification import VerificationError as VerificationError  # noqa: E402
from jinchuang.accounts.verification import phone_normalise as phone_normalise  # noqa: E402
from jinchuang.accounts.verification import verification_check as verification_check  # noqa: E402
from jinchuang.accounts.verification import verification_issue as verification_issue  # noqa: E402
