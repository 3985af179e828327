"""办事指南: how to apply for one measure, derived from the catalog and the applications workflow.

Nothing here is typed in twice: who may apply comes from the measure's beneficiaries and the document's
own sentence on whom it applies to; the conditions are the clause's requirements with their plain
sentences (``jinchuang.policy.plain``); the 申报材料清单 is the 申报表 (a form generated from the catalog,
see ``guide_template_xlsx``), the proof of each event the measure reads and of each condition; the steps
and their time limits are the applications workflow's stages and settings
(``applications.selectors.workflow_stage_limits``); the responsible departments are the clause's
牵头/配合单位; the contact is the document's 一站式服务窗口 and 服务专员 (the clauses of category
``settlement_service``), because the documents list no telephone numbers.  The format is described in
docs/guide-format.md.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from jinchuang.accounts.models import Role
from jinchuang.applications.selectors import StageLimit, workflow_stage_limits
from jinchuang.policies.reading import citation
from jinchuang.policy import plain
from jinchuang.policy.catalog import Catalog
from jinchuang.policy.schema import Document, EventType, Measure, MeasureKind
from jinchuang.policy.vocabulary import ORG_KIND_LABELS

FIELD_UNITS = {"money": gettext_noop("元"), "ratio": "%", "int": "", "str": "", "bool": gettext_noop("是/否")}


@dataclass(frozen=True)
class GuideCondition:
    text: str  # the clause's requirement (catalog words)
    sentence: str  # the same requirement generated from the condition (plain sentence)
    hint: str  # what the applicant must do to meet it ("" when none)


@dataclass(frozen=True)
class GuideMaterial:
    name: str
    note: str = ""
    template: bool = False  # the 申报表 generated from the catalog (download link)


@dataclass(frozen=True)
class GuideStep:
    label: str
    holder: str
    limit: str  # '半个工作日', '5 个工作日', '7 日', '' (no limit)


@dataclass(frozen=True)
class GuideSupport:
    """One way the measure pays, as the guide lists it."""

    label: str
    event: str
    amount: str
    conditions: list[GuideCondition] = field(default_factory=list)


@dataclass(frozen=True)
class Guide:
    measure_id: str
    title: str
    valley: str
    citation: str
    kind: str
    summary: str
    online: bool  # the measure is applied for online (a cash measure)
    who: list[str]
    applies_to: str
    supports: list[GuideSupport]
    notes: list[str]
    materials: list[GuideMaterial]
    steps: list[GuideStep]
    lead_departments: list[str]
    cooperating_departments: list[str]
    contact: str
    contact_clauses: list[str]


def _hours_text(hours: int) -> str:
    if hours % 8 == 0:
        return _("%(n)s 个工作日") % {"n": hours // 8}
    if hours == 4:
        return _("半个工作日")
    return _("%(n)s 个工作小时") % {"n": hours}


def _holder(stage: StageLimit, measure: Measure) -> str:
    if stage.holder_role is None:
        return _("申报单位")
    if stage.holder_role is Role.REVIEWER:
        return _("、").join(measure.lead_departments) or str(Role.REVIEWER.label)
    if stage.holder_role is Role.FINANCE:
        return _("财政资金拨付部门")
    return str(stage.holder_role.label)


def guide_steps(measure: Measure) -> list[GuideStep]:
    steps = []
    stages = workflow_stage_limits(expert_review=measure.expert_review)
    if stages and not stages[-1].working_hours and not stages[-1].calendar_days:
        stages = stages[:-1]  # 办结: the end, not a step anyone takes
    for stage in stages:
        if stage.working_hours:
            limit = _hours_text(stage.working_hours)
        elif stage.calendar_days:
            limit = _("%(n)s 日") % {"n": stage.calendar_days}
        else:
            limit = ""
        steps.append(GuideStep(label=stage.label, holder=_holder(stage, measure), limit=limit))
    return steps


def _materials(measure: Measure, vocabulary: Mapping[str, EventType]) -> list[GuideMaterial]:
    out = [
        GuideMaterial(_("申报表"), _("本平台按本条生成, 可下载后填写; 在线申报时由表单自动生成"), template=True),
        GuideMaterial(_("统一社会信用代码证明(营业执照或登记证书)"), _("个人申报的提供身份证明")),
    ]
    seen: set[str] = set()
    for rule in measure.rules:
        event = vocabulary.get(rule.event)
        if event is None or rule.event in seen:
            continue
        seen.add(rule.event)
        out.append(GuideMaterial(_("“%(event)s”的证明材料") % {"event": event.label}, _("如批复、证书、合同、票据")))
    hints = []
    for rule in measure.rules:
        for condition in rule.conditions:
            if condition.hint and "须" in condition.hint:  # a requirement the applicant must show ("须…")
                hints.append(plain.prose(condition.hint, vocabulary))
    for hint in dict.fromkeys(hints):
        out.append(GuideMaterial(_("证明: %(hint)s") % {"hint": hint}))
    return out


def _contact(catalog: Catalog, document: Document) -> tuple[str, list[str]]:
    clauses = [citation(document, m) for m in document.measures if m.category == "settlement_service"]
    text = _(
        "%(valley)s晋创谷一站式服务窗口和服务专员提供政策咨询与申报代办(本文件未列联系电话); "
        "登录后在“我的”页面可看到为本单位指派的服务专员"
    ) % {"valley": document.valley.value}
    return text, clauses


def build_guide(catalog: Catalog, document: Document, measure: Measure) -> Guide:
    vocabulary = catalog.vocabulary
    text = plain.measure(document, measure, vocabulary, translate=_)
    supports = []
    for rule, rule_text in zip(measure.rules, text.rules, strict=True):
        supports.append(
            GuideSupport(
                label=rule.label,
                event=rule_text.event,
                amount=rule_text.sentence,
                conditions=[
                    GuideCondition(
                        text=plain.prose(c.text, vocabulary),
                        sentence=sentence,
                        hint=plain.prose(c.hint, vocabulary) if c.hint else "",
                    )
                    for c, sentence in zip(rule.conditions, rule_text.conditions, strict=True)
                ],
            )
        )
    contact, contact_clauses = _contact(catalog, document)
    cash = measure.kind is MeasureKind.CASH
    return Guide(
        measure_id=measure.id,
        title=measure.title,
        valley=document.valley.value,
        citation=citation(document, measure),
        kind=text.kind,
        summary=text.summary,
        online=cash,
        who=[_(ORG_KIND_LABELS[b]) for b in measure.beneficiaries],
        applies_to=document.applies_to_text,
        supports=supports,
        notes=text.notes,
        materials=_materials(measure, vocabulary) if cash else [],
        steps=guide_steps(measure) if cash else [],
        lead_departments=list(measure.lead_departments),
        cooperating_departments=list(measure.cooperating_departments),
        contact=contact,
        contact_clauses=contact_clauses,
    )


# --- the 申报表 template ------------------------------------------------------------------------------


def _row(sheet: Worksheet, values: list[str], bold: bool = False) -> None:
    sheet.append(values)
    if bold:
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)


def guide_template_xlsx(catalog: Catalog, document: Document, measure: Measure) -> bytes:
    """The 申报表 of a measure as an Excel workbook: applicant, the facts each rule reads (label, unit, a
    blank to fill), the conditions to confirm, the materials to attach, the clause cited."""
    guide = build_guide(catalog, document, measure)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("申报表")
    sheet.append([_("%(title)s 申报表") % {"title": measure.title}])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_("政策依据"), f"{document.title} {guide.citation}"])
    sheet.append([_("牵头单位"), _("、").join(guide.lead_departments) or "—"])
    sheet.append([])
    _row(sheet, [_("一、申报单位"), _("填写")], bold=True)
    for label in (_("单位名称"), _("统一社会信用代码"), _("所在晋创谷"), _("入驻日期"), _("联系人"), _("联系电话")):
        sheet.append([label, ""])
    sheet.append([])
    _row(sheet, [_("二、申报事项"), _("填写"), _("单位/说明")], bold=True)
    seen: set[str] = set()
    for rule in measure.rules:
        event = catalog.vocabulary.get(rule.event)
        if event is None or rule.event in seen:
            continue
        seen.add(rule.event)
        _row(sheet, [event.label], bold=True)
        sheet.append([_("发生日期"), "", _("年-月-日")])
        for spec in event.fields.values():
            note = _("、").join(spec.options.values()) if spec.options else _(FIELD_UNITS[spec.type])
            sheet.append([spec.label, "", note])
    sheet.append([])
    _row(sheet, [_("三、申报条件(逐项确认)"), _("是否满足"), _("条文要求")], bold=True)
    for support in guide.supports:
        _row(sheet, [support.label, "", support.amount], bold=True)
        for condition in support.conditions:
            sheet.append([condition.sentence, _("是 / 否"), condition.text])
    sheet.append([])
    _row(sheet, [_("四、申报材料"), _("是否附上"), _("说明")], bold=True)
    for material in guide.materials:
        sheet.append([material.name, _("是 / 否"), material.note])
    sheet.append([])
    sheet.append([_("申报单位(盖章)"), "", _("日期")])
    sheet.column_dimensions["A"].width = 48
    sheet.column_dimensions["B"].width = 22
    sheet.column_dimensions["C"].width = 60
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
