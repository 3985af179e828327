"""Finance records each instalment paid (date and voucher number); the last one completes payment."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from jinchuang.accounts.models import Role, User
from jinchuang.applications import errors
from jinchuang.applications.errors import ApplicationError, TransitionPermissionDenied
from jinchuang.applications.models import Instalment
from jinchuang.applications.notifications import notify
from jinchuang.applications.permissions import as_user, owners_of, roles_of
from jinchuang.applications.services import application_transition
from jinchuang.applications.workflow import STATE_LABELS, State
from jinchuang.audit.actions import AuditAction
from jinchuang.audit.services import audit_record, audit_snapshot


def instalment_pay(
    *, instalment: Instalment, paid_on: dt.date, voucher_no: str, actor: User, request: HttpRequest | None = None
) -> Instalment:
    user = as_user(actor)
    if user is None or not roles_of(user) & {Role.FINANCE, Role.ADMIN}:
        raise TransitionPermissionDenied(errors.NOT_PERMITTED % {"transition": _("登记拨付")})
    if not voucher_no.strip():
        raise ApplicationError("voucher_no", errors.VOUCHER_REQUIRED, "voucher_required")
    with transaction.atomic():
        row = Instalment.objects.select_for_update().select_related("award__application").get(pk=instalment.pk)
        application = row.award.application
        if application.state != State.PAYMENT_SCHEDULED or row.award.cancelled_at is not None:
            raise ApplicationError(
                "state",
                errors.STATE_FORBIDS,
                "state_forbids",
                {"state": str(STATE_LABELS[State(application.state)]), "transition": _("登记拨付")},
            )
        before = audit_snapshot(row)
        now = timezone.now()
        recorded = Instalment.objects.filter(pk=row.pk, paid_on__isnull=True).update(
            paid_on=paid_on, voucher_no=voucher_no.strip(), paid_by=user, recorded_at=now
        )
        if recorded != 1:
            raise ApplicationError("instalment", errors.ALREADY_PAID, "already_paid")
        row.refresh_from_db()
        audit_record(
            actor=user,
            action=AuditAction.INSTALMENT_PAY,
            obj=row,
            before=before,
            after=audit_snapshot(row),
            request=request,
        )
        notify(
            users=owners_of(application, State.RETURNED),
            text=_("《%(title)s》第%(n)s期 %(amount)s 元已拨付(凭证号 %(voucher)s)")
            % {
                "title": application.title,
                "n": row.sequence,
                "amount": errors.yuan(row.amount_fen),
                "voucher": row.voucher_no,
            },
            application=application,
        )
        if not row.award.instalments.filter(paid_on__isnull=True).exists():
            application_transition(application=application, transition="complete_payment", actor=user, request=request)
    return row
