"""Typed request and response bodies of the application API.

Money is always given twice: ``fen`` (integer 分, exact) and ``yuan`` (a decimal string, two places).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import (
    BeforeValidator,
    ModelWrapValidatorHandler,
    StrictBool,
    StrictStr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from jinchuang.policy.money import MAX_FEN, fen_to_yuan

#: largest id a path or filter accepts (a 64-bit database key)
MAX_ID = 2**63 - 1
#: no NUL characters in free text (PostgreSQL cannot store them)
NO_NUL = r"^[^\x00]*$"
#: idempotency keys: letters, digits and . _ : -
KEY_PATTERN = r"^[A-Za-z0-9._:\-]{1,64}$"


def _whole_number(value: Any) -> Any:
    """JSON Schema's integer: 5 and 5.0 are integers; true, "5" and 5.5 are not."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("须为整数")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("须为整数")
        return int(value)
    return value


# integers in request bodies, with their range (no coercion from strings or booleans)
RecordId = Annotated[int, Field(ge=1, le=MAX_ID), BeforeValidator(_whole_number)]
PositiveFen = Annotated[int, Field(ge=1, le=MAX_FEN), BeforeValidator(_whole_number)]
Fen = Annotated[int, Field(ge=0, le=MAX_FEN), BeforeValidator(_whole_number)]
Score = Annotated[int, Field(ge=0, le=100), BeforeValidator(_whole_number)]


class InputSchema(Schema):
    """A request body: a JSON object, with no lax coercion (``0`` is not ``false``, ``"5"`` not ``5``).

    (ninja's Schema reads attributes of any object, so a JSON array or string would otherwise pass
    as an object whose fields all take their defaults.)
    """

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo) -> Any:
        if not isinstance(values, dict):
            raise ValueError("请求体须为 JSON 对象")
        return handler(values)


class ApiFieldErrorOut(Schema):
    field: str = Field(
        ..., description="出错的字段 (路径写法同案例格式), 如 file、amount_fen、case_data.events[0].date; $ 为整个请求"
    )
    message: str


class ApiErrorOut(Schema):
    error: str = Field(
        ...,
        description="unauthorized | not_found | forbidden | invalid_request | bad_request | conflict | "
        "storage_unavailable, 或服务返回的具体错误码(如 not_eligible、amount_above_max、cap_exceeded)",
    )
    errors: list[ApiFieldErrorOut]


class MoneyOut(Schema):
    fen: int = Field(..., description="金额, 整数分")
    yuan: str = Field(..., description="金额, 元, 两位小数的字符串", examples=["240000.00"])


def money(fen: int | None) -> dict[str, Any] | None:
    return None if fen is None else {"fen": int(fen), "yuan": str(fen_to_yuan(int(fen)))}


class ClauseOut(Schema):
    label: str = Field(..., description="文号 + 条款号, 如 晋市政办〔2024〕39号 第8条")
    wenhao: str
    clause: str
    text: str = Field(..., description="条款原文")
    document_id: str
    valley: str


class OrganisationRefOut(Schema):
    id: int
    name: str


class ClockOut(Schema):
    step: str = Field(..., description="当前环节")
    responsible: str = Field(..., description="责任人或责任部门")
    deadline: dt.datetime | None
    working_seconds_left: int | None = Field(..., description="剩余工作时间(秒, 工作日9:00–17:00), 超时为负")
    overdue: bool


class ReviewRangeOut(Schema):
    min: MoneyOut
    max: MoneyOut


class ScheduleLineOut(Schema):
    year: int
    amount: MoneyOut


class InstalmentLineOut(Schema):
    id: int
    sequence: int
    due_year: int
    amount: MoneyOut
    paid_on: dt.date | None
    voucher_no: str


class AwardOut(Schema):
    amount: MoneyOut
    approved_at: dt.datetime
    cancelled_at: dt.datetime | None
    instalments: list[InstalmentLineOut]


class MaterialOut(Schema):
    id: int
    original_name: str
    size: int = Field(..., description="字节")
    content_type: str
    sha256: str
    uploaded_at: dt.datetime
    download_url: str


class ApplicationFactOut(Schema):
    id: int = Field(..., description="事实编号 (核验/驳回: POST /api/v1/records/facts/{id}/verify 或 /reject)")
    event_type: str
    label: str = Field(..., description="事实类型(中文)")
    date: dt.date
    fields: list[list[str]] = Field(..., description="[字段名称, 取值] (中文, 金额为元)")
    provenance: str = Field(..., description="declared | officer | imported | platform")
    provenance_label: str
    state: str = Field(..., description="declared(待核验) | verified | rejected | superseded")
    state_label: str
    decided_by: str = Field(..., description="核验/驳回人, 未处理时为空")
    decided_at: dt.datetime | None
    note: str
    evidence: list[str] = Field(..., description="证明材料文件名")


class ApplicationBriefOut(Schema):
    id: int
    number: str = Field(..., description="申报编号 (晋创谷代码-年度-序号, 如 JC-2026-000123); 草稿为空")
    organisation: OrganisationRefOut
    measure_id: str
    title: str
    valley: str
    state: str
    state_label: str
    citation: ClauseOut
    lead_department: str
    engine_max: MoneyOut = Field(..., description="计算上限(核定金额不得超过)")
    approved_amount: MoneyOut | None
    submitted_at: dt.datetime | None
    step_deadline: dt.datetime | None
    overdue: bool
    created_at: dt.datetime


class ApplicationOut(ApplicationBriefOut):
    document_id: str
    catalog_digest: str = Field(..., description="计算所依据的政策目录版本 (SHA-256 内容摘要, ADR 0003)")
    expert_review_required: bool
    review_range: ReviewRangeOut | None = Field(..., description="法定评审区间(需专家评审的条款)")
    schedule: list[ScheduleLineOut] = Field(..., description="按计算上限的分期计划")
    reason_below_max: str
    message: str = Field(..., description="退回补正/不予支持的说明")
    unmet_condition: str = Field(..., description="不予支持时未满足的条件或条款")
    case_data: dict[str, Any] = Field(..., description="申报事实(案例), 格式见 docs/case-format.md")
    clock: ClockOut
    transitions_available: list[str] = Field(..., description="当前用户此刻可执行的流转")
    materials: list[MaterialOut]
    award: AwardOut | None
    facts: list[ApplicationFactOut] = Field(..., description="申报所依据的机构档案事实; 任一未核验时不能审定")
    explanation: list[str] = Field(..., description="计算上限如何得出(中文, 不含表达式)")


class ApplicationListOut(Schema):
    count: int
    items: list[ApplicationBriefOut]


class SubmitIn(InputSchema):
    measure_id: StrictStr = Field(..., min_length=1, max_length=64, pattern=NO_NUL, examples=["jc-8"])
    case_data: dict[str, Any] = Field(..., description="申报事实(案例), 格式见 docs/case-format.md")
    idempotency_key: StrictStr | None = Field(
        None,
        pattern=KEY_PATTERN,
        description="幂等键(也可放在 Idempotency-Key 请求头); 同一机构同一键重复提交返回同一申报, 不会新建",
    )


class TransitionIn(InputSchema):
    message: StrictStr | None = Field(None, max_length=2000, pattern=NO_NUL, description="return、reject: 说明")
    unmet_condition: StrictStr | None = Field(
        None, max_length=2000, pattern=NO_NUL, description="reject: 未满足的条件或条款"
    )
    experts: list[RecordId] | None = Field(None, max_length=20, description="send_to_experts: 评审专家的用户 id")
    amount_fen: PositiveFen | None = Field(None, description="approve: 核定金额(分), 不得超过计算上限")
    reason: StrictStr | None = Field(None, max_length=2000, pattern=NO_NUL, description="approve: 低于计算上限时的理由")
    case_data: dict[str, Any] | None = Field(None, description="submit、resubmit: 更新后的申报事实")


class ExpertScoreIn(InputSchema):
    score: Score | None = Field(None, description="总分 0–100 (未给 criteria 时); 给出 criteria 时由平台按评分细则计算")
    criteria: dict[str, Score] | None = Field(
        None, description="按评分细则逐项打分: 细则项代码 → 得分(0 至该项权重); 总分为各项之和"
    )
    recommended_amount_fen: Fen = Field(..., description="建议金额(分), 须在法定区间内")
    comment: StrictStr = Field("", max_length=2000, pattern=NO_NUL)


class ExpertScoreOut(Schema):
    application_id: int
    score: int
    criteria: dict[str, int]
    recommended_amount: MoneyOut
    comment: str
    scored_at: dt.datetime


class ExpertDeclarationIn(InputSchema):
    conflict: bool = Field(..., description="false: 声明与该申报无利益冲突(方可评分); true: 申请回避(退出该申报的评审)")


class ExpertDeclarationOut(Schema):
    application_id: int
    declared_at: dt.datetime
    recused: bool


class ObjectionIn(InputSchema):
    text: StrictStr = Field(..., min_length=1, max_length=2000, pattern=NO_NUL)


class ObjectionOut(Schema):
    id: int
    application_id: int
    text: str
    filed_at: dt.datetime


class LedgerRowOut(Schema):
    id: int = Field(..., description="分期 id")
    award_id: int
    application_id: int
    number: str = Field(..., description="申报编号 (如 JC-2026-000123; 提交前的旧记录为空)")
    organisation: OrganisationRefOut
    unified_social_credit_code: str = Field(..., description="机构的统一社会信用代码 (未登记为空)")
    measure_id: str
    title: str
    citation: str
    lead_department: str
    valley: str
    sequence: int
    due_year: int
    amount: MoneyOut
    paid_on: dt.date | None
    voucher_no: str


class LedgerOut(Schema):
    count: int
    total: MoneyOut = Field(..., description="筛选结果的金额合计")
    paid: MoneyOut = Field(..., description="其中已拨付")
    items: list[LedgerRowOut]


class PaymentIn(InputSchema):
    paid_on: dt.date = Field(..., description="拨付日期 YYYY-MM-DD")
    voucher_no: StrictStr = Field(..., min_length=1, max_length=64, pattern=NO_NUL)

    @field_validator("paid_on", mode="before")
    @classmethod
    def _a_date_string(cls, value: Any) -> Any:
        if not isinstance(value, str | dt.date):
            raise ValueError("日期须为 YYYY-MM-DD 字符串")
        return value


class NoticeOut(Schema):
    application_id: int
    organisation: str
    measure_id: str
    title: str
    valley: str
    citation: str
    amount: MoneyOut
    starts_at: dt.datetime
    ends_at: dt.datetime
    objection_url: str = Field(..., description="提出异议: POST 此地址(需登录令牌)")


class NoticeListOut(Schema):
    count: int
    items: list[NoticeOut]


class QueueGroupOut(Schema):
    role: str
    role_label: str
    applications: list[ApplicationBriefOut]
    instalments: list[LedgerRowOut] = Field(..., description="财务: 应拨付的分期")


class QueueOut(Schema):
    groups: list[QueueGroupOut]


class NotificationOut(Schema):
    id: int
    text: str
    link: str
    application_id: int | None
    created_at: dt.datetime
    read_at: dt.datetime | None


class NotificationListOut(Schema):
    count: int
    unread: int
    items: list[NotificationOut]


class NotificationsReadIn(InputSchema):
    ids: list[RecordId] = Field(default_factory=list, max_length=500, description="标为已读的消息 id")
    all: StrictBool = Field(False, description="全部标为已读")


class NotificationsReadOut(Schema):
    marked: int
    unread: int
