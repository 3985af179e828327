"""POST /api/v1/calculate — what a case is entitled to, how much, and why."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import StrictBool

from jinchuang.calculator.services import calculation_run
from jinchuang.policy.case import CaseError
from jinchuang.policy.vocabulary import Valley

router = Router(tags=["计算器 calculator"])

EXAMPLE_CASE = {
    "as_of": "2025-12-31",
    "applicant": {"kind": "enterprise", "name": "示例科技有限公司", "valley": "晋城", "settled_on": "2025-01-10"},
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


class CalculateIn(Schema):
    case: dict[str, Any] = Field(..., description="案例, 格式见 docs/case-format.md", examples=[EXAMPLE_CASE])
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


class CalculateOut(Schema):
    as_of: str
    valleys: list[str]
    totals: dict[str, TotalOut]
    measures: list[MeasureOut]
    nearest_misses: list[MissOut]


@router.post("/calculate", response={200: CalculateOut, 400: ErrorOut, 422: ErrorOut}, summary="计算政策享受情况")
def calculate(request: HttpRequest, payload: CalculateIn) -> Status[dict[str, Any]]:
    try:
        result = calculation_run(
            case_data=payload.case,
            valley=payload.valley,
            all_valleys=payload.all_valleys,
            explain=payload.explain,
            field_prefix="case.",
        )
    except CaseError as exc:
        return Status(400, {"error": "invalid_case", "errors": [p.as_dict() for p in exc.problems]})
    return Status(200, result.as_dict())
