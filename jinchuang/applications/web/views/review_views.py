"""The officers' actions on the application page: a workflow step with its 审核意见, the expert's 回避
declaration and rubric scores, more experts, the answer to an objection. Each is one POST to one core
service; a refusal re-renders the page with the error beside the field and every typed value kept."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jinchuang.applications.models import Application, PublicNotice
from jinchuang.applications.review import (
    application_rubric,
    expert_declare,
    expert_score_record,
    experts_add,
    objection_resolve,
    rubric_points_check,
)
from jinchuang.applications.selectors import application_get_for_user, experts_available
from jinchuang.applications.services import application_approve, application_transition
from jinchuang.applications.web.forms import FormProblem, yuan_to_fen
from jinchuang.applications.web.views.cases import FORM_TRANSITIONS, detail_context
from jinchuang.applications.web.views.common import problem_text, problems_of, signed_in
from jinchuang.applications.web.views.review_context import scoring_rows
from jinchuang.applications.workflow import TRANSITIONS_BY_NAME

#: the opinion box of a step is "opinion"; on 退回 and 不予支持 it is the required "message" of the core
OPINION_REQUIRED = frozenset({"return", "reject"})
#: core field → the form's input beside which its error is shown (anything else: at the top of the form)
ACTION_FIELDS = {
    "message": "opinion",
    "opinion": "opinion",
    "unmet_condition": "unmet_condition",
    "experts": "experts",
    "amount_fen": "amount",
    "reason": "reason",
}
SCORE_FIELDS = {"recommended_amount_fen": "recommended", "no_conflict": "no_conflict", "comment": "comment"}


def field_errors(exc: Exception, fields: dict[str, str]) -> dict[str, str]:
    """The problems of a refusal keyed by the form's inputs; the rest under "form" (shown atop the form)."""
    errors: dict[str, str] = {}
    for field, message in problems_of(exc):
        key = fields.get(field, field if field.startswith("criterion_") else "form")
        errors[key] = f"{errors[key]} {message}" if key in errors else message
    return errors


def refusal(exc: Exception) -> ValidationError | FormProblem:
    """A permission refusal as a form-level problem (the page says why, beside the form)."""
    if isinstance(exc, ValidationError | FormProblem):
        return exc
    return FormProblem("form", str(exc) or _("您无权执行该操作"))


def page_with_errors(request: HttpRequest, application: Application, exc: Exception, **extra: Any) -> HttpResponse:
    """The application page again: the error beside its field (``extra`` says which form) and in the banner."""
    messages.error(request, problem_text(exc))
    context = detail_context(request, application)
    context.update(extra)
    failed = extra.get("failed_action")
    if failed:
        for action in context["actions"]:
            if action["name"] == failed["name"]:
                action.update(errors=failed["errors"], typed=failed["values"])
    return render(request, "applications/detail.html", context)


def _transition_data(name: str, post: Any) -> dict[str, Any]:
    opinion = (post.get("opinion") or "").strip()
    data: dict[str, Any] = {"message": opinion} if name in OPINION_REQUIRED else {"opinion": opinion}
    if name == "reject":
        data["unmet_condition"] = (post.get("unmet_condition") or "").strip()
    if name == "send_to_experts":
        ids = [int(i) for i in post.getlist("experts") if str(i).isdigit()]
        data["experts"] = list(experts_available().filter(pk__in=ids))
    return data


@require_POST
@login_required
def act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Fire one workflow transition with the officer's opinion (the core checks state, permission,
    required fields and guard)."""
    user = signed_in(request)
    application = application_get_for_user(user=user, pk=pk)
    if name in FORM_TRANSITIONS or name not in TRANSITIONS_BY_NAME:
        raise Http404(_("没有该操作"))
    try:
        if name == "approve":
            application_approve(
                application=application,
                amount_fen=yuan_to_fen(request.POST.get("amount", ""), "amount_fen"),
                reason=(request.POST.get("reason") or "").strip(),
                opinion=(request.POST.get("opinion") or "").strip(),
                actor=user,
                request=request,
            )
        else:
            application_transition(
                application=application,
                transition=name,
                actor=user,
                request=request,
                **_transition_data(name, request.POST),
            )
    except (FormProblem, ValidationError, PermissionDenied) as exc:
        problem = refusal(exc)
        values: dict[str, Any] = {
            k: request.POST.get(k, "") for k in ("opinion", "unmet_condition", "amount", "reason")
        }
        values["experts"] = request.POST.getlist("experts")
        failed = {"name": name, "errors": field_errors(problem, ACTION_FIELDS), "values": values}
        return page_with_errors(request, application, problem, failed_action=failed)
    messages.success(request, _("已办理"))
    return redirect("applications:detail", pk=pk)


@require_POST
@login_required
def declare(request: HttpRequest, pk: int) -> HttpResponse:
    """回避声明: tick “no conflict” to open the scoring form, or declare a conflict (回避) and leave the case."""
    user = signed_in(request)
    application = application_get_for_user(user=user, pk=pk)
    conflict = request.POST.get("conflict") == "1"
    try:
        if not conflict and request.POST.get("no_conflict") != "1":
            raise FormProblem("no_conflict", _("请勾选回避声明后再评分; 如存在利益冲突, 请申请回避"))
        expert_declare(application=application, actor=user, conflict=conflict, request=request)
    except (FormProblem, ValidationError, PermissionDenied) as exc:
        problem = refusal(exc)
        return page_with_errors(request, application, problem, declare_errors=field_errors(problem, SCORE_FIELDS))
    if conflict:
        messages.success(request, _("已申请回避, 您不再评审该申报"))
        return redirect("applications:queue")
    messages.success(request, _("已声明无利益冲突, 请评分"))
    return redirect(f"{reverse('applications:detail', args=[pk])}#score-form")


@require_POST
@login_required
def score(request: HttpRequest, pk: int) -> HttpResponse:
    """评审专家: points per criterion of the measure's rubric (the total is computed by the core) and a
    recommended amount within the legal range; bad values come back beside their fields, all values kept."""
    user = signed_in(request)
    application = application_get_for_user(user=user, pk=pk)
    rubric = application_rubric(application)
    typed = {f"criterion_{c.key}": (request.POST.get(f"criterion_{c.key}") or "").strip() for c in rubric.criteria}
    typed.update({k: request.POST.get(k, "") for k in ("recommended", "comment")})
    criteria = {c.key: typed[f"criterion_{c.key}"] for c in rubric.criteria}
    try:
        problems: dict[str, list[ValidationError]] = {}
        try:
            rubric_points_check(rubric, criteria)  # checked here too, so every bad field is named at once
        except ValidationError as exc:
            problems.update(exc.error_dict)
        try:
            recommended = yuan_to_fen(typed["recommended"], "recommended_amount_fen")
        except FormProblem as exc:
            problems["recommended_amount_fen"] = [ValidationError(exc.message)]
        if problems:
            raise ValidationError(problems)
        expert_score_record(
            application=application,
            actor=user,
            criteria=criteria,
            recommended_amount_fen=recommended,
            comment=typed["comment"].strip(),
            request=request,
        )
    except (ValidationError, PermissionDenied) as exc:
        problem = refusal(exc)
        errors = field_errors(problem, SCORE_FIELDS)
        return page_with_errors(
            request,
            application,
            problem,
            declare_errors={k: v for k, v in errors.items() if k == "no_conflict"},  # not declared yet
            score_errors=errors,
            score_values=typed,
            score_rows=scoring_rows(application, typed, errors),
        )
    messages.success(request, _("评分已提交"))
    return redirect("applications:detail", pk=pk)


@require_POST
@login_required
def add_experts(request: HttpRequest, pk: int) -> HttpResponse:
    """The lead department adds experts to a case in 专家评审 (after a 回避, or for more opinions)."""
    user = signed_in(request)
    application = application_get_for_user(user=user, pk=pk)
    ids = [int(i) for i in request.POST.getlist("experts") if str(i).isdigit()]
    try:
        experts_add(
            application=application, actor=user, experts=experts_available().filter(pk__in=ids), request=request
        )
    except (ValidationError, PermissionDenied) as exc:
        problem = refusal(exc)
        return page_with_errors(request, application, problem, add_experts_errors=field_errors(problem, ACTION_FIELDS))
    messages.success(request, _("已增派评审专家"))
    return redirect("applications:detail", pk=pk)


@require_POST
@login_required
def objection_answer(request: HttpRequest, pk: int, objection_id: int) -> HttpResponse:
    """The lead department answers an objection filed during 公示 (the answer is required)."""
    user = signed_in(request)
    application = application_get_for_user(user=user, pk=pk)
    notice = PublicNotice.objects.filter(application=application).first()
    objection = notice.objections.filter(pk=objection_id).first() if notice else None
    if objection is None:
        raise Http404(_("没有该异议"))
    upheld = request.POST.get("upheld") == "1"
    response = (request.POST.get("response") or "").strip()
    try:
        objection_resolve(objection=objection, actor=user, upheld=upheld, response=response, request=request)
    except (ValidationError, PermissionDenied) as exc:
        problem = refusal(exc)
        failed = {
            "objection": objection.pk,
            "errors": field_errors(problem, {"response": "response"}),
            "values": {"response": request.POST.get("response", ""), "upheld": "1" if upheld else "0"},
        }
        return page_with_errors(request, application, problem, answer_failed=failed)
    messages.success(request, _("异议已处理"))
    return redirect("applications:detail", pk=pk)
