"""GET /api/v1/measures and /api/v1/measures/{measure_id}: the policy library as JSON.

Money is a string in yuan, exact to the fen.  Errors: ``{"error": code, "errors": [{"field", "message"}]}``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from jinchuang.policies.filters import InvalidFilters
from jinchuang.policies.reading import CapLine
from jinchuang.policies.selectors import (
    MeasureRow,
    library_catalog,
    library_filters_parse,
    measure_detail,
    measure_list,
)
from jinchuang.policy.money import round_fen

router = Router(tags=["政策库 policies"])


class FieldErrorOut(Schema):
    field: str = Field(..., description="出错的字段, 路径写法与案例格式相同, 如 valley; $ 表示整个请求")
    message: str


class PolicyErrorOut(Schema):
    error: str = Field(..., description="invalid_filter | not_found")
    errors: list[FieldErrorOut]


class CitationOut(Schema):
    document: str
    document_title: str
    wenhao: str
    clause: str
    label: str = Field(..., description="文号 + 条款号, e.g. 晋市政办〔2024〕39号 第8条")


class CeilingOut(Schema):
    amount: str = Field(..., description="单项最高金额, 元")
    source: str


class MeasureSummaryOut(Schema):
    id: str
    valley: str
    title: str
    kind: str
    kind_label: str
    category: str
    category_label: str
    beneficiaries: list[str]
    lead_departments: list[str]
    cooperating_departments: list[str]
    expert_review: bool
    annual_assessment: bool
    headline: str = Field(..., description="主要标准, e.g. 20%, 单项最高 500,000.00 元")
    summary: str = Field(
        ..., description="the measure in plain sentences, e.g. 按技术交易额的 20% 计算; 每年累计最高 100 万元"
    )
    ceiling: CeilingOut | None
    citation: CitationOut
    url: str


class MeasureListOut(Schema):
    count: int
    measures: list[MeasureSummaryOut]


class CapOut(Schema):
    cap: str = Field(..., description="per_award | per_entity_per_year | cumulative_per_entity")
    label: str
    limit: str


class ConditionOut(Schema):
    text: str
    expr: str
    sentence: str = Field(..., description="the condition as a plain sentence, e.g. 平台类型为院士(专家)工作站")
    hint: str | None


class TierOut(Schema):
    key: str
    label: str
    amount: str


class ParameterValueOut(Schema):
    since: str = Field(..., description="适用于该日期及以后的事件")
    value: str


class ParameterOut(Schema):
    name: str = Field(..., description="公式中的参数名, 如 rate")
    label: str
    unit: str = Field(..., description="yuan | ratio | count | months | years")
    values: list[ParameterValueOut]
    reference: str = Field(..., description="条文中给出该数值的原话")


class RuleOut(Schema):
    id: str
    label: str
    event: str
    event_label: str
    conditions: list[ConditionOut]
    formula: str | None
    amount_text: str = Field(..., description="how the amount is set, in words, e.g. 按技术交易额的 20% 计算")
    review_range: list[str] | None
    table: list[TierOut]
    caps: list[CapOut]
    cap_group: str | None
    interpretations: list[str]
    parameters: list[ParameterOut] = Field(..., description="规则的具名参数(比例、金额、门槛、期限), 带生效日期")


class InterpretationOut(Schema):
    id: str
    topic: str
    reading: str
    alternative: str
    why: str


class InstalmentOut(Schema):
    year_offset: int
    share: str


class MeasureDetailOut(MeasureSummaryOut):
    section: str
    text: str = Field(..., description="条款原文(逐字)")
    valid_from: str
    valid_to: str
    overlap_group: str | None
    stacks_on_provincial: bool
    rules: list[RuleOut]
    caps: list[CapOut]
    combine: str
    schedule: list[InstalmentOut]
    interpretations: list[InterpretationOut]


def _money(value: Decimal) -> str:
    """Yuan as the API writes it: '240000.00' (exact, two decimals, no separators)."""
    return str(round_fen(value))


def _caps(lines: list[CapLine]) -> list[CapOut]:
    return [CapOut(cap=c.cap, label=c.label, limit=_money(c.limit)) for c in lines]


def _summary(row: MeasureRow, document_title: str) -> dict[str, Any]:
    return {
        "id": row.id,
        "valley": row.valley,
        "title": row.title,
        "kind": row.kind,
        "kind_label": row.kind_label,
        "category": row.category,
        "category_label": row.category_label,
        "beneficiaries": row.beneficiaries,
        "lead_departments": row.lead_departments,
        "cooperating_departments": row.cooperating_departments,
        "expert_review": row.expert_review,
        "annual_assessment": row.annual_assessment,
        "headline": row.headline,
        "summary": row.summary,
        "ceiling": CeilingOut(amount=_money(row.ceiling.amount), source=row.ceiling.source) if row.ceiling else None,
        "citation": CitationOut(
            document=row.document_id,
            document_title=document_title,
            wenhao=row.wenhao,
            clause=row.clause,
            label=row.citation,
        ),
        "url": f"/policies/{row.id}/",
    }


@router.get(
    "/measures",
    response={200: MeasureListOut, 400: PolicyErrorOut},
    summary="政策库: 按晋创谷、类别、适用对象、部门、支持方式和关键词筛选政策条款",
)
def measures(
    request: HttpRequest,
    valley: str | None = None,
    category: str | None = None,
    beneficiary: str | None = None,
    department: str | None = None,
    kind: str | None = None,
    q: str | None = None,
) -> Status[MeasureListOut | PolicyErrorOut]:
    loaded = library_catalog()
    params = {
        "valley": valley,
        "category": category,
        "beneficiary": beneficiary,
        "department": department,
        "kind": kind,
        "q": q,
    }
    try:
        filters = library_filters_parse(catalog=loaded.catalog, params=params)
    except InvalidFilters as exc:
        errors = [FieldErrorOut(field=p.field, message=p.message) for p in exc.problems]
        return Status(400, PolicyErrorOut(error="invalid_filter", errors=errors))
    rows = measure_list(catalog=loaded.catalog, filters=filters)
    titles = {d.id: d.title for d in loaded.catalog.documents}
    return Status(
        200,
        MeasureListOut(
            count=len(rows), measures=[MeasureSummaryOut(**_summary(r, titles[r.document_id])) for r in rows]
        ),
    )


@router.get(
    "/measures/{measure_id}",
    response={200: MeasureDetailOut, 404: PolicyErrorOut},
    summary="一条政策: 原文、引用和结构化解读",
)
def measure(request: HttpRequest, measure_id: str) -> Status[MeasureDetailOut | PolicyErrorOut]:
    loaded = library_catalog()
    detail = measure_detail(catalog=loaded.catalog, measure_id=measure_id)
    if detail is None:
        message = _("政策库中没有编号为 %(id)s 的政策条款") % {"id": measure_id}
        return Status(
            404, PolicyErrorOut(error="not_found", errors=[FieldErrorOut(field="measure_id", message=message)])
        )
    m, reading = detail.measure, detail.reading
    return Status(
        200,
        MeasureDetailOut(
            **_summary(detail.row, detail.document.title),
            section=m.section,
            text=m.text,
            valid_from=detail.valid_from.isoformat(),
            valid_to=detail.valid_to.isoformat(),
            overlap_group=m.overlap_group,
            stacks_on_provincial=m.stacks_on_provincial,
            rules=[
                RuleOut(
                    id=r.id,
                    label=r.label,
                    event=r.event,
                    event_label=r.event_label,
                    conditions=[
                        ConditionOut(text=c.text, expr=c.expr, sentence=v.sentence, hint=c.hint)
                        for c, v in zip(r.conditions, view.conditions, strict=True)
                    ],
                    formula=r.formula,
                    amount_text=view.text.amount,
                    review_range=[_money(x) for x in r.review_range] if r.review_range else None,
                    table=[TierOut(key=t.key, label=t.label, amount=_money(t.amount)) for t in r.table],
                    caps=_caps(r.caps),
                    cap_group=r.cap_group,
                    interpretations=r.interpretations,
                    parameters=[
                        ParameterOut(
                            name=p.name,
                            label=p.label,
                            unit=p.unit,
                            values=[ParameterValueOut(since=d.isoformat(), value=str(v)) for d, v in p.values],
                            reference=p.reference,
                        )
                        for p in r.parameters
                    ],
                )
                for r, view in zip(reading.rules, detail.rules, strict=True)
            ],
            caps=_caps(reading.caps),
            combine=reading.combine,
            schedule=[InstalmentOut(year_offset=i.year_offset, share=i.share) for i in m.schedule],
            interpretations=[InterpretationOut(**i.model_dump()) for i in m.interpretations],
        ),
    )
