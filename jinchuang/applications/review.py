"""Inside a step: experts score, anyone objects during 公示, the department answers objections."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from jinchuang.accounts.models import Role, User
from jinchuang.applications import errors
from jinchuang.applications.errors import ApplicationError, TransitionPermissionDenied
from jinchuang.applications.models import Application, ExpertScore, Objection, ObjectionResolution, PublicNotice
from jinchuang.applications.notifications import notify
from jinchuang.applications.permissions import as_user, in_scope, owners_of, roles_of
from jinchuang.applications.workflow import Scope, State
from jinchuang.audit.actions import AuditAction
from jinchuang.audit.services import audit_record, audit_snapshot


def expert_score_record(
    *,
    application: Application,
    actor: User,
    score: int,
    recommended_amount_fen: int,
    comment: str = "",
    request: HttpRequest | None = None,
) -> ExpertScore:
    """An assigned expert scores (0–100) and recommends an amount within the legal range."""
    user = as_user(actor)
    if user is None or Role.EXPERT not in roles_of(user):
        raise TransitionPermissionDenied(errors.NOT_ASSIGNED)
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 100:
        raise ApplicationError("score", errors.SCORE_RANGE, "score_range")
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        row = ExpertScore.objects.select_for_update().filter(application=locked, expert=user).first()
        if row is None:
            raise TransitionPermissionDenied(errors.NOT_ASSIGNED)
        if locked.state != State.EXPERT_REVIEW:
            raise ApplicationError(
                "state", errors.STATE_FORBIDS, "state_forbids", {"state": locked.state, "transition": "评分"}
            )
        low = locked.review_min_fen if locked.review_min_fen is not None else 0
        high = locked.review_max_fen if locked.review_max_fen is not None else locked.engine_max_fen
        if (
            isinstance(recommended_amount_fen, bool)
            or not isinstance(recommended_amount_fen, int)
            or not low <= recommended_amount_fen <= high
        ):
            params = {"min": errors.yuan(low), "max": errors.yuan(high)}
            raise ApplicationError("recommended_amount_fen", errors.RECOMMENDED_RANGE, "recommended_range", params)
        before = audit_snapshot(row)
        row.score = score
        row.recommended_amount_fen = recommended_amount_fen
        row.comment = comment.strip()
        row.scored_at = timezone.now()
        row.save()
        audit_record(
            actor=user,
            action=AuditAction.EXPERT_SCORE,
            obj=row,
            before=before,
            after=audit_snapshot(row),
            request=request,
        )
        notify(
            users=owners_of(locked, State.EXPERT_REVIEW),
            text=f"专家已评分: 《{locked.title}》 {score} 分, 建议 {errors.yuan(recommended_amount_fen)} 元",
            application=locked,
        )
    return row


def objection_file(
    *, application: Application, actor: User, text: str, request: HttpRequest | None = None
) -> Objection:
    """Any signed-in user may object to an award while it is under 公示."""
    user = as_user(actor)
    if user is None:
        raise TransitionPermissionDenied(errors.NOT_PERMITTED % {"transition": "异议"})
    if not text.strip():
        raise ApplicationError("text", errors.FIELD_REQUIRED, "required")
    now = timezone.now()
    with transaction.atomic():
        notice = PublicNotice.objects.select_related("application").filter(application=application).first()
        if (
            notice is None
            or notice.application.state != State.PUBLIC_NOTICE
            or not notice.starts_at <= now < notice.ends_at
        ):
            raise ApplicationError("notice", errors.NOTICE_NOT_OPEN, "notice_not_open")
        objection = Objection.objects.create(notice=notice, filed_by=user, text=text.strip())
        audit_record(
            actor=user,
            action=AuditAction.OBJECTION_FILE,
            obj=objection,
            before=None,
            after=audit_snapshot(objection),
            request=request,
        )
        notify(
            users=owners_of(notice.application, State.PUBLIC_NOTICE),
            text=f"公示异议: 《{notice.application.title}》",
            application=notice.application,
        )
    return objection


def objection_resolve(
    *, objection: Objection, actor: User, upheld: bool, response: str, request: HttpRequest | None = None
) -> Objection:
    """The lead department (or an administrator) answers; an upheld objection blocks payment until
    the case is rejected through the workflow."""
    user = as_user(actor)
    application = objection.notice.application
    held = roles_of(user) if user is not None else set()
    allowed = user is not None and (
        Role.ADMIN in held
        or (Role.REVIEWER in held and in_scope(user, Role.REVIEWER, Scope.LEAD_DEPARTMENT, application))
    )
    if not allowed or user is None:
        raise TransitionPermissionDenied(errors.NOT_PERMITTED % {"transition": "处理异议"})
    if not response.strip():
        raise ApplicationError("response", errors.FIELD_REQUIRED, "required")
    with transaction.atomic():
        locked = Objection.objects.select_for_update().get(pk=objection.pk)
        before = audit_snapshot(locked)
        locked.resolution = ObjectionResolution.UPHELD if upheld else ObjectionResolution.DISMISSED
        locked.response = response.strip()
        locked.resolved_by = user
        locked.resolved_at = timezone.now()
        locked.save()
        audit_record(
            actor=user,
            action=AuditAction.OBJECTION_RESOLVE,
            obj=locked,
            before=before,
            after=audit_snapshot(locked),
            request=request,
        )
        if locked.filed_by is not None:
            notify(users=[locked.filed_by], text=f"您的公示异议已处理: {locked.response}", application=application)
    return locked
