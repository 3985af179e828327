"""Inside a step: experts declare 回避 and score on the rubric, anyone objects during 公示 (with an account,
or by name and a phone verified with a one-time code), the department answers objections."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jinchuang.accounts.models import Role, User
from jinchuang.accounts.services import phone_normalise, sms_send, verification_check, verification_issue
from jinchuang.applications import engine, errors
from jinchuang.applications.errors import ApplicationError, TransitionPermissionDenied
from jinchuang.applications.models import Application, ExpertScore, Objection, ObjectionResolution, PublicNotice
from jinchuang.applications.notifications import notify
from jinchuang.applications.permissions import as_user, in_scope, owners_of, roles_of
from jinchuang.applications.rubric import Rubric, rubric_for_category
from jinchuang.applications.workflow import STATE_LABELS, Scope, State
from jinchuang.audit.actions import AuditAction
from jinchuang.audit.services import audit_record, audit_snapshot

NOT_DECLARED = _("请先勾选回避声明(与该申报无利益冲突)后再评分")
RECUSED = _("您已声明回避, 不再评审该申报")
CRITERION_REQUIRED = _("请为“%(label)s”打分")
CRITERION_RANGE = _("“%(label)s”的得分须为0到%(max)s之间的整数")
NAME_REQUIRED = _("请填写姓名")
NAME_TOO_LONG = _("姓名最多64个字")
TEXT_REQUIRED = _("请填写异议理由")
OBJECTION_PURPOSE = _("公示异议")
ADD_EXPERTS = _("增派评审专家")
RECUSAL_RULE = _(
    "本人承诺: 与该申报单位及其负责人不存在近亲属、任职、持股、合作或其他可能影响公正评审的利害关系; "
    "如存在, 将主动申请回避。"
)


def application_rubric(application: Application) -> Rubric:
    """The rubric of the application's measure (by its category in the catalog; default otherwise)."""
    found = engine.catalog_measure(application.measure_id)
    return rubric_for_category(found[1].category if found is not None else "")


def rubric_points_check(rubric: Rubric, raw: Mapping[str, object]) -> dict[str, int]:
    """The points per criterion, each an integer from 0 to its weight; every problem is named by its
    criterion's field (``criterion_<key>``) in one ValidationError, so a form shows them all at once."""
    points: dict[str, int] = {}
    problems: dict[str, list[ValidationError]] = {}
    for criterion in rubric.criteria:
        field = f"criterion_{criterion.key}"
        value = raw.get(criterion.key)
        if isinstance(value, str):
            value = value.strip()
            if value == "":
                value = None
            elif value.isdigit():
                value = int(value)
        if value is None:
            problems[field] = [ValidationError(CRITERION_REQUIRED, code="required", params={"label": criterion.label})]
        elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= criterion.weight:
            params = {"label": criterion.label, "max": criterion.weight}
            problems[field] = [ValidationError(CRITERION_RANGE, code="criterion_range", params=params)]
        else:
            points[criterion.key] = value
    if problems:
        raise ValidationError(problems)
    return points


def _assigned_row(application: Application, user: User) -> tuple[Application, ExpertScore]:
    """Inside a transaction: the case locked in 专家评审 and the expert's own live assignment."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    row = ExpertScore.objects.select_for_update().filter(application=locked, expert=user).first()
    if row is None:
        raise TransitionPermissionDenied(errors.NOT_ASSIGNED)
    if row.recused_at is not None:
        raise TransitionPermissionDenied(RECUSED)
    if locked.state != State.EXPERT_REVIEW:
        raise ApplicationError(
            "state",
            errors.STATE_FORBIDS,
            "state_forbids",
            {"state": STATE_LABELS[State(locked.state)], "transition": _("评分")},
        )
    return locked, row


def _expert(actor: User) -> User:
    user = as_user(actor)
    if user is None or Role.EXPERT not in roles_of(user):
        raise TransitionPermissionDenied(errors.NOT_ASSIGNED)
    return user


def expert_declare(
    *, application: Application, actor: User, conflict: bool, request: HttpRequest | None = None
) -> ExpertScore:
    """回避声明 before scoring: no conflict of interest (the scoring form opens), or a conflict (回避:
    the expert leaves the case; the lead department is told to assign another expert)."""
    user = _expert(actor)
    now = timezone.now()
    with transaction.atomic():
        locked, row = _assigned_row(application, user)
        before = audit_snapshot(row)
        row.declared_at = row.declared_at or now
        if conflict:
            row.recused_at = now
        row.save(update_fields=["declared_at", "recused_at"])
        audit_record(
            actor=user,
            action=AuditAction.EXPERT_RECUSE if conflict else AuditAction.EXPERT_DECLARE,
            obj=row,
            before=before,
            after=audit_snapshot(row),
            request=request,
        )
        if conflict:
            notify(
                users=owners_of(locked, State.EXPERT_REVIEW),
                text=gettext("评审专家申请回避: 《%(title)s》, 请增派评审专家") % {"title": locked.title},
                application=locked,
            )
    return row


def expert_score_record(
    *,
    application: Application,
    actor: User,
    recommended_amount_fen: int,
    comment: str = "",
    score: int | None = None,
    criteria: Mapping[str, object] | None = None,
    request: HttpRequest | None = None,
) -> ExpertScore:
    """An assigned expert scores and recommends an amount within the legal range.

    The expert must have declared no conflict first (回避声明, ``expert_declare``). With ``criteria`` (the
    pages, and the API when given): each criterion of the measure's rubric gets 0..its weight and the score
    is their sum, computed here. Without it (an API client that sends a total): ``score`` is the total, 0–100.
    """
    user = _expert(actor)
    rubric = application_rubric(application) if criteria is not None else None
    points = rubric_points_check(rubric, criteria) if rubric is not None and criteria is not None else {}
    if rubric is not None:
        score = rubric.total(points)
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 100:
        raise ApplicationError("score", errors.SCORE_RANGE, "score_range")
    with transaction.atomic():
        locked, row = _assigned_row(application, user)
        if row.declared_at is None:  # 回避声明 first, on the pages and through the API alike
            raise ApplicationError("no_conflict", NOT_DECLARED, "not_declared")
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
        row.rubric = rubric.key if rubric is not None else ""
        row.criteria_scores = points
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
            text=gettext("专家已评分: 《%(title)s》 %(score)s 分, 建议 %(amount)s 元")
            % {"title": locked.title, "score": score, "amount": errors.yuan(recommended_amount_fen)},
            application=locked,
        )
    return row


def experts_add(
    *, application: Application, actor: User, experts: Iterable[User], request: HttpRequest | None = None
) -> list[ExpertScore]:
    """The lead department adds experts to a case in 专家评审 (e.g. after a 回避); one who recused stays off."""
    user = as_user(actor)
    held = roles_of(user) if user is not None else set()
    if user is None or not (
        Role.ADMIN in held
        or (Role.REVIEWER in held and in_scope(user, Role.REVIEWER, Scope.LEAD_DEPARTMENT, application))
    ):
        raise TransitionPermissionDenied(errors.NOT_PERMITTED % {"transition": ADD_EXPERTS})
    chosen = list(experts)
    if not chosen:
        raise ApplicationError("experts", errors.FIELD_REQUIRED, "required")
    for expert in chosen:
        if Role.EXPERT not in roles_of(expert):
            raise ApplicationError("experts", errors.NOT_AN_EXPERT, "not_an_expert", {"user": str(expert)})
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.state != State.EXPERT_REVIEW:
            raise ApplicationError(
                "state",
                errors.STATE_FORBIDS,
                "state_forbids",
                {"state": STATE_LABELS[State(locked.state)], "transition": ADD_EXPERTS},
            )
        rows = []
        for expert in chosen:
            row, created = ExpertScore.objects.get_or_create(application=locked, expert=expert)
            if created:
                audit_record(
                    actor=user,
                    action=AuditAction.EXPERT_ASSIGN,
                    obj=row,
                    before=None,
                    after=audit_snapshot(row),
                    request=request,
                )
                rows.append(row)
        notify(
            users=[r.expert for r in rows],
            text=gettext("请评审申报《%(title)s》(%(citation)s)")
            % {"title": locked.title, "citation": locked.citation},
            application=locked,
        )
    return rows


def _open_notice(application: Application) -> PublicNotice:
    now = timezone.now()
    notice = PublicNotice.objects.select_related("application").filter(application=application).first()
    if (
        notice is None
        or notice.application.state != State.PUBLIC_NOTICE
        or not notice.starts_at <= now < notice.ends_at
    ):
        raise ApplicationError("notice", errors.NOTICE_NOT_OPEN, "notice_not_open")
    return notice


def _objection_create(
    *, notice: PublicNotice, user: User | None, name: str, phone: str, text: str, request: HttpRequest | None
) -> Objection:
    objection = Objection.objects.create(
        notice=notice, filed_by=user, objector_name=name, objector_phone=phone, text=text
    )
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
        text=gettext("公示异议: 《%(title)s》") % {"title": notice.application.title},
        application=notice.application,
    )
    return objection


def objection_file(
    *, application: Application, actor: User, text: str, request: HttpRequest | None = None
) -> Objection:
    """Any signed-in user may object to an award while it is under 公示."""
    user = as_user(actor)
    if user is None:
        raise TransitionPermissionDenied(errors.NOT_PERMITTED % {"transition": _("异议")})
    if not text.strip():
        raise ApplicationError("text", errors.FIELD_REQUIRED, "required")
    with transaction.atomic():
        notice = _open_notice(application)
        return _objection_create(notice=notice, user=user, name="", phone="", text=text.strip(), request=request)


def _objector_fields(name: str, phone: str, text: str) -> tuple[str, str, str]:
    """Name, phone and reason of an objection without an account, every problem named by its field."""
    problems: dict[str, list[ValidationError]] = {}
    name, text = (name or "").strip(), (text or "").strip()
    if not name:
        problems["name"] = [ValidationError(NAME_REQUIRED, code="required")]
    elif len(name) > 64:
        problems["name"] = [ValidationError(NAME_TOO_LONG, code="too_long")]
    try:
        phone = phone_normalise(phone)
    except ValidationError as exc:
        problems["phone"] = exc.error_dict["phone"]
    if not text:
        problems["text"] = [ValidationError(TEXT_REQUIRED, code="required")]
    if problems:
        raise ValidationError(problems)
    return name, phone, text


def objection_purpose(notice: PublicNotice) -> str:
    return f"objection:{notice.pk}"


def objection_code_send(*, application: Application, name: str, phone: str, text: str, ip: str | None = None) -> str:
    """Step 1 of an objection without an account: check the form, send a one-time code to the phone.
    Returns the phone (normalised). Says nothing about whether the phone belongs to an account."""
    name, phone, text = _objector_fields(name, phone, text)
    notice = _open_notice(application)
    verification_issue(phone=phone, purpose=objection_purpose(notice), purpose_label=str(OBJECTION_PURPOSE), ip=ip)
    return phone


def objection_file_verified(
    *, application: Application, name: str, phone: str, code: str, text: str, request: HttpRequest | None = None
) -> Objection:
    """Step 2: the code sent to the phone proves the objector holds it; the objection is filed with the
    name and that verified phone (the objector's identity) and reaches the lead department's queue.

    The code is checked before the transaction that files the objection, so a wrong guess stays counted."""
    name, phone, text = _objector_fields(name, phone, text)
    notice = _open_notice(application)
    verification_check(phone=phone, purpose=objection_purpose(notice), code=code)
    with transaction.atomic():
        notice = _open_notice(application)
        return _objection_create(notice=notice, user=None, name=name, phone=phone, text=text, request=request)


def objection_resolve(
    *, objection: Objection, actor: User, upheld: bool, response: str, request: HttpRequest | None = None
) -> Objection:
    """The lead department (or an administrator) answers; an upheld objection blocks payment until
    the case is rejected through the workflow. The objector is told: in the platform, or by SMS to the
    verified phone of an objection without an account."""
    user = as_user(actor)
    application = objection.notice.application
    held = roles_of(user) if user is not None else set()
    allowed = user is not None and (
        Role.ADMIN in held
        or (Role.REVIEWER in held and in_scope(user, Role.REVIEWER, Scope.LEAD_DEPARTMENT, application))
    )
    if not allowed or user is None:
        raise TransitionPermissionDenied(errors.NOT_PERMITTED % {"transition": _("处理异议")})
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
            notify(
                users=[locked.filed_by],
                text=gettext("您的公示异议已处理: %(response)s") % {"response": locked.response},
                application=application,
            )
        elif locked.objector_phone:
            outcome = ObjectionResolution(locked.resolution).label
            sms_send(
                phone=locked.objector_phone,
                text=(
                    gettext("【晋创通】您对《%(title)s》的公示异议已处理: %(outcome)s。%(response)s")
                    % {"title": application.title, "outcome": outcome, "response": locked.response}
                )[:300],
                purpose=f"objection_answer:{locked.pk}",
            )
    return locked
