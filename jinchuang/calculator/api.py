"""POST /api/v1/calculate — what a case is entitled to, how much, and why; POST /api/v1/calculator/from-record
— the same for the caller's organisation's record, with hypothetical events added (nothing saved)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ModelWrapValidatorHandler, StrictBool, ValidationInfo, field_validator, model_validator

from jinchuang.accounts.models import User
from jinchuang.calculator.selectors import record_fact_rows
from jinchuang.calculator.services import (
    MAX_HYPOTHETICALS,
    RecordCalculation,
    calculation_from_record,
    calculation_with_people,
)
from jinchuang.policy.case import CaseError
from jinchuang.policy.person_paid import PersonClaim
from jinchuang.policy.vocabulary import Valley

router = Router(tags=["计算器 calculator"])


class CalculateIn(Schema):
    case: dict[str, Any] = Field(
        ...,
        description="案例, 格式见 docs/case-format.md",
        examples=[
            {
                "as_of": "2025-12-31",
                "applicant": {
                    "kind": "enterprise",
                    "name": "示例科技有限公司",
                    "valley": "晋城",
                    "settled_on": "2025-01-10",
                },
                "events": [
                    {
                        "type": "tech_contract_registered",
                        "date": "2025-06-01",
                        "amount": "1200000",
                        "mode": "transfer",
                        "role": "buyer",
                    }
                ],
                "prior_grants": [],
            }
        ],
    )
    valley: str | None = Field(None, description="只计算一个谷: " + "/".join(Valley))
    all_valleys: StrictBool = Field(False, description="五个谷并列计算")
    explain: StrictBool = Field(True, description="返回逐步计算说明")


class FieldError(Schema):
    field: str = Field(..., description="出错的字段, 路径写法与案例格式相同, 如 case.events[0].date; $ 表示整个请求")
    message: str


class ErrorOut(Schema):
    error: str
    errors: list[FieldError]


class CalcCapOut(Schema):
    cap: str
    label: str
    scope: str
    limit: str
    cut: str


class FailureOut(Schema):
    text: str
    hint: str | None
    expr: str


class CalcInstalmentOut(Schema):
    year: int
    amount: str


class CalcCitationOut(Schema):
    wenhao: str
    clause: str
    text: str
    label: str


class ItemOut(Schema):
    rule: str
    label: str
    event_index: int
    event_type: str
    event_date: str
    formula: str
    raw: str
    amount: str
    review_range: list[str] | None
    caps: list[CalcCapOut]
    interpretations: list[str]
    chosen: bool


class MeasureOut(Schema):
    measure: str
    document: str
    valley: str
    title: str
    kind: str
    category: str
    status: str
    status_label: str
    amount: str = Field(..., description="元, 精确到分")
    review_range: list[str] | None
    binding_cap: CalcCapOut | None
    failed: list[FailureOut]
    schedule: list[CalcInstalmentOut]
    interpretations: list[dict[str, str]]
    overlap: str | None
    prior_grant_deduction: str
    citation: CalcCitationOut
    items: list[ItemOut]
    explanation: list[str]


class TotalOut(Schema):
    eligible: str
    needs_review_ceiling: str


class MissOut(Schema):
    measure: str
    title: str
    valley: str
    missing: list[FailureOut]


class PersonClaimOut(Schema):
    event_index: int = Field(..., description="该人员在案例 events 中的序号 (从 0 起): 一个事件即一个人")
    event_type: str
    measure: MeasureOut = Field(..., description="按个人 (主体类型 个人) 计算的结果; 不计入机构合计")


class CalculateOut(Schema):
    as_of: str
    valleys: list[str]
    totals: dict[str, TotalOut]
    measures: list[MeasureOut]
    nearest_misses: list[MissOut]
    person_claims: list[PersonClaimOut] = Field(
        ..., description="由个人申报: 机构引进的人员本人可申报的支持 (如 大同 第十七、十八条), 不计入机构合计"
    )


@router.post("/calculate", response={200: CalculateOut, 400: ErrorOut, 422: ErrorOut}, summary="计算政策享受情况")
def calculate(request: HttpRequest, payload: CalculateIn) -> Status[dict[str, Any]]:
    try:
        calculation = calculation_with_people(
            case_data=payload.case,
            valley=payload.valley,
            all_valleys=payload.all_valleys,
            explain=payload.explain,
            field_prefix="case.",
        )
    except CaseError as exc:
        return Status(400, {"error": "invalid_case", "errors": [p.as_dict() for p in exc.problems]})
    body = calculation.result.as_dict()
    body["person_claims"] = _person_claims(calculation.claims)
    return Status(200, body)


def _person_claims(claims: list[PersonClaim]) -> list[dict[str, Any]]:
    """由个人申报, as PersonClaimOut: each hired person's own claims, apart from the organisation's totals."""
    return [{"event_index": c.event_index, "event_type": c.event_type, "measure": c.result.as_dict()} for c in claims]


# --- POST /api/v1/calculator/from-record: the caller's organisation's record, with hypothetical events ------
# Mounted in jinchuang/api.py with the API token auth (an authenticated organisation member).

record_router = Router(tags=["计算器 calculator"])

NO_ORGANISATION = _("您的账号不属于任何机构, 没有机构档案可供计算")
NOT_AN_OBJECT = _("请求体须为 JSON 对象")
NOT_A_DATE = _("日期须为 YYYY-MM-DD 字符串")

EXAMPLE_EXTRA = [{"type": "tech_contract_registered", "date": "2025-06-01", "amount": "500000", "mode": "transfer"}]


class FromRecordIn(Schema):
    extra_events: list[dict[str, Any]] = Field(
        [],
        max_length=MAX_HYPOTHETICALS,
        description="假设事件 (不保存), 格式同案例的 events; 错误以 extra_events[i].字段 指出",
        examples=[EXAMPLE_EXTRA],
    )
    as_of: dt.date | None = Field(None, description="计算基准日, 默认今天; 晚于该日的事实不计")
    valley: str | None = Field(None, description="只计算一个谷: " + "/".join(Valley))
    all_valleys: StrictBool = Field(False, description="五个谷并列计算")
    explain: StrictBool = Field(True, description="返回逐步计算说明")

    @field_validator("as_of", mode="before")
    @classmethod
    def _a_date_string(cls, value: Any) -> Any:
        if value is not None and not isinstance(value, str | dt.date):
            raise ValueError(str(NOT_A_DATE))
        return value

    @model_validator(mode="wrap")
    @classmethod
    def _object_only(cls, values: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo) -> Any:
        if not isinstance(values, dict):  # every field has a default: only an object is a request
            raise ValueError(str(NOT_AN_OBJECT))
        return handler(values)


class RecordFactOut(Schema):
    type_label: str
    date: str
    fields: list[dict[str, str]] = Field(..., description="主要内容: [{label, text}], 金额以元表示")
    state: str = Field(..., description="verified 已核验 / declared 待核验")
    state_label: str
    prior_grant: bool = Field(..., description="平台奖补, 作为已获支持参与就高不重复")


class DifferenceOut(Schema):
    measure: str
    valley: str
    title: str
    record_status: str
    record_amount: str = Field(..., description="仅按档案, 元")
    what_if_status: str
    what_if_amount: str = Field(..., description="含假设事件, 元")
    added: str = Field(..., description="假设事件增加的金额, 元")
    prior_grant_deduction: str


class RecordTotalOut(Schema):
    record: str
    what_if: str
    added: str


class FromRecordOut(CalculateOut):
    record_facts: list[RecordFactOut]
    record_totals: dict[str, RecordTotalOut]
    differences: list[DifferenceOut]


def _present(calculation: RecordCalculation) -> dict[str, Any]:
    body = calculation.result.as_dict()
    body["person_claims"] = _person_claims(calculation.claims)
    body["record_facts"] = [
        {
            "type_label": f["label"],
            "date": f["date"].isoformat(),
            "fields": [{"label": label, "text": text} for label, text in f["fields"]],
            "state": "verified" if f["verified"] else "declared",
            "state_label": f["state_label"],
            "prior_grant": f["award"],
        }
        for f in record_fact_rows(calculation.record)
    ]
    body["record_totals"] = {
        t["valley"]: {"record": str(t["record"]), "what_if": str(t["what_if"]), "added": str(t["added"])}
        for t in calculation.totals()
    }
    body["differences"] = [
        {
            "measure": d.measure_id,
            "valley": d.valley,
            "title": d.title,
            "record_status": d.record_status.value,
            "record_amount": str(d.record_amount),
            "what_if_status": d.what_if_status.value,
            "what_if_amount": str(d.what_if_amount),
            "added": str(d.added),
            "prior_grant_deduction": str(d.prior_grant_deduction),
        }
        for d in calculation.differences
    ]
    return body


@record_router.post(
    "/calculator/from-record",
    response={200: FromRecordOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="按本机构档案计算 (可加假设事件, 不保存)",
)
def calculate_from_record(request: HttpRequest, payload: FromRecordIn) -> Status[dict[str, Any]]:
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise HttpError(401, "unauthorized")
    organisation = user.organisation
    if organisation is None:
        raise HttpError(403, str(NO_ORGANISATION))
    try:
        calculation = calculation_from_record(
            organisation=organisation,
            extra_events=payload.extra_events,
            as_of=payload.as_of,
            valley=payload.valley,
            all_valleys=payload.all_valleys,
            explain=payload.explain,
        )
    except CaseError as exc:
        return Status(400, {"error": "invalid_case", "errors": [p.as_dict() for p in exc.problems]})
    return Status(200, _present(calculation))
