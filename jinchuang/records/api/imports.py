"""Department data import API, mounted at /api/v1/records/imports (jinchuang/api.py gives it the
platform's bearer-token authentication).

Only officers who may import (reviewers, administrators) use it: anyone else gets 403. An import
another officer started answers 404 (an administrator sees every import). Errors are
``{"error": code, "errors": [{"field", "message"}]}``, the field named as the service names it
(``file``, ``event_type``, ``source``, ``mapping.cert``, ``constants.first_time``).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.params.functions import Path

from jinchuang.accounts.models import User
from jinchuang.records.errors import RecordError
from jinchuang.records.evidence import LISTS, evidence_upload
from jinchuang.records.imports import ImportReport, import_report, import_start, imports_visible_to
from jinchuang.records.models import ImportState
from jinchuang.records.permissions import may_import

router = Router(tags=["部门数据导入 record imports"])

MAX_ID = 2**63 - 1
NOT_ALLOWED = gettext_lazy("只有评审人员或管理员可以导入部门名单")
NOT_FOUND = gettext_lazy("未找到该导入, 或您无权查看")
NOT_JSON = gettext_lazy("须为 JSON 对象")
NUL = gettext_lazy("不能含有 NUL 字符")
STORAGE = gettext_lazy("文件存储暂时不可用, 请稍后重试")

IdPath = Annotated[int, Path(..., ge=1, le=MAX_ID)]


class ImportFieldErrorOut(Schema):
    field: str = Field(
        ..., description="出错的字段, 如 file、event_type、source、mapping.cert、constants.first_time; $ 为整个请求"
    )
    message: str


class ImportErrorOut(Schema):
    error: str = Field(
        ...,
        description="错误码: unauthorized、forbidden、not_found、invalid_request, 或服务返回的具体错误码"
        "(如 mapping_missing、column_not_in_file、file_unreadable、no_rows、wrong_type)",
    )
    errors: list[ImportFieldErrorOut]


class ImportProblemOut(Schema):
    row: int | None = Field(..., description="名单文件中的行号(与 Excel 显示的相同); 整个导入的问题为 null")
    column: str = Field(..., description="名单文件中的列名(表头文字); 固定取值写作“固定取值: 字段名”")
    message: str = Field(..., description="问题说明(中文)")
    kind: str = Field(
        ..., description="uscc(代码格式或校验位错误)、unmatched(平台无此机构)、field(字段错误)、duplicate、failed"
    )


class ImportOrganisationOut(Schema):
    id: int
    name: str
    facts: int = Field(..., description="本次导入记入或核验的事实数")
    record_url: str = Field(..., description="该机构档案页面")


class ImportOut(Schema):
    id: int
    state: str = Field(..., description="queued | running | done | failed")
    state_label: str
    event_type: str
    source: str
    file_name: str
    mapping: dict[str, str] = Field(..., description="字段 → 名单中的列名")
    constants: dict[str, Any] = Field(..., description="字段 → 固定取值(案例格式)")
    rows_total: int
    rows_done: int
    percent: int = Field(..., ge=0, le=100)
    created_count: int = Field(..., description="新增的已核验事实")
    verified_count: int = Field(..., description="机构已申报、由本次导入核验的事实")
    existing_count: int = Field(..., description="档案中已有的已核验事实(未重复登记)")
    problem_count: int
    problems: list[ImportProblemOut]
    organisations: list[ImportOrganisationOut] = Field(..., description="获得已核验事实的机构")
    created_at: dt.datetime
    finished_at: dt.datetime | None


def _body(code: str, field: str, message: Any) -> dict[str, Any]:
    return {"error": code, "errors": [{"field": field, "message": str(message)}]}


def _importer(request: HttpRequest) -> User | None:
    user = getattr(request, "auth", None)
    return user if isinstance(user, User) and may_import(user) else None


def _out(report: ImportReport) -> dict[str, Any]:
    d = report.data_import
    return {
        "id": d.pk,
        "state": d.state,
        "state_label": str(ImportState(d.state).label),
        "event_type": d.event_type,
        "source": d.source,
        "file_name": d.evidence.original_name,
        "mapping": dict(d.mapping),
        "constants": dict(d.constants),
        "rows_total": d.rows_total,
        "rows_done": d.rows_done,
        "percent": report.percent,
        "created_count": d.created_count,
        "verified_count": report.verified_count,
        "existing_count": d.existing_count,
        "problem_count": len(report.row_problems),
        "problems": [
            {
                "row": p.get("row"),
                "column": p.get("column", ""),
                "message": p.get("message", ""),
                "kind": p.get("kind", ""),
            }
            for p in d.problems
        ],
        "organisations": [{**o, "record_url": f"/records/{o['id']}/"} for o in report.organisations],
        "created_at": d.created_at,
        "finished_at": d.finished_at,
    }


def _json_object(text: str, field: str) -> dict[str, Any] | Status[dict[str, Any]]:
    try:
        value = json.loads(text) if text.strip() else {}
    except ValueError:
        return Status(400, _body("invalid_request", field, NOT_JSON))
    if not isinstance(value, dict):
        return Status(400, _body("invalid_request", field, NOT_JSON))
    return value


def _record_error(exc: RecordError) -> Status[dict[str, Any]]:
    messages = exc.message_dict.get(exc.field) or exc.messages
    return Status(400, _body(exc.code or "invalid", exc.field, "; ".join(str(m) for m in messages)))


ERRORS: dict[int, Any] = {401: ImportErrorOut, 403: ImportErrorOut, 422: ImportErrorOut}


@router.post(
    "",
    response={200: ImportOut, 202: ImportOut, 400: ImportErrorOut, 503: ImportErrorOut, **ERRORS},
    summary="导入部门名单(XLSX 或 CSV)",
    description="multipart/form-data: file(名单文件), event_type(事实类型), mapping(JSON 对象: 字段 → 名单中的列名, "
    "须含 uscc 统一社会信用代码与 date 发生日期, 可含 ref 编号、subject 对象姓名及该事实类型的字段), "
    'constants(JSON 对象: 名单中没有的字段 → 固定取值, 选项可写中文名称, 如 {"cert": "高新技术企业"}), '
    "source(部门与名单名称)。新导入进入后台队列, 返回 202; 同一文件以相同设置再次导入时返回原导入(200), 不重复登记。"
    "仅评审人员与管理员可用。",
    url_name="record_imports_create",
)
def imports_create(
    request: HttpRequest,
    file: File[UploadedFile],
    event_type: Form[str],
    mapping: Form[str],
    source: Form[str],
    constants: Form[str] = "{}",
) -> Status[dict[str, Any]]:
    user = _importer(request)
    if user is None:
        return Status(403, _body("forbidden", "$", NOT_ALLOWED))
    parsed_mapping = _json_object(mapping, "mapping")
    if isinstance(parsed_mapping, Status):
        return parsed_mapping
    parsed_constants = _json_object(constants, "constants")
    if isinstance(parsed_constants, Status):
        return parsed_constants
    for name, value in (("event_type", event_type), ("source", source), ("mapping", mapping), ("constants", constants)):
        if "\x00" in value or "\\u0000" in value:
            return Status(400, _body("invalid_request", name, NUL))
    try:
        evidence = evidence_upload(
            file=file, original_name=file.name or "", actor=user, organisation=None, accepted=LISTS, request=request
        )
        data_import = import_start(
            evidence=evidence,
            event_type=event_type,
            mapping=parsed_mapping,
            constants=parsed_constants,
            source=source,
            actor=user,
            request=request,
        )
    except RecordError as exc:
        return _record_error(exc)
    except PermissionDenied:
        return Status(403, _body("forbidden", "$", NOT_ALLOWED))
    except OSError:
        return Status(503, _body("storage_unavailable", "file", STORAGE))
    return Status(202 if data_import.evidence_id == evidence.pk else 200, _out(import_report(data_import)))


@router.get(
    "/{id}",
    response={200: ImportOut, 404: ImportErrorOut, **ERRORS},
    summary="导入的进度与报告",
    description="状态、进度(rows_done / rows_total)、计数、每个问题行(行号、列名、说明)与获得事实的机构。",
    url_name="record_imports_detail",
)
def imports_detail(request: HttpRequest, id: IdPath) -> Status[dict[str, Any]]:
    user = _importer(request)
    if user is None:
        return Status(403, _body("forbidden", "$", NOT_ALLOWED))
    data_import = imports_visible_to(user).filter(pk=id).first()
    if data_import is None:
        return Status(404, _body("not_found", "$", NOT_FOUND))
    return Status(200, _out(import_report(data_import)))
