"""The applicant's journey: the live preview of the form, the form's event rows, the 申报回执 download,
the step bar of the application page, and 进度查询 (public, by 申报编号 + 查询码)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jinchuang.accounts.models import Organisation, User
from jinchuang.applications.clock import time_left_text
from jinchuang.applications.models import Application, Receipt
from jinchuang.applications.preview import application_preview
from jinchuang.applications.progress import ProgressQueryRefused, progress_lookup
from jinchuang.applications.selectors import application_get_for_user, applications_visible_to
from jinchuang.applications.steps import StepBar, application_steps
from jinchuang.applications.web.apply_fields import event_row as measure_event_row
from jinchuang.applications.web.forms import FormProblem, application_case
from jinchuang.applications.web.views.common import field_label, problems_of, signed_in
from jinchuang.policy.catalog import default_catalog
from jinchuang.policy.results import STATUS_LABELS, MeasureResult
from jinchuang.policy.schema import Measure

_EVENT_PATH = re.compile(r"^events\[(\d+)\]\.(\w+)$")
_APPLICANT_LABELS: dict[str, Any] = {
    "applicant.settled_on": gettext_lazy("入驻日期"),
    "applicant.kind": gettext_lazy("主体类型"),
    "applicant.valley": gettext_lazy("所在谷"),
}


def _measure_or_404(measure_id: str) -> Measure:
    try:
        return default_catalog().measure(measure_id)[1]
    except KeyError:
        raise Http404(_("目录中没有该措施")) from None


def problem_lines(problems: list[tuple[str, str]], case_data: dict[str, Any]) -> list[str]:
    """The problems of a refused case in Chinese, each named by what the user sees (事件 1 · 技术交易额),
    never by a field path."""
    events = [e for e in case_data.get("events") or [] if isinstance(e, dict)]
    vocabulary = default_catalog().vocabulary
    lines = []
    for field, message in problems:
        match = _EVENT_PATH.match(field)
        if match:
            index, name = int(match.group(1)), match.group(2)
            etype = str(events[index].get("type", "")) if index < len(events) else ""
            spec = vocabulary.get(etype)
            label = {"date": _("日期"), "type": _("事件类型")}.get(name) or (
                spec.fields[name].label if spec is not None and name in spec.fields else _("事实")
            )
            values = {"n": index + 1, "label": label, "message": message}
            lines.append(_("事件 %(n)s · %(label)s: %(message)s") % values)
        elif field in _APPLICANT_LABELS:
            lines.append(f"{_APPLICANT_LABELS[field]}: {message}")
        elif field in ("__all__", "case_data", "measure_id", "as_of") or field.startswith(("events", "prior_grants")):
            lines.append(message)
        else:
            lines.append(f"{field_label(field)}: {message}")
    return lines


def preview_context(
    *, organisation: Organisation | None, actor: User | None, measure_id: str, case_data: dict[str, Any]
) -> dict[str, Any]:
    """The preview box's context: the submission's engine call on the facts as they stand."""
    if organisation is None or actor is None:
        return {"preview": None, "preview_problems": [_("您的账号不属于任何机构, 不能申报")], "preview_status": ""}
    preview = application_preview(organisation=organisation, measure_id=measure_id, case_data=case_data, actor=actor)
    result: MeasureResult | None = preview.result
    problems = problems_of(preview.problem) if preview.problem is not None else []
    return {
        "preview": result,
        "preview_problems": problem_lines(problems, case_data),
        "preview_status": STATUS_LABELS.get(result.status, "") if result is not None else "",
    }


@require_POST
@login_required
def preview(request: HttpRequest, measure_id: str) -> HttpResponse:
    """HTMX target of every change of the form (hx-trigger change, small delay): the preview box again."""
    _measure_or_404(measure_id)
    user = signed_in(request)
    try:
        case_data = application_case(request.POST)
    except FormProblem as exc:
        return render(request, "applications/_preview.html", {"preview": None, "preview_problems": [exc.message]})
    organisation = user.organisation if isinstance(user.organisation, Organisation) else None
    context = preview_context(organisation=organisation, actor=user, measure_id=measure_id, case_data=case_data)
    return render(request, "applications/_preview.html", context)


@require_GET
@login_required
def event_row(request: HttpRequest, measure_id: str) -> HttpResponse:
    """A new event row of the form: one of the measure's event types, only the fields it reads."""
    measure = _measure_or_404(measure_id)
    raw = request.GET.get("index", "0")
    index = int(raw) if raw.isdigit() else 0
    row = measure_event_row(measure, index, {"type": request.GET.get("type", "")}, {})
    return render(request, "applications/_apply_event_row.html", {"row": row})


@require_GET
@login_required
def receipt_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The 申报回执 (PDF): only the organisation's own members (it carries the 查询码); others 404."""
    user = signed_in(request)
    application = application_get_for_user(user=user, pk=pk)
    receipt = Receipt.objects.filter(application=application).first()
    if receipt is None or user.organisation_id != application.organisation_id:
        raise Http404(_("没有该回执"))
    response = HttpResponse(bytes(receipt.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="receipt-{application.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def clock_text(left: dt.timedelta | None) -> str:
    """Working time left as 剩余 2 个工作日 3 小时 (applications.clock.time_left_text)."""
    return time_left_text(left)


def steps_context(bar: StepBar) -> dict[str, Any]:
    current = bar.current
    return {
        "bar": bar,
        "clock": clock_text(current.working_time_left) if current is not None else "",
    }


def applicant_context(application: Application, user: User) -> dict[str, Any]:
    """What the application page shows for the applicant's journey: the step bar and the receipt."""
    own = user.organisation_id == application.organisation_id
    return {
        "steps": steps_context(application_steps(application)),
        "receipt_available": own and Receipt.objects.filter(application=application).exists(),
    }


def _client_ip(request: HttpRequest) -> str:
    """The address the request came from (REMOTE_ADDR: a proxy in front must set it, see docs)."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")[:45]


@require_http_methods(["GET", "POST"])
def progress(request: HttpRequest) -> HttpResponse:
    """进度查询: 申报编号 + 查询码, no account. Shows the state, the current step and the dates only."""
    context: dict[str, Any] = {"number": "", "errors": {}, "view": None}
    if request.method == "POST":
        number = (request.POST.get("number") or "").strip()[:40]
        code = (request.POST.get("code") or "").strip()[:40]
        context["number"] = number
        try:
            view = progress_lookup(number=number, code=code, ip=_client_ip(request))
        except ProgressQueryRefused as exc:
            field = exc.field if exc.field in ("number", "code") else "code"
            context["errors"] = {field: exc.message}
            return render(request, "applications/progress.html", context, status=400)
        context["view"] = view
        context["steps"] = steps_context(view.steps)
    return render(request, "applications/progress.html", context)


@require_GET
@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    """我的申报: the organisation's applications (drafts included), newest first, each with its 申报编号,
    current step, who holds it (a role or department) and the clock."""
    user = signed_in(request)
    rows = []
    own = applications_visible_to(user).filter(organisation_id=user.organisation_id or 0)
    for application in own.order_by("-created_at", "-pk"):
        bar = application_steps(application)
        current = bar.current
        rows.append(
            {
                "application": application,
                "state_label": bar.state_label,
                "holder": current.holder if current is not None else "",
                "deadline": current.deadline if current is not None else None,
                "clock": clock_text(current.working_time_left) if current is not None else "",
                "overdue": current.overdue if current is not None else False,
            }
        )
    return render(request, "applications/my_list.html", {"rows": rows})
