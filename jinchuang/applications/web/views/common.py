"""Shared bits of the pages: turning service errors into Chinese messages that name the field."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jinchuang.accounts.models import User
from jinchuang.applications.clock import time_left_text
from jinchuang.applications.web.forms import FormProblem
from jinchuang.policy.case import CaseError

FIELD_LABELS: dict[str, Any] = {
    "amount_fen": _("核定金额"),
    "reason": _("低于上限的理由"),
    "message": _("说明"),
    "unmet_condition": _("未满足的条件或条款"),
    "experts": _("评审专家"),
    "state": _("办理状态"),
    "score": _("评分"),
    "recommended_amount_fen": _("建议金额"),
    "file": _("申报材料"),
    "voucher_no": _("凭证号"),
    "paid_on": _("拨付日期"),
    "instalment": _("拨付分期"),
    "text": _("异议内容"),
    "response": _("答复"),
    "notice": _("公示"),
    "case_data": _("申报事实"),
    "facts": _("依据的事实"),
    "fact": _("事实"),
    "note": _("核验说明"),
    "measure_id": _("措施"),
    "idempotency_key": _("表单"),
    "__all__": _("申报"),
    # the officers' forms (review_views, notice_views)
    "form": _("办理"),
    "opinion": _("审核意见"),
    "no_conflict": _("回避声明"),
    "name": _("姓名"),
    "phone": _("手机号码"),
    "code": _("短信验证码"),
}


def field_label(field: str) -> str:
    if field.startswith("criterion_"):  # a criterion of the expert rubric: its message names it
        return str(_("评分"))
    return str(FIELD_LABELS.get(field, field))


def problems_of(exc: Exception) -> list[tuple[str, str]]:
    """(field, Chinese message) pairs of a service, case or form error."""
    if isinstance(exc, FormProblem):
        return [(exc.field, exc.message)]
    if isinstance(exc, CaseError):
        return [(p.field, p.message) for p in exc.problems]
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return [(field, str(message)) for field, messages in exc.message_dict.items() for message in messages]
        return [("__all__", str(m)) for m in exc.messages]
    return [("__all__", str(exc))]


def problem_text(exc: Exception) -> str:
    """One line for a flash message: “核定金额: 核定金额 600,000.00 元超过计算上限 …”."""
    return "; ".join(f"{field_label(field)}: {message}" for field, message in problems_of(exc))


def duration_text(delta: Any) -> str:
    """Working time left as 剩余 1 个工作日 2 小时 30 分钟 (applications.clock.time_left_text)."""
    return time_left_text(delta)


def signed_in(request: HttpRequest) -> User:
    """The signed-in user (views are behind login_required; this narrows the type)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
