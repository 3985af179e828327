"""Overdue cases are escalated (督办) to the head of the responsible department, once per step."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jinchuang.accounts.models import Role, User
from jinchuang.applications.departments import normalise_department
from jinchuang.applications.models import Application, DepartmentHead
from jinchuang.applications.notifications import notify
from jinchuang.applications.selectors import overdue_applications
from jinchuang.applications.workflow import STATE_LABELS, State
from jinchuang.audit.actions import AuditAction
from jinchuang.audit.services import audit_record, audit_snapshot


def escalation_target(application: Application) -> User | None:
    """The head of the responsible department; else (服务专员 and finance steps, or no head on
    record) the first platform administrator."""
    department = application.responsible_department
    if department:
        head = DepartmentHead.objects.filter(department=normalise_department(department)).first()
        if head is not None:
            return head.user
    return User.objects.filter(roles__role=Role.ADMIN, is_active=True).order_by("pk").first()


def applications_escalate_overdue(*, now: dt.datetime | None = None) -> list[Application]:
    """Mark each overdue, not yet escalated case as escalated and tell the head. Idempotent: a case
    is escalated once per step (entering a new step clears the mark)."""
    now = now or timezone.now()
    escalated: list[Application] = []
    for candidate in overdue_applications(now=now).filter(escalated_at__isnull=True):
        target = escalation_target(candidate)
        with transaction.atomic():
            before = audit_snapshot(candidate)
            marked = Application.objects.filter(
                pk=candidate.pk, state=candidate.state, escalated_at__isnull=True, step_deadline__lt=now
            ).update(escalated_at=now, escalated_to=target)
            if marked != 1:
                continue
            candidate.refresh_from_db()
            audit_record(
                actor=None,
                action=AuditAction.APPLICATION_ESCALATE,
                obj=candidate,
                before=before,
                after=audit_snapshot(candidate),
            )
            if target is not None:
                label = STATE_LABELS[State(candidate.state)]
                due = timezone.localtime(candidate.step_deadline) if candidate.step_deadline else now
                text = _("超时督办: 申报《%(title)s》在“%(step)s”环节已超过办理时限(%(due)s)") % {
                    "title": candidate.title,
                    "step": label,
                    "due": f"{due:%Y-%m-%d %H:%M}",
                }
                notify(users=[target], text=text, application=candidate)
        escalated.append(candidate)
    return escalated
