"""Errors of the application services and their messages (Chinese first, through gettext).

Every error is a ``ValidationError`` keyed by the field it concerns, so a form or the API can put
the message beside that field; ``code`` tells callers which error it is.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from jinchuang.policy.money import format_fen

NOT_A_MEASURE = _("目录中没有该措施: %(measure)s")
NOT_ELIGIBLE = _("不符合该措施的条件: %(failed)s")
NOT_CASH = _("该措施不是资金支持类措施, 无需在线申报金额")
NOTHING_TO_PAY = _("按已填报的事实, 该措施可支持金额为0(%(why)s)")
OTHER_VALLEY = _("措施 %(measure)s 属于%(valley)s晋创谷的政策, 本机构登记在%(organisation)s晋创谷, 不能申报")
KEY_REUSED = _("该幂等键已用于另一项申报(措施 %(measure)s)")
STATE_FORBIDS = _("当前状态“%(state)s”不能执行“%(transition)s”")
NOT_PERMITTED = _("您无权对该申报执行“%(transition)s”")
FIELD_REQUIRED = _("请填写此项")
GUARD_FAILED = {
    "needs_expert_review": _("该措施条款未要求专家评审, 请直接审核通过"),
    "no_expert_review": _("该措施条款要求经专家评审, 请先提交专家评审"),
    "experts_scored": _("尚有评审专家未评分"),
    "notice_ended_clean": _("公示期未满, 或有未处理/成立的异议"),
    "all_instalments_paid": _("尚有未拨付的分期"),
}
AMOUNT_NOT_INTEGER = _("金额须为整数(分)")
AMOUNT_NOT_POSITIVE = _("核定金额须大于0")
AMOUNT_ABOVE_MAX = _("核定金额 %(amount)s 元超过计算上限 %(max)s 元")
AMOUNT_BELOW_RANGE = _("核定金额 %(amount)s 元低于法定评审区间下限 %(min)s 元")
REASON_REQUIRED = _("核定金额低于计算上限 %(max)s 元, 须说明理由")
CAP_EXCEEDED = _("超出%(cap)s: 上限 %(limit)s 元, 已用 %(used)s 元, 本次 %(amount)s 元")
NOT_AN_EXPERT = _("%(user)s 不是评审专家")
NOT_ASSIGNED = _("您不是该申报的评审专家")
SCORE_RANGE = _("评分须在0到100之间")
RECOMMENDED_RANGE = _("建议金额须在法定区间 %(min)s–%(max)s 元内")
NOTICE_NOT_OPEN = _("该申报不在公示期内")
ALREADY_PAID = _("该分期已登记拨付")
VOUCHER_REQUIRED = _("请填写凭证号")
OFFER_NOT_OPEN = _("该免申即享事项已处理")
FACTS_UNVERIFIED = _("申报依据的事实尚未核验, 不能审定: %(facts)s。请先在机构档案中核验或驳回这些事实")


def yuan(fen: int) -> str:
    """123456789 (fen) → '1,234,567.89' (the messages say 元 after it)."""
    return format_fen(fen, unit=False)


class ApplicationError(ValidationError):
    """A request the services refuse; ``message_dict`` maps the field to its message."""

    def __init__(self, field: str, message: Any, code: str, params: dict[str, Any] | None = None) -> None:
        super().__init__({field: [ValidationError(message, code=code, params=params)]})
        self.field = field
        self.code = code


class CapExceededError(ApplicationError):
    def __init__(self, *, cap: str, key: str, limit_fen: int, used_fen: int, amount_fen: int) -> None:
        super().__init__(
            "amount_fen",
            CAP_EXCEEDED,
            "cap_exceeded",
            {"cap": cap, "limit": yuan(limit_fen), "used": yuan(used_fen), "amount": yuan(amount_fen)},
        )
        self.cap = cap
        self.key = key


class TransitionNotAllowedError(ApplicationError):
    pass


class TransitionPermissionDenied(PermissionDenied):
    pass
