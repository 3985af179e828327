"""Typed bodies of the record API. Money is given twice: ``fen`` (integer 分) and ``yuan`` (a decimal
string, two places)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import ModelWrapValidatorHandler, StrictStr, ValidationInfo, model_validator

from jinchuang.policy.money import fen_to_yuan, yuan_to_fen

#: the largest id a path accepts (a 64-bit database key)
MAX_ID = 2**63 - 1
#: no NUL characters in free text (PostgreSQL cannot store them)
NO_NUL = r"^[^\x00]*$"

Text = Annotated[StrictStr, Field(max_length=2000, pattern=NO_NUL)]


class InputSchema(Schema):
    """A request body: a JSON object, without lax coercion."""

    @model_validator(mode="wrap")
    @classmethod
    def _object_only(cls, values: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo) -> Any:
        if not isinstance(values, dict):
            raise ValueError("请求体须为 JSON 对象")
        return handler(values)


class RecordFieldErrorOut(Schema):
    field: str = Field(..., description="出错的字段, 如 event.amount、note、reason; $ 为整个请求")
    message: str


class RecordErrorOut(Schema):
    error: str = Field(..., description="错误码: unauthorized、not_found、forbidden、invalid_event、duplicate_fact ...")
    errors: list[RecordFieldErrorOut]


class RecordMoneyOut(Schema):
    fen: int = Field(..., description="金额, 整数分")
    yuan: str = Field(..., description="金额, 元, 两位小数的字符串", examples=["100000.00"])


def money(fen: int) -> dict[str, Any]:
    return {"fen": int(fen), "yuan": str(fen_to_yuan(int(fen)))}


def money_of_yuan(yuan: Any) -> dict[str, Any]:
    return money(yuan_to_fen(yuan))


class FactIn(InputSchema):
    event: dict[str, Any] = Field(
        ...,
        description='一个事件, 案例格式: type、date 与该类型的字段(金额以元计, 如 "800000"), 可含 ref(编号/备注)',
        examples=[{"type": "certification_granted", "date": "2025-11-01", "cert": "high_tech", "first_time": True}],
    )
    subject: Annotated[StrictStr, Field(max_length=64, pattern=NO_NUL)] = Field(
        "", description="对象姓名(引进人才), 档案中只保存脱敏后的姓名"
    )
    note: Text = Field("", description="核验说明: 工作人员录入时必填")


class VerifyIn(InputSchema):
    note: Text = Field("", description="核验说明")


class RejectIn(InputSchema):
    reason: Text = Field(..., description="驳回理由(必填)")


class SupersedeIn(InputSchema):
    event: dict[str, Any] = Field(..., description="更正后的事件, 案例格式")
    reason: Text = Field(..., description="更正理由(必填)")


class FieldRowOut(Schema):
    label: str = Field(..., description="字段的中文名称")
    text: str = Field(..., description="显示的值(金额以元计)")


class EvidenceOut(Schema):
    id: int
    name: str = Field(..., description="原文件名")
    size: int
    content_type: str


class OrganisationFactOut(Schema):
    id: int
    type: str = Field(..., description="事实类型(案例词表中的事件类型, 或 platform_award)")
    type_label: str
    date: dt.date
    fields: dict[str, Any] = Field(..., description="规范形式的字段: 金额为整数分")
    display: list[FieldRowOut]
    ref: str
    subject: str = Field(..., description="对象(已脱敏)")
    provenance: str = Field(..., description="declared | officer | imported | platform")
    provenance_label: str
    state: str = Field(..., description="declared(待核验) | verified | rejected | superseded")
    state_label: str
    source: str
    evidence: list[EvidenceOut]
    decided_by: str | None = Field(None, description="核验/驳回人")
    decided_at: dt.datetime | None = None
    note: str
    supersedes: int | None = Field(None, description="本事实更正的事实")
    created_at: dt.datetime


class FactListOut(Schema):
    count: int
    declared_count: int = Field(..., description="待核验的事实数")
    items: list[OrganisationFactOut]


class FactSavedOut(Schema):
    created: bool = Field(..., description="false: 档案中已有同一事实, 返回的是已有的事实")
    fact: OrganisationFactOut


class OrganisationOut(Schema):
    id: int
    name: str
    unified_social_credit_code: str
    kind: str
    kind_label: str
    valley: str
    valley_label: str
    settled_on: dt.date | None


class ContactOut(Schema):
    name: str
    role: str
    phone: str = Field(..., description="手机号码(脱敏)")


class RecordOut(Schema):
    organisation: OrganisationOut
    contacts: list[ContactOut]
    declared_count: int
    facts: list[OrganisationFactOut] = Field(..., description="全部事实, 新的在前(含已驳回、已更正的历史)")


class RangeOut(Schema):
    low: RecordMoneyOut
    high: RecordMoneyOut


class QualifiedOut(Schema):
    measure: str
    title: str
    citation: str = Field(..., description="文号 + 条款号")
    status: str = Field(..., description="eligible | needs_review")
    status_label: str
    amount: RecordMoneyOut | None = Field(None, description="确定金额; 需评审的措施为 null, 见 review_range")
    review_range: RangeOut | None = Field(None, description="需评审措施的法定区间")
    facts: list[int] = Field(..., description="所依据的事实")
    depends_on_unverified: bool = Field(..., description="只按已核验的事实计算时不符合")
    overlap: str = Field(..., description="就高不重复的说明")


class MissingOut(Schema):
    text: str
    hint: str


class RecordMissOut(Schema):
    measure: str
    title: str
    citation: str
    missing: list[MissingOut]


class ServiceOut(Schema):
    measure: str
    title: str
    citation: str
    status_label: str


class EntitlementTotalsOut(Schema):
    eligible: RecordMoneyOut
    unverified: RecordMoneyOut = Field(..., description="其中依赖待核验事实的金额")
    review_ceiling: RecordMoneyOut = Field(..., description="需评审措施法定区间的上限之和")


class EntitlementsOut(Schema):
    as_of: dt.date
    valley: str
    problem: str = Field(..., description="档案尚不能计算时的说明, 否则为空")
    qualified: list[QualifiedOut]
    nearest_misses: list[RecordMissOut]
    services: list[ServiceOut]
    totals: EntitlementTotalsOut
