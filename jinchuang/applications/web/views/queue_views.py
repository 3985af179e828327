"""待办: what waits for each role the user holds (overdue first, highlighted; 公示 cases with open
objections marked), and finance's payments. A refused payment comes back beside its field, values kept."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from jinchuang.accounts.models import Role, User
from jinchuang.applications.models import ObjectionResolution
from jinchuang.applications.payments import instalment_pay
from jinchuang.applications.selectors import application_clock, application_get_for_user, ledger_rows, queue_for
from jinchuang.applications.web.forms import FormProblem, parse_date
from jinchuang.applications.web.views.cases import detail_context
from jinchuang.applications.web.views.common import duration_text, problem_text, signed_in
from jinchuang.applications.web.views.review_views import field_errors, refusal
from jinchuang.applications.workflow import STATE_LABELS, State

QUEUE_TITLES = {
    Role.APPLICANT: gettext_lazy("本机构在办申报"),
    Role.SERVICE_AGENT: gettext_lazy("服务专员: 待受理与初审"),
    Role.REVIEWER: gettext_lazy("部门审核: 本部门措施"),
    Role.EXPERT: gettext_lazy("专家评审: 待评分"),
    Role.FINANCE: gettext_lazy("财务: 到期待拨付分期"),
    Role.ADMIN: gettext_lazy("平台管理员: 超时督办"),
}
PAY_FIELDS = {"paid_on": "paid_on", "voucher_no": "voucher_no"}


def queue_sections(user: User) -> list[dict[str, Any]]:
    sections: list[dict[str, Any]] = []
    for role, rows in queue_for(user).items():
        if role is Role.FINANCE:
            sections.append({"role": role, "title": QUEUE_TITLES[role], "instalments": list(rows)})
            continue
        items = []
        for application in rows.select_related("organisation", "responsible_user").prefetch_related(
            "public_notice__objections"
        ):
            clock = application_clock(application)
            notice = getattr(application, "public_notice", None) if application.state == State.PUBLIC_NOTICE else None
            open_objections = (
                sum(1 for o in notice.objections.all() if o.resolution == ObjectionResolution.OPEN) if notice else 0
            )
            items.append(
                {
                    "application": application,
                    "state_label": STATE_LABELS[State(application.state)],
                    "responsible": clock.responsible,
                    "deadline": clock.deadline,
                    "left": duration_text(clock.working_time_left) if clock.deadline else "",
                    "overdue": bool(getattr(application, "is_overdue", clock.overdue)),
                    "open_objections": open_objections,
                }
            )
        sections.append({"role": role, "title": QUEUE_TITLES[role], "items": items})
    return sections


@require_GET
@login_required
def queue(request: HttpRequest) -> HttpResponse:
    return render(request, "applications/queue.html", {"sections": queue_sections(signed_in(request))})


@require_POST
@login_required
def pay(request: HttpRequest, instalment_id: int) -> HttpResponse:
    """财务: record one instalment paid (date + voucher number); the last one completes payment. A refusal
    re-renders the page the form was on (the 待办 list or the application page) with the error beside it."""
    user = signed_in(request)
    instalment = ledger_rows(user=user).filter(pk=instalment_id).first()
    if instalment is None:
        raise Http404(_("没有该分期"))
    from_queue = request.POST.get("next", "") == reverse("applications:queue")
    try:
        instalment_pay(
            instalment=instalment,
            paid_on=parse_date(request.POST.get("paid_on", ""), "paid_on", _("拨付日期")),
            voucher_no=(request.POST.get("voucher_no") or "").strip(),
            actor=user,
            request=request,
        )
    except (FormProblem, ValidationError, PermissionDenied) as exc:
        problem = refusal(exc)
        messages.error(request, problem_text(problem))
        failed = {
            "instalment": instalment.pk,
            "errors": field_errors(problem, PAY_FIELDS),
            "values": {k: request.POST.get(k, "") for k in PAY_FIELDS},
        }
        if from_queue:
            return render(request, "applications/queue.html", {"sections": queue_sections(user), "pay_failed": failed})
        application = application_get_for_user(user=user, pk=instalment.award.application_id)
        context = detail_context(request, application)
        context["pay_failed"] = failed
        return render(request, "applications/detail.html", context)
    messages.success(request, _("已登记第%(n)s期拨付") % {"n": instalment.sequence})
    if from_queue:
        return redirect("applications:queue")
    return redirect("applications:detail", pk=instalment.award.application_id)
