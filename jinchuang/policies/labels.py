"""Chinese labels of the comparison categories (catalog authoring guide §6)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

CATEGORY_LABELS: dict[str, StrOrPromise] = {
    "settlement_service": _("入驻服务"),
    "startup_capital": _("启动资金"),
    "platform_building": _("创新平台建设"),
    "new_rd_institution": _("新型研发机构"),
    "incubator": _("孵化载体"),
    "tech_transaction": _("技术交易"),
    "university_transfer": _("高校院所成果转化"),
    "transfer_service": _("技术转移服务"),
    "contest_award": _("创新创业大赛"),
    "sci_tech_award": _("科技奖励"),
    "procurement": _("首购首用"),
    "talent_high_level": _("高层次人才"),
    "talent_team": _("人才团队"),
    "talent_living": _("人才生活补贴"),
    "talent_housing": _("人才住房"),
    "talent_training": _("人才培养"),
    "talent_guarantee": _("人才服务保障"),
    "key_project": _("重点科技项目"),
    "pilot_platform": _("中试平台"),
    "rd_investment": _("研发投入"),
    "innovation_voucher": _("科技创新券"),
    "equipment": _("仪器设备"),
    "venture_fund": _("创投基金"),
    "financing_service": _("科技金融服务"),
    "listing": _("企业上市"),
    "tech_insurance": _("科技保险"),
    "credit_risk": _("信贷风险补偿"),
    "intellectual_property": _("知识产权"),
    "certification": _("资质认定"),
    "invest_then_equity": _("先投后股"),
    "case_by_case": _("一事一议"),
    "legal_service": _("法律服务"),
    "fault_tolerance": _("容错免责"),
    "space_support": _("场地支持"),
    "intermediary_service": _("中介服务"),
    "instrument_sharing": _("仪器共享"),
    "scope": _("适用范围"),
}


def category_label(category: str) -> StrOrPromise:
    return CATEGORY_LABELS.get(category, category)
