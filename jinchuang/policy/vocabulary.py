"""The one vocabulary of who and where: the five 晋创谷 valleys and the kinds of organisation.

Defined once, here, in the engine (pure Python, no Django). The stored code is the enum's value
everywhere — in the catalog YAML, in cases, in the database, in the API and in forms:
``"晋城"`` … for a valley, ``"enterprise"`` … for a kind of organisation. The Chinese labels below
are the display text; the web faces translate them with gettext (``jinchuang.accounts.choices``), so
an English page shows "Jincheng" while the form still submits the code ``晋城``.
"""

from __future__ import annotations

from enum import StrEnum


def gettext_noop(message: str) -> str:
    """Mark a label for the translation catalogue (``makemessages`` extracts it) without translating it."""
    return message


class Valley(StrEnum):
    """The five 晋创谷 valleys, one per city; the value is the city's Chinese name."""

    JINCHENG = "晋城"
    JINZHONG = "晋中"
    LINFEN = "临汾"
    YANGQUAN = "阳泉"
    DATONG = "大同"


VALLEY_LABELS: dict[Valley, str] = {
    Valley.JINCHENG: gettext_noop("晋城"),
    Valley.JINZHONG: gettext_noop("晋中"),
    Valley.LINFEN: gettext_noop("临汾"),
    Valley.YANGQUAN: gettext_noop("阳泉"),
    Valley.DATONG: gettext_noop("大同"),
}


class OrgKind(StrEnum):
    """主体类型: the kind of an applicant or organisation, as the clauses name their beneficiaries."""

    ENTERPRISE = "enterprise"
    RESEARCH_TEAM = "research_team"
    UNIVERSITY = "university"  # 高校、科研院所
    INCUBATOR_OPERATOR = "incubator_operator"
    INTERMEDIARY = "intermediary"  # 中介、技术转移机构
    FINANCIAL_INSTITUTION = "financial_institution"  # 银行、保险、融资租赁、担保
    INVESTMENT_FUND = "investment_fund"
    GOVERNMENT = "government"
    PERSON = "person"  # 技术经纪人等个人


ORG_KIND_LABELS: dict[OrgKind, str] = {
    OrgKind.ENTERPRISE: gettext_noop("企业"),
    OrgKind.RESEARCH_TEAM: gettext_noop("科创团队"),
    OrgKind.UNIVERSITY: gettext_noop("高校/科研院所"),
    OrgKind.INCUBATOR_OPERATOR: gettext_noop("孵化载体运营单位"),
    OrgKind.INTERMEDIARY: gettext_noop("中介/技术转移服务机构"),
    OrgKind.FINANCIAL_INSTITUTION: gettext_noop("金融机构"),
    OrgKind.INVESTMENT_FUND: gettext_noop("投资基金"),
    OrgKind.GOVERNMENT: gettext_noop("政府部门"),
    OrgKind.PERSON: gettext_noop("个人"),
}


def parse_valley(value: object) -> Valley:
    """The valley named by its code (``"晋城"``); anything else is refused with the list of codes."""
    if isinstance(value, str):
        try:
            return Valley(value.strip())
        except ValueError:
            pass
    raise ValueError(f"未知的创新驱动平台(谷) '{value}', 可选: " + "、".join(v.value for v in Valley))
