"""The application API under /api/v1: submit once, read what you may see, move cases through the
workflow table, upload and download materials, ledger, 公示, queues and in-app messages.

Every operation but ``GET /notices`` needs ``Authorization: Bearer <token>`` (``create_api_token``).
Per-record access: a record the caller may not see answers 404 (never 403, so existence does not
leak); 403 means "you may see this case but not do that to it". Errors are
``{"error": code, "errors": [{"field", "message"}]}``. Handlers parse, call one core service or
selector, and render.
"""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from typing import Annotated, Any, NoReturn

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, Sum
from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import File, Router, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.params.functions import Header, Path, Query

from jinchuang.accounts.models import Role, User
from jinchuang.applications.api import present
from jinchuang.applications.api.auth import ApiTokenAuth, request_user
from jinchuang.applications.api.schemas import (
    KEY_PATTERN,
    MAX_ID,
    NO_NUL,
    ApiErrorOut,
    ApplicationListOut,
    ApplicationOut,
    ExpertDeclarationIn,
    ExpertDeclarationOut,
    ExpertScoreIn,
    ExpertScoreOut,
    LedgerOut,
    LedgerRowOut,
    MaterialOut,
    NoticeListOut,
    NotificationListOut,
    NotificationsReadIn,
    NotificationsReadOut,
    ObjectionIn,
    ObjectionOut,
    PaymentIn,
    QueueOut,
    SubmitIn,
    TransitionIn,
    money,
)
from jinchuang.applications.errors import ApplicationError, CapExceededError, TransitionNotAllowedError
from jinchuang.applications.materials import material_path, material_upload
from jinchuang.applications.models import Application, Instalment, Material, Notification
from jinchuang.applications.notifications import notifications_mark_read
from jinchuang.applications.payments import instalment_pay
from jinchuang.applications.permissions import may_fire
from jinchuang.applications.review import expert_declare, expert_score_record, objection_file
from jinchuang.applications.selectors import (
    application_get_for_user,
    applications_visible_to,
    ledger_rows,
    public_notices_current,
    queue_for,
)
from jinchuang.applications.services import application_submit, application_transition
from jinchuang.applications.workflow import TRANSITIONS, State, transition_named
from jinchuang.policy.case import CaseError
from jinchuang.policy.vocabulary import Valley

router = Router(tags=["申报 applications"], auth=ApiTokenAuth())

NOT_FOUND = _("未找到该记录, 或您无权查看")
KEY_REQUIRED = _("请提供幂等键(Idempotency-Key 请求头或 idempotency_key 字段)")
KEY_MISMATCH = _("Idempotency-Key 请求头与 idempotency_key 字段不一致")
NOT_USED = _("该流转不使用此项")
NO_SUCH_EXPERT = _("没有这些用户: %(ids)s")
NUL_IN_CASE = _("申报事实中不能含有 NUL 字符")
STORAGE = _("文件存储暂时不可用, 请稍后重试")
FILE_MISSING = _("文件已不在存储中")

#: the workflow table's transition names (the path parameter's enum)
IdPath = Annotated[int, Path(..., ge=1, le=MAX_ID)]

TransitionName = StrEnum("TransitionName", [(t.name, t.name) for t in TRANSITIONS])  # type: ignore[misc]

#: optional body fields a transition's effect reads, besides the table's required ones
OPTIONAL_FIELDS: dict[str, tuple[str, ...]] = {
    "approve": ("reason",),
    "submit": ("case_data",),
    "resubmit": ("case_data",),
}
#: which body fields each transition takes
TRANSITION_FIELDS: dict[str, tuple[str, ...]] = {
    t.name: (*t.required, *OPTIONAL_FIELDS.get(t.name, ())) for t in TRANSITIONS
}

COMMON: dict[int, Any] = {401: ApiErrorOut, 404: ApiErrorOut, 422: ApiErrorOut}


def _transition_doc(heading: str, fields_word: str) -> str:
    """The workflow table for /api/docs; its words are given where the description is written (OpenAPI text)."""
    lines = [heading, ""]
    for t in TRANSITIONS:
        fields = ", ".join(TRANSITION_FIELDS[t.name]) or "-"
        sources = ", ".join(sorted(s.value for s in t.sources))
        lines.append(f"- `{t.name}` ({t.label}): {sources} → {t.target.value}; {fields_word}: {fields}")
    return "\n".join(lines)


# --- errors ----------------------------------------------------------------------------------------
def _body(code: str, field: str, message: Any) -> dict[str, Any]:
    return {"error": code, "errors": [{"field": field, "message": str(message)}]}


def _not_found() -> NoReturn:
    raise HttpError(404, str(NOT_FOUND))


def _service_error(exc: Exception, *, field_prefix: str = "") -> Status[dict[str, Any]]:
    """A refusal of a core service → 400/403/409 with the field it concerns."""
    if isinstance(exc, PermissionDenied):
        return Status(403, _body("forbidden", "$", exc.args[0] if exc.args else _("无权执行该操作")))
    if isinstance(exc, CaseError):
        return Status(
            400,
            {
                "error": "invalid_case",
                "errors": [{"field": f"{field_prefix}{p.field}", "message": p.message} for p in exc.problems],
            },
        )
    assert isinstance(exc, ApplicationError)
    messages = exc.message_dict.get(exc.field) or exc.messages
    status = 409 if isinstance(exc, TransitionNotAllowedError | CapExceededError) or exc.code == "key_reused" else 400
    return Status(status, _body(str(exc.code or "invalid"), exc.field, "; ".join(str(m) for m in messages)))


def _visible(user: User, pk: int) -> Application:
    try:
        return application_get_for_user(user=user, pk=pk)
    except Http404:
        _not_found()


def _case_has_nul(case_data: Any) -> bool:
    return "\\u0000" in json.dumps(case_data, ensure_ascii=True, default=str)


# --- applications ----------------------------------------------------------------------------------
@router.post(
    "/applications",
    response={
        200: ApplicationOut,
        201: ApplicationOut,
        400: ApiErrorOut,
        401: ApiErrorOut,
        403: ApiErrorOut,
        409: ApiErrorOut,
        422: ApiErrorOut,
    },
    summary="提交申报(一次)",
    description="以申报人所在机构提交一项措施的申报。幂等: 同一幂等键的重试返回同一申报(200), 首次提交返回 201; "
    "幂等键已用于另一措施时 409。不符合条件时 400, 说明未满足的条件。",
    url_name="applications_submit",
)
def applications_submit(
    request: HttpRequest,
    payload: SubmitIn,
    idempotency_key: Annotated[
        str | None, Header(alias="Idempotency-Key", pattern=KEY_PATTERN, description="幂等键(或放在请求体)")
    ] = None,
) -> Status[dict[str, Any]]:
    user = request_user(request)
    key = idempotency_key or payload.idempotency_key
    if idempotency_key and payload.idempotency_key and idempotency_key != payload.idempotency_key:
        return Status(400, _body("key_mismatch", "idempotency_key", KEY_MISMATCH))
    if not key:
        return Status(400, _body("key_required", "idempotency_key", KEY_REQUIRED))
    if user.organisation is None:
        return Status(403, _body("forbidden", "$", _("您不属于任何申报机构")))
    if _case_has_nul(payload.case_data):
        return Status(400, _body("invalid_case", "case_data", NUL_IN_CASE))
    retry = (
        Application.objects.filter(organisation=user.organisation, idempotency_key=key)
        .exclude(state=State.DRAFT)
        .exists()
    )
    try:
        application = application_submit(
            organisation=user.organisation,
            measure_id=payload.measure_id,
            case_data=payload.case_data,
            idempotency_key=key,
            actor=user,
            request=request,
        )
    except (ApplicationError, CaseError, PermissionDenied) as exc:
        return _service_error(exc, field_prefix="case_data.")
    application = Application.objects.select_related("organisation").get(pk=application.pk)
    return Status(200 if retry else 201, present.application_detail(application, user=user))


@router.get(
    "/applications",
    response={200: ApplicationListOut, 401: ApiErrorOut, 422: ApiErrorOut},
    summary="我能看到的申报",
    url_name="applications_list",
)
def applications_list(
    request: HttpRequest,
    state: Annotated[State | None, Query(description="按状态筛选")] = None,
    measure_id: Annotated[str | None, Query(max_length=64, pattern=NO_NUL)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> Status[dict[str, Any]]:
    user = request_user(request)
    rows = applications_visible_to(user).select_related("organisation").order_by("-created_at", "-id")
    if state is not None:
        rows = rows.filter(state=state.value)
    if measure_id:
        rows = rows.filter(measure_id=measure_id)
    count = rows.count()
    items = [present.application_brief(a) for a in rows[offset : offset + limit]]
    return Status(200, {"count": count, "items": items})


@router.get(
    "/applications/{id}",
    response={200: ApplicationOut, **COMMON},
    summary="一项申报(含环节、时限、材料、可执行的流转)",
    url_name="application_detail",
)
def application_detail(request: HttpRequest, id: IdPath) -> Status[dict[str, Any]]:
    user = request_user(request)
    return Status(200, present.application_detail(_visible(user, id), user=user))


@router.post(
    "/applications/{id}/transitions/{name}",
    response={200: ApplicationOut, 400: ApiErrorOut, 403: ApiErrorOut, 409: ApiErrorOut, **COMMON},
    summary="执行工作流流转",
    description=_transition_doc("工作流表中的流转(名称: 需要的字段):", "字段")
    + "\n\n看不到的申报 404; 看得到但无权执行 403; 当前状态不允许或条件未满足(如公示期未满) 409; 字段错误 400。",
    url_name="application_transition",
)
def application_transition_fire(
    request: HttpRequest,
    name: TransitionName,
    payload: TransitionIn,
    id: IdPath,
) -> Status[dict[str, Any]]:
    user = request_user(request)
    application = _visible(user, id)
    spec = transition_named(str(name.value))
    allowed = TRANSITION_FIELDS[spec.name]
    given = payload.model_dump(exclude_none=True)
    for field in given:
        if field not in allowed:
            return Status(400, _body("field_not_used", field, NOT_USED))
    data: dict[str, Any] = dict(given)
    if "case_data" in data and _case_has_nul(data["case_data"]):
        return Status(400, _body("invalid_case", "case_data", NUL_IN_CASE))
    if "experts" in data:
        if not may_fire(spec, application, user):  # resolve user ids only for those allowed to act
            return Status(403, _body("forbidden", "$", _("您无权对该申报执行“%(t)s”") % {"t": spec.label}))
        ids = list(dict.fromkeys(data["experts"]))
        experts = list(User.objects.filter(pk__in=ids, is_active=True))
        missing = sorted(set(ids) - {u.pk for u in experts})
        if missing:
            return Status(400, _body("no_such_user", "experts", NO_SUCH_EXPERT % {"ids": missing}))
        data["experts"] = experts
    try:
        application = application_transition(
            application=application, transition=spec.name, actor=user, request=request, **data
        )
    except (ApplicationError, CaseError, PermissionDenied) as exc:
        return _service_error(exc, field_prefix="case_data.")
    application = Application.objects.select_related("organisation").get(pk=application.pk)
    return Status(200, present.application_detail(application, user=user))


@router.post(
    "/applications/{id}/expert-declaration",
    response={200: ExpertDeclarationOut, 400: ApiErrorOut, 403: ApiErrorOut, 409: ApiErrorOut, **COMMON},
    summary="评审专家回避声明: 无利益冲突(方可评分)或申请回避",
    url_name="application_expert_declaration",
)
def application_expert_declaration(
    request: HttpRequest, payload: ExpertDeclarationIn, id: IdPath
) -> Status[dict[str, Any]]:
    user = request_user(request)
    application = _visible(user, id)
    try:
        row = expert_declare(application=application, actor=user, conflict=payload.conflict, request=request)
    except (ApplicationError, PermissionDenied) as exc:
        return _service_error(exc)
    return Status(
        200, {"application_id": application.pk, "declared_at": row.declared_at, "recused": row.recused_at is not None}
    )


@router.post(
    "/applications/{id}/expert-scores",
    response={200: ExpertScoreOut, 400: ApiErrorOut, 403: ApiErrorOut, 409: ApiErrorOut, **COMMON},
    summary="专家评分并建议金额(法定区间内)",
    url_name="application_expert_score",
)
def application_expert_score(request: HttpRequest, payload: ExpertScoreIn, id: IdPath) -> Status[dict[str, Any]]:
    user = request_user(request)
    application = _visible(user, id)
    try:
        row = expert_score_record(
            application=application,
            actor=user,
            score=payload.score,
            criteria=payload.criteria,
            recommended_amount_fen=payload.recommended_amount_fen,
            comment=payload.comment,
            request=request,
        )
    except (ApplicationError, PermissionDenied) as exc:
        return _service_error(exc)
    except ValidationError as exc:  # the rubric's criteria, every bad one named
        errors = [
            {"field": f"criteria.{field.removeprefix('criterion_')}", "message": str(message)}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
        return Status(400, {"error": "invalid_criteria", "errors": errors})
    return Status(
        200,
        {
            "application_id": application.pk,
            "score": row.score,
            "criteria": row.criteria_scores,
            "recommended_amount": money(row.recommended_amount_fen),
            "comment": row.comment,
            "scored_at": row.scored_at,
        },
    )


@router.post(
    "/applications/{id}/objections",
    response={201: ObjectionOut, 400: ApiErrorOut, 409: ApiErrorOut, **COMMON},
    summary="对公示中的支持提出异议",
    description="任何持令牌的用户均可对公示中的申报提出异议; 调用者看得到但不在公示期内的申报 409, "
    "看不到且不在公示期内的申报 404。",
    url_name="application_objection_file",
)
def application_objection(request: HttpRequest, payload: ObjectionIn, id: IdPath) -> Status[dict[str, Any]]:
    user = request_user(request)
    notice = public_notices_current().filter(application_id=id).first()
    if notice is None:
        _visible(user, id)  # 404 unless the caller may see the application
        return Status(409, _body("not_in_public_notice", "id", _("该申报不在公示期内, 不能提出异议")))
    try:
        objection = objection_file(application=notice.application, actor=user, text=payload.text, request=request)
    except (ApplicationError, PermissionDenied) as exc:
        return _service_error(exc)
    return Status(
        201, {"id": objection.pk, "application_id": id, "text": objection.text, "filed_at": objection.filed_at}
    )


# --- materials -------------------------------------------------------------------------------------
@router.get(
    "/applications/{id}/materials",
    response={200: list[MaterialOut], **COMMON},
    summary="申报材料清单",
    url_name="application_materials",
)
def application_materials(request: HttpRequest, id: IdPath) -> Status[list[dict[str, Any]]]:
    application = _visible(request_user(request), id)
    return Status(200, [present.material_out(m) for m in application.materials.all()])


@router.post(
    "/applications/{id}/materials",
    response={201: MaterialOut, 400: ApiErrorOut, 403: ApiErrorOut, 503: ApiErrorOut, **COMMON},
    summary="上传申报材料(PDF、JPG、PNG)",
    description="multipart/form-data, 字段 file。检查扩展名与文件头、大小上限; 服务器生成存储名。"
    "失败(过大、类型不符、内容与扩展名不符、存储错误)时不留记录、不留文件。",
    url_name="application_material_upload",
)
def application_material_upload(request: HttpRequest, file: File[UploadedFile], id: IdPath) -> Status[dict[str, Any]]:
    user = request_user(request)
    application = _visible(user, id)
    try:
        material = material_upload(
            application=application, file=file, original_name=file.name or "", actor=user, request=request
        )
    except (ApplicationError, PermissionDenied) as exc:
        return _service_error(exc)
    except OSError:
        return Status(503, _body("storage_unavailable", "file", STORAGE))
    return Status(201, present.material_out(material))


BINARY = {"schema": {"type": "string", "format": "binary"}}


@router.get(
    "/applications/{id}/materials/{mid}",
    response={**COMMON},
    summary="下载申报材料(附件)",
    description="以附件下载(Content-Disposition: attachment, X-Content-Type-Options: nosniff); "
    "看不到的申报或不属于该申报的材料 404。",
    url_name="application_material_download",
    openapi_extra={
        "responses": {
            "200": {
                "description": "文件内容",
                "content": {"application/pdf": BINARY, "image/png": BINARY, "image/jpeg": BINARY},
            }
        }
    },
)
def application_material_download(request: HttpRequest, id: IdPath, mid: IdPath) -> FileResponse:
    application = _visible(request_user(request), id)
    material = Material.objects.filter(application=application, pk=mid).first()
    if material is None:
        _not_found()
    try:
        handle = material_path(material).open("rb")
    except OSError:
        raise HttpError(404, str(FILE_MISSING)) from None
    response = FileResponse(
        handle, as_attachment=True, filename=material.original_name, content_type=material.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# --- ledger ----------------------------------------------------------------------------------------
@router.get(
    "/ledger",
    response={200: LedgerOut, 401: ApiErrorOut, 422: ApiErrorOut},
    summary="支持资金台账(分期)",
    description="申报人只看到本机构的行, 审核员只看到本部门的, 财务与管理员看到全部; 其他角色为空。"
    "Excel 导出在台账页面。",
    url_name="ledger",
)
def ledger(
    request: HttpRequest,
    organisation_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    measure_id: Annotated[str | None, Query(max_length=64, pattern=NO_NUL)] = None,
    department: Annotated[str | None, Query(max_length=100, pattern=NO_NUL)] = None,
    valley: Annotated[str | None, Query(max_length=8, pattern=NO_NUL, description="/".join(Valley))] = None,
    year: Annotated[int | None, Query(ge=1900, le=2999, description="应付年度")] = None,
    paid: Annotated[bool | None, Query(description="true 只看已拨付, false 只看未拨付")] = None,
    paid_month: Annotated[
        str | None, Query(pattern=r"^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$", description="拨付月份 YYYY-MM")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> Status[dict[str, Any]]:
    rows = ledger_rows(
        user=request_user(request),
        organisation_id=organisation_id,
        measure_id=measure_id,
        department=department,
        valley=valley,
        year=year,
        paid_month=dt.date(int(paid_month[:4]), int(paid_month[5:]), 1) if paid_month else None,
    )
    if paid is not None:
        rows = rows.filter(paid_on__isnull=not paid)
    sums = rows.aggregate(total=Sum("amount_fen"), paid=Sum("amount_fen", filter=Q(paid_on__isnull=False)))
    return Status(
        200,
        {
            "count": rows.count(),
            "total": money(sums["total"] or 0),
            "paid": money(sums["paid"] or 0),
            "items": [present.ledger_row(r) for r in rows[offset : offset + limit]],
        },
    )


def _ledger_row(user: User, pk: int) -> Instalment:
    row = ledger_rows(user=user).filter(pk=pk).first()
    if row is None:
        _not_found()
    return row


@router.get(
    "/ledger/{id}",
    response={200: LedgerRowOut, **COMMON},
    summary="台账中的一行(分期)",
    url_name="ledger_row",
)
def ledger_row(request: HttpRequest, id: IdPath) -> Status[dict[str, Any]]:
    return Status(200, present.ledger_row(_ledger_row(request_user(request), id)))


@router.post(
    "/ledger/{id}/payment",
    response={200: LedgerRowOut, 400: ApiErrorOut, 403: ApiErrorOut, 409: ApiErrorOut, **COMMON},
    summary="登记一期拨付(财务: 日期与凭证号)",
    description="最后一期登记后申报自动进入“已拨付”。",
    url_name="ledger_payment",
)
def ledger_payment(request: HttpRequest, payload: PaymentIn, id: IdPath) -> Status[dict[str, Any]]:
    user = request_user(request)
    row = _ledger_row(user, id)
    try:
        instalment_pay(
            instalment=row, paid_on=payload.paid_on, voucher_no=payload.voucher_no, actor=user, request=request
        )
    except ApplicationError as exc:
        if exc.code in ("already_paid", "state_forbids"):
            return Status(409, _body(str(exc.code), exc.field, "; ".join(str(m) for m in exc.messages)))
        return _service_error(exc)
    except PermissionDenied as exc:
        return _service_error(exc)
    return Status(200, present.ledger_row(_ledger_row(user, id)))


# --- 公示, queue, notifications -----------------------------------------------------------------------
@router.get(
    "/notices",
    auth=None,
    response={200: NoticeListOut},
    summary="公示中的支持(公开, 无需令牌)",
    url_name="notices",
)
def notices(request: HttpRequest) -> Status[dict[str, Any]]:
    items = [present.notice_out(n) for n in public_notices_current()]
    return Status(200, {"count": len(items), "items": items})


@router.get(
    "/queue",
    response={200: QueueOut, 401: ApiErrorOut},
    summary="我的待办(按角色)",
    description="申报人: 本机构未办结的申报; 服务专员: 所服务机构待受理/初审的; 审核员: 本部门的; "
    "专家: 待评分的; 财务: 应拨付的分期; 管理员: 超时的。超时的排在前面。",
    url_name="queue",
)
def queue(request: HttpRequest) -> Status[dict[str, Any]]:
    groups = []
    for role, rows in queue_for(request_user(request)).items():
        group: dict[str, Any] = {"role": role.value, "role_label": str(role.label)}
        group.update(applications=[], instalments=[])
        if role is Role.FINANCE:
            group["instalments"] = [present.ledger_row(r) for r in rows[:500]]
        else:
            group["applications"] = [present.application_brief(a) for a in rows.select_related("organisation")[:500]]
        groups.append(group)
    return Status(200, {"groups": groups})


@router.get(
    "/notifications",
    response={200: NotificationListOut, 401: ApiErrorOut, 422: ApiErrorOut},
    summary="我的站内消息",
    url_name="notifications",
)
def notifications(
    request: HttpRequest,
    unread: Annotated[bool, Query(description="只看未读")] = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> Status[dict[str, Any]]:
    user = request_user(request)
    rows = Notification.objects.filter(user=user).order_by("-created_at", "-id")
    if unread:
        rows = rows.filter(read_at__isnull=True)
    return Status(
        200,
        {
            "count": rows.count(),
            "unread": Notification.objects.filter(user=user, read_at__isnull=True).count(),
            "items": [present.notification_out(n) for n in rows[offset : offset + limit]],
        },
    )


@router.post(
    "/notifications",
    response={200: NotificationsReadOut, 400: ApiErrorOut, 401: ApiErrorOut, 422: ApiErrorOut},
    summary="标记站内消息为已读",
    description="ids 中属于本人的未读消息(或 all=true 时全部)标为已读; 他人的消息 id 被忽略。",
    url_name="notifications_read",
)
def notifications_read(request: HttpRequest, payload: NotificationsReadIn) -> Status[dict[str, Any]]:
    user = request_user(request)
    marked = notifications_mark_read(user=user, ids=payload.ids, everything=payload.all)
    unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
    return Status(200, {"marked": marked, "unread": unread})
