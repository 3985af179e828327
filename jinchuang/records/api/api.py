"""The record API under /api/v1/records: an organisation's record, its facts and what it entitles it to;
declaring (members) or entering (serving officers) a fact; verify, reject, supersede.

Authentication is the API's (mounted with the API token auth in ``jinchuang/api.py``). A record the
caller may not read answers 404 (existence does not leak); 403 means "you may see this record but not
do that"; a refused event 400 naming the field (``event.amount``); a state that does not allow the
step, or a correction that is already on the record, 409. Handlers parse, call one service or
selector, and render."""

from __future__ import annotations

import json
from typing import Annotated, Any, NoReturn

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.params.functions import Path

from jinchuang.accounts.models import Organisation, User
from jinchuang.policy.case import CaseError
from jinchuang.records.api import present
from jinchuang.records.api.schemas import (
    MAX_ID,
    EntitlementsOut,
    FactIn,
    FactListOut,
    FactSavedOut,
    RecordErrorOut,
    RecordOut,
    RejectIn,
    SupersedeIn,
    VerifyIn,
)
from jinchuang.records.entitlements import entitlements_of
from jinchuang.records.facts import fact_for_reader, fact_view, is_officer_for, organisation_for_reader, record_view
from jinchuang.records.models import Fact
from jinchuang.records.permissions import is_member
from jinchuang.records.services import fact_declare, fact_enter, fact_reject, fact_supersede, fact_verify

router = Router(tags=["机构档案 records"])

NOT_FOUND = _("未找到该记录, 或您无权查看")
NO_ORGANISATION = _("您的账号不属于任何机构, 没有机构档案")
NUL_IN_EVENT = _("事件中不能含有 NUL 字符")
MAY_NOT = _("您可以查看该档案, 但无权执行该操作")
CONFLICT_CODES = frozenset({"not_declared", "not_live", "duplicate_fact"})

IdPath = Annotated[int, Path(..., ge=1, le=MAX_ID)]
READ: dict[int, Any] = {401: RecordErrorOut, 404: RecordErrorOut, 422: RecordErrorOut}
WRITE: dict[int, Any] = {400: RecordErrorOut, 403: RecordErrorOut, 409: RecordErrorOut, **READ}


def _user(request: HttpRequest) -> User:
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise HttpError(401, "unauthorized")
    return user


def _body(code: str, field: str, message: Any) -> dict[str, Any]:
    return {"error": code, "errors": [{"field": field, "message": str(message)}]}


def _not_found() -> NoReturn:
    raise HttpError(404, str(NOT_FOUND))


def _refused(exc: Exception, *, event_field: str = "event") -> Status[dict[str, Any]]:
    """A refusal of a record service → 400/403/409 naming the field it concerns."""
    if isinstance(exc, PermissionDenied):
        return Status(403, _body("forbidden", "$", exc.args[0] if exc.args else MAY_NOT))
    if isinstance(exc, CaseError):
        errors = [
            {"field": event_field if p.field in ("", "$") else f"{event_field}.{p.field}", "message": p.message}
            for p in exc.problems
        ]
        return Status(400, {"error": "invalid_event", "errors": errors})
    assert isinstance(exc, ValidationError)
    code = str(getattr(exc, "code", None) or "invalid")
    field = getattr(exc, "field", "$")
    messages = exc.message_dict.get(field) if hasattr(exc, "error_dict") else None
    text = "; ".join(str(m) for m in (messages or exc.messages))
    return Status(409 if code in CONFLICT_CODES else 400, _body(code, field, text))


def _has_nul(data: Any) -> bool:
    return "\\u0000" in json.dumps(data, ensure_ascii=True, default=str)


def _organisation(user: User, organisation_id: int) -> Organisation:
    organisation = organisation_for_reader(user, organisation_id)
    if organisation is None:
        _not_found()
    return organisation


def _own(user: User) -> Organisation:
    if user.organisation is None:
        raise HttpError(404, str(NO_ORGANISATION))
    return user.organisation


def _fact(user: User, fact_id: int) -> Fact:
    fact = fact_for_reader(user, fact_id)
    if fact is None:
        _not_found()
    return fact


def _record(organisation: Organisation) -> dict[str, Any]:
    view = record_view(organisation)
    return present.record(view, present.all_facts(view))


def _facts(organisation: Organisation) -> dict[str, Any]:
    view = record_view(organisation)
    return present.facts_list(view, present.all_facts(view))


def _saved(fact: Fact, created: bool) -> dict[str, Any]:
    fresh = Fact.objects.select_related("decided_by").prefetch_related("evidence").get(pk=fact.pk)
    return {"created": created, "fact": present.fact(fact_view(fresh))}


# --- reads -----------------------------------------------------------------------------------------
@router.get("/records/me", response={200: RecordOut, **READ}, summary="本机构的档案", url_name="records_me")
def records_me(request: HttpRequest) -> Status[dict[str, Any]]:
    return Status(200, _record(_own(_user(request))))


@router.get(
    "/records/me/facts", response={200: FactListOut, **READ}, summary="本机构的事实", url_name="records_me_facts"
)
def records_me_facts(request: HttpRequest) -> Status[dict[str, Any]]:
    return Status(200, _facts(_own(_user(request))))


@router.get(
    "/records/me/entitlements",
    response={200: EntitlementsOut, **READ},
    summary="本机构按档案可享受的政策",
    url_name="records_me_entitlements",
)
def records_me_entitlements(request: HttpRequest) -> Status[dict[str, Any]]:
    return Status(200, present.entitlements(entitlements_of(_own(_user(request)))))


@router.get(
    "/records/{organisation_id}",
    response={200: RecordOut, **READ},
    summary="一个机构的档案(本机构成员, 或负责该机构的工作人员)",
    url_name="records_detail",
)
def records_detail(request: HttpRequest, organisation_id: IdPath) -> Status[dict[str, Any]]:
    return Status(200, _record(_organisation(_user(request), organisation_id)))


@router.get(
    "/records/{organisation_id}/facts",
    response={200: FactListOut, **READ},
    summary="一个机构的事实",
    url_name="records_facts",
)
def records_facts(request: HttpRequest, organisation_id: IdPath) -> Status[dict[str, Any]]:
    return Status(200, _facts(_organisation(_user(request), organisation_id)))


@router.get(
    "/records/{organisation_id}/entitlements",
    response={200: EntitlementsOut, **READ},
    summary="一个机构按档案可享受的政策",
    description="按档案中的全部现行事实计算, 并标明哪些只在计入待核验事实时才符合; 仅计算该机构所在晋创谷。",
    url_name="records_entitlements",
)
def records_entitlements(request: HttpRequest, organisation_id: IdPath) -> Status[dict[str, Any]]:
    return Status(200, present.entitlements(entitlements_of(_organisation(_user(request), organisation_id))))


# --- writes ----------------------------------------------------------------------------------------
@router.post(
    "/records/{organisation_id}/facts",
    response={200: FactSavedOut, 201: FactSavedOut, **WRITE},
    summary="申报(本机构成员)或录入(负责的工作人员)一项事实",
    description="成员申报的事实待核验; 工作人员录入的事实即为已核验, 须填写 note。同一事实(同一事件, 不论金额如何书写)"
    "只记录一次: 已有时返回 200 与已有的事实, 新记录 201。",
    url_name="records_fact_create",
)
def records_fact_create(request: HttpRequest, organisation_id: IdPath, payload: FactIn) -> Status[dict[str, Any]]:
    user = _user(request)
    organisation = _organisation(user, organisation_id)
    if _has_nul(payload.event):
        return Status(400, _body("invalid_event", "event", NUL_IN_EVENT))
    try:
        if is_member(user, organisation):
            fact, created = fact_declare(
                organisation=organisation,
                event_data=payload.event,
                actor=user,
                subject=payload.subject,
                request=request,
            )
        elif is_officer_for(user, organisation):
            fact, created = fact_enter(
                organisation=organisation,
                event_data=payload.event,
                actor=user,
                note=payload.note,
                subject=payload.subject,
                request=request,
            )
        else:
            return Status(403, _body("forbidden", "$", MAY_NOT))
    except (CaseError, ValidationError, PermissionDenied) as exc:
        return _refused(exc)
    return Status(201 if created else 200, _saved(fact, created))


@router.post(
    "/records/facts/{fact_id}/verify",
    response={200: FactSavedOut, **WRITE},
    summary="核验一项待核验的事实(负责该机构的工作人员)",
    url_name="records_fact_verify",
)
def records_fact_verify(request: HttpRequest, fact_id: IdPath, payload: VerifyIn) -> Status[dict[str, Any]]:
    user = _user(request)
    fact = _fact(user, fact_id)
    try:
        fact = fact_verify(fact=fact, actor=user, note=payload.note, request=request)
    except (ValidationError, PermissionDenied) as exc:
        return _refused(exc)
    return Status(200, _saved(fact, False))


@router.post(
    "/records/facts/{fact_id}/reject",
    response={200: FactSavedOut, **WRITE},
    summary="驳回一项待核验的事实(须填写理由)",
    url_name="records_fact_reject",
)
def records_fact_reject(request: HttpRequest, fact_id: IdPath, payload: RejectIn) -> Status[dict[str, Any]]:
    user = _user(request)
    fact = _fact(user, fact_id)
    try:
        fact = fact_reject(fact=fact, actor=user, reason=payload.reason, request=request)
    except (ValidationError, PermissionDenied) as exc:
        return _refused(exc)
    return Status(200, _saved(fact, False))


@router.post(
    "/records/facts/{fact_id}/supersede",
    response={201: FactSavedOut, **WRITE},
    summary="更正一项现行事实(原事实保留为历史)",
    description="成员的更正待核验; 负责的工作人员的更正即为已核验。",
    url_name="records_fact_supersede",
)
def records_fact_supersede(request: HttpRequest, fact_id: IdPath, payload: SupersedeIn) -> Status[dict[str, Any]]:
    user = _user(request)
    fact = _fact(user, fact_id)
    if _has_nul(payload.event):
        return Status(400, _body("invalid_event", "event", NUL_IN_EVENT))
    try:
        new = fact_supersede(fact=fact, event_data=payload.event, actor=user, reason=payload.reason, request=request)
    except (CaseError, ValidationError, PermissionDenied) as exc:
        return _refused(exc)
    return Status(201, _saved(new, True))
