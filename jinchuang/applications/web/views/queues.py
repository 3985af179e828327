"""待办: what waits for each role the user holds (overdue first, highlighted), and finance's payments."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from jinchuang.accounts.models import Role
from jinchuang.applications.payments import instalment_pay
from jinchuang.applications.selectors import application_clock, ledger_rows, queue_for
from jinchuang.applications.web.forms import FormProblem, parse_date
from jinchuang.applications.web.views.common import duration_text, problem_text, signed_in
from jinchuang.applications.workflow import STATE_LABELS, State

QUEUE_TITLES = {
    Role.APPLICANT: gettext_lazy("本机构在办申报"),
    Role.SERVICE_AGENT: gettext_lazy("服务专员: 待受理与初审"),
    Role.REVIEWER: gettext_lazy("部门审核: 本部门措施"),
    Role.EXPERT: gettext_lazy("专家评审: 待评分"),
    Role.FINANCE: gettext_lazy("财务: 到期待拨付分期"),
    Role.ADMIN: gettext_lazy("平台管理员: 超时督办"),
}


@require_GET
@login_required
def queue(request: HttpRequest) -> HttpResponse:
    sections = []
    for role, rows in queue_for(signed_in(request)).items():
        if role is Role.FINANCE:
            sections.append({"role": role, "title": QUEUE_TITLES[role], "instalments": list(rows)})
            continue
        items = []
        for application in rows.select_related("organisation", "responsible_user"):
            clock = application_clock(application)
            items.append(
                {
                    "application": application,
                    "state_label": STATE_LABELS[State(application.state)],
                    "responsible": clock.responsible,
                    "deadline": clock.deadline,
                    "left": duration_text(clock.working_time_left) if clock.deadline else "",
                    "overdue": bool(getattr(application, "is_overdue", clock.overdue)),
                }
            )
        sections.append({"role": role, "title": QUEUE_TITLES[role], "items": items})
    return render(request, "applications/queue.html", {"sections": sections})


@require_POST
@login_required
def pay(request: HttpRequest, instalment_id: int) -> HttpResponse:
    """财务: record one instalment paid (date + voucher number); the last one completes payment."""
    instalment = ledger_rows(user=signed_in(request)).filter(pk=instalment_id).first()
    if instalment is None:
        raise Http404(_("没有该分期"))
    try:
        instalment_pay(
            instalment=instalment,
            paid_on=parse_date(request.POST.get("paid_on", ""), "paid_on", _("拨付日期")),
            voucher_no=(request.POST.get("voucher_no") or "").strip(),
            actor=signed_in(request),
            request=request,
        )
    except (FormProblem, ValidationError) as exc:
        messages.error(request, problem_text(exc))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已登记第%(n)s期拨付") % {"n": instalment.sequence})
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("applications:detail", pk=instalment.award.application_id)
