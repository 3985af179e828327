"""The Chinese labels of the measures' comparison categories (catalog authoring guide §6), in the engine so
that every layer can read them — the policy library, the where-to-settle page, the record's policy
subscriptions. Plain Chinese here (the engine imports no Django); faces translate them with gettext
(the strings are marked with ``gettext_noop`` so that ``makemessages`` finds them)."""

from __future__ import annotations


def gettext_noop(text: str) -> str:
    """Marks ``text`` for translation without translating it (the engine has no Django)."""
    return text


CATEGORY_LABELS: dict[str, str] = {
    "settlement_service": gettext_noop("入驻服务"),
    "startup_capital": gettext_noop("启动资金"),
    "platform_building": gettext_noop("创新平台建设"),
    "new_rd_institution": gettext_noop("新型研发机构"),
    "incubator": gettext_noop("孵化载体"),
    "tech_transaction": gettext_noop("技术交易"),
    "university_transfer": gettext_noop("高校院所成果转化"),
    "transfer_service": gettext_noop("技术转移服务"),
    "contest_award": gettext_noop("创新创业大赛"),
    "sci_tech_award": gettext_noop("科技奖励"),
    "procurement": gettext_noop("首购首用"),
    "talent_high_level": gettext_noop("高层次人才"),
    "talent_team": gettext_noop("人才团队"),
    "talent_living": gettext_noop("人才生活补贴"),
    "talent_housing": gettext_noop("人才住房"),
    "talent_training": gettext_noop("人才培养"),
    "talent_guarantee": gettext_noop("人才服务保障"),
    "key_project": gettext_noop("重点科技项目"),
    "pilot_platform": gettext_noop("中试平台"),
    "rd_investment": gettext_noop("研发投入"),
    "innovation_voucher": gettext_noop("科技创新券"),
    "equipment": gettext_noop("仪器设备"),
    "venture_fund": gettext_noop("创投基金"),
    "financing_service": gettext_noop("科技金融服务"),
    "listing": gettext_noop("企业上市"),
    "tech_insurance": gettext_noop("科技保险"),
    "credit_risk": gettext_noop("信贷风险补偿"),
    "intellectual_property": gettext_noop("知识产权"),
    "certification": gettext_noop("资质认定"),
    "invest_then_equity": gettext_noop("先投后股"),
    "case_by_case": gettext_noop("一事一议"),
    "legal_service": gettext_noop("法律服务"),
    "fault_tolerance": gettext_noop("容错免责"),
    "space_support": gettext_noop("场地支持"),
    "intermediary_service": gettext_noop("中介服务"),
    "instrument_sharing": gettext_noop("仪器共享"),
    "scope": gettext_noop("适用范围"),
}


def category_label_zh(category: str) -> str:
    """The category's Chinese label (the code itself for an unknown category)."""
    return CATEGORY_LABELS.get(category, category)
