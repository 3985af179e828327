"""我的申报 and the application page: state, clock, history, messages, materials, and the actions
each role may take (every action one POST to one core service)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from jinchuang.applications.materials import UPLOAD_STATES, material_path
from jinchuang.applications.models import Application, Award, ExpertScore, PublicNotice
from jinchuang.applications.permissions import may_fire
from jinchuang.applications.review import expert_score_record, objection_resolve
from jinchuang.applications.selectors import (
    application_clock,
    application_explanation,
    application_facts,
    application_get_for_user,
    applications_visible_to,
    experts_available,
    notifications_for,
)
from jinchuang.applications.services import application_approve, application_transition
from jinchuang.applications.web.forms import FormProblem, fen_to_yuan_text, parse_int, yuan_to_fen
from jinchuang.applications.web.views.common import duration_text, problem_text, signed_in
from jinchuang.applications.workflow import STATE_LABELS, TRANSITIONS_BY_NAME, State, transition_named, transitions_from
from jinchuang.audit.selectors import audit_log_for_object
from jinchuang.records.facts import is_officer_for
from jinchuang.records.models import FactState
from jinchuang.records.services import fact_reject, fact_verify

HISTORY_LABELS: dict[str, Any] = {
    "draft_save": gettext_lazy("保存草稿"),
    "material_upload": gettext_lazy("上传材料"),
    "expert_score": gettext_lazy("专家评分"),
    "objection_file": gettext_lazy("公示异议"),
    "objection_resolve": gettext_lazy("答复异议"),
    "instalment_pay": gettext_lazy("登记拨付"),
}
ANONYMOUS_ACTORS: dict[str, Any] = {
    "expert_score": gettext_lazy("评审专家"),
    "objection_file": gettext_lazy("公众"),
}
#: transitions fired from the form page, not from the action buttons
FORM_TRANSITIONS = frozenset({"submit", "resubmit"})


def _row(application: Application) -> dict[str, Any]:
    clock = application_clock(application)
    return {
        "application": application,
        "state_label": STATE_LABELS[State(application.state)],
        "responsible": clock.responsible,
        "deadline": clock.deadline,
        "left": duration_text(clock.working_time_left) if clock.deadline else "",
        "overdue": clock.overdue,
    }


@require_GET
@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    """我的申报: the organisation's applications (drafts included) with step, person and time left."""
    user = signed_in(request)
    rows = (
        applications_visible_to(user)
        .filter(organisation_id=user.organisation_id or 0)
        .select_related("responsible_user", "organisation")
        .order_by("-created_at", "-pk")
    )
    return render(request, "applications/my_list.html", {"rows": [_row(a) for a in rows]})


def _actions(application: Application, user: Any) -> list[dict[str, Any]]:
    return [
        {"name": t.name, "label": t.label, "required": t.required}
        for t in transitions_from(application.state)
        if t.name not in FORM_TRANSITIONS and may_fire(t, application, user)
    ]


def _history(application: Application) -> list[dict[str, Any]]:
    """The audit rows of the application and of its materials, scores, objections and instalments,
    oldest first, in Chinese. Experts and objectors are not named (anonymous review and objection)."""
    award = Award.objects.filter(application=application).first()
    notice = PublicNotice.objects.filter(application=application).first()
    related: list[Any] = [
        application,
        *application.materials.all(),
        *application.expert_scores.all(),
        *(notice.objections.all() if notice else []),
        *(award.instalments.all() if award else []),
    ]
    entries = [e for obj in related for e in audit_log_for_object(obj=obj).select_related("actor")]
    rows = []
    for entry in sorted(entries, key=lambda e: (e.at, e.pk)):
        name = entry.action.removeprefix("applications.")
        spec = TRANSITIONS_BY_NAME.get(name)
        state = str((entry.after or {}).get("state") or "") if entry.object_type == "applications.application" else ""
        actor = entry.actor.get_full_name() if entry.actor else (entry.actor_username or _("系统"))
        rows.append(
            {
                "at": entry.at,
                "actor": ANONYMOUS_ACTORS.get(name, actor),
                "label": spec.label if spec else HISTORY_LABELS.get(name, name),
                "state": STATE_LABELS[State(state)] if state in State._value2member_map_ else "",
            }
        )
    return rows


@require_GET
@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    application = application_get_for_user(user=user, pk=pk)
    award = Award.objects.filter(application=application).first()
    notice = PublicNotice.objects.filter(application=application).first()
    my_score = ExpertScore.objects.filter(application=application, expert=user).first()
    actions = _actions(application, signed_in(request))
    context = {
        "application": application,
        "row": _row(application),
        "history": _history(application),
        "notifications": [n for n in notifications_for(user=user) if n.application_id == application.pk],
        "materials": list(application.materials.all()),
        "can_edit": application.state in UPLOAD_STATES and user.organisation_id == application.organisation_id,
        "actions": actions,
        "experts": list(experts_available()) if any(a["name"] == "send_to_experts" for a in actions) else [],
        # expert review is anonymous to the applicant: scores are shown to the officers only
        "scores": []
        if user.organisation_id == application.organisation_id
        else list(application.expert_scores.select_related("expert")),
        "my_score": my_score if application.state == State.EXPERT_REVIEW else None,
        "award": award,
        "instalments": list(award.instalments.all()) if award else [],
        "can_pay": application.state == State.PAYMENT_SCHEDULED
        and may_fire(transition_named("complete_payment"), application, signed_in(request)),
        "notice": notice,
        "objections": list(notice.objections.all()) if notice else [],
        "can_resolve": application.state == State.PUBLIC_NOTICE
        and may_fire(transition_named("end_public_notice"), application, signed_in(request)),
        "engine_max": fen_to_yuan_text(application.engine_max_fen),
        "suggested": fen_to_yuan_text(_suggested_amount(application)),
        "review_min": fen_to_yuan_text(application.review_min_fen),
        "review_max": fen_to_yuan_text(application.review_max_fen),
        **_facts_context(application, user),
    }
    return render(request, "applications/detail.html", context)


def _facts_context(application: Application, user: Any) -> dict[str, Any]:
    """Review on facts: every fact the application relies on (provenance, evidence, state, who verified
    it), whether the viewer may verify them here, and how the engine turned them into the ceiling."""
    facts = application_facts(application)
    return {
        "facts": facts,
        "facts_pending": [f for f in facts if f.fact.state != FactState.VERIFIED],
        "can_verify": user.organisation_id != application.organisation_id
        and is_officer_for(user, application.organisation),
        "explanation": application_explanation(application),
    }


@require_POST
@login_required
def fact_decide(request: HttpRequest, pk: int, fact_id: int, decision: str) -> HttpResponse:
    """An officer verifies (with a note) or rejects (with a reason) a fact of the application, here on
    the review page; the record's services check that they serve the organisation."""
    user = signed_in(request)
    application = application_get_for_user(user=user, pk=pk)
    fact = application.facts.filter(pk=fact_id).first()
    if fact is None or decision not in ("verify", "reject"):
        raise Http404
    try:
        if decision == "verify":
            fact_verify(fact=fact, actor=user, note=request.POST.get("note", ""), request=request)
            messages.success(request, _("事实已核验"))
        else:
            fact_reject(fact=fact, actor=user, reason=request.POST.get("reason", ""), request=request)
            messages.success(request, _("事实已驳回"))
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        messages.error(request, problem_text(exc))
    return redirect("applications:detail", application.pk)


def _suggested_amount(application: Application) -> int:
    """The amount put in the approval form: the experts' mean recommendation, else the engine's maximum."""
    recommended = [s.recommended_amount_fen for s in application.expert_scores.all() if s.recommended_amount_fen]
    if recommended:
        return min(application.engine_max_fen, sum(recommended) // len(recommended))
    return application.engine_max_fen


@require_GET
@login_required
def material_download(request: HttpRequest, pk: int, material_id: int) -> FileResponse:
    """Download only: attachment, nosniff; an application the user may not open answers 404."""
    application = application_get_for_user(user=signed_in(request), pk=pk)
    material = application.materials.filter(pk=material_id).first()
    if material is None:
        raise Http404(_("没有该材料"))
    path = material_path(material)
    if not path.is_file():
        raise Http404(_("材料文件不存在"))
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=material.original_name, content_type=material.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _transition_data(name: str, post: Any) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if name in ("return", "reject"):
        data["message"] = (post.get("message") or "").strip()
    if name == "reject":
        data["unmet_condition"] = (post.get("unmet_condition") or "").strip()
    if name == "send_to_experts":
        ids = [int(i) for i in post.getlist("experts") if str(i).isdigit()]
        data["experts"] = list(experts_available().filter(pk__in=ids))
    return data


@require_POST
@login_required
def act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Fire one workflow transition (the core checks state, permission, required fields, guard)."""
    application = application_get_for_user(user=signed_in(request), pk=pk)
    if name in FORM_TRANSITIONS or name not in TRANSITIONS_BY_NAME:
        raise Http404(_("没有该操作"))
    try:
        if name == "approve":
            application_approve(
                application=application,
                amount_fen=yuan_to_fen(request.POST.get("amount", ""), "amount_fen"),
                reason=(request.POST.get("reason") or "").strip(),
                actor=signed_in(request),
                request=request,
            )
        else:
            application_transition(
                application=application,
                transition=name,
                actor=signed_in(request),
                request=request,
                **_transition_data(name, request.POST),
            )
    except (FormProblem, ValidationError) as exc:
        messages.error(request, problem_text(exc))
        return _back(request, pk)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("您无权执行该操作"))
        return _back(request, pk)
    messages.success(request, _("已办理"))
    return _back(request, pk)


def _back(request: HttpRequest, pk: int) -> HttpResponse:
    return redirect("applications:detail", pk=pk)


@require_POST
@login_required
def score(request: HttpRequest, pk: int) -> HttpResponse:
    """评审专家: a score 0–100 and a recommended amount within the legal range."""
    application = application_get_for_user(user=signed_in(request), pk=pk)
    try:
        expert_score_record(
            application=application,
            actor=signed_in(request),
            score=parse_int(request.POST.get("score", ""), "score", low=0, high=100, label=_("评分")),
            recommended_amount_fen=yuan_to_fen(request.POST.get("recommended", ""), "recommended_amount_fen"),
            comment=(request.POST.get("comment") or "").strip(),
            request=request,
        )
    except (FormProblem, ValidationError) as exc:
        messages.error(request, problem_text(exc))
        return _back(request, pk)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return _back(request, pk)
    messages.success(request, _("评分已提交"))
    return _back(request, pk)


@require_POST
@login_required
def objection_answer(request: HttpRequest, pk: int, objection_id: int) -> HttpResponse:
    """The lead department answers an objection filed during 公示."""
    application = application_get_for_user(user=signed_in(request), pk=pk)
    notice = PublicNotice.objects.filter(application=application).first()
    objection = notice.objections.filter(pk=objection_id).first() if notice else None
    if objection is None:
        raise Http404(_("没有该异议"))
    try:
        objection_resolve(
            objection=objection,
            actor=signed_in(request),
            upheld=request.POST.get("upheld") == "1",
            response=(request.POST.get("response") or "").strip(),
            request=request,
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, problem_text(exc) if isinstance(exc, ValidationError) else str(exc))
        return _back(request, pk)
    messages.success(request, _("异议已处理"))
    return _back(request, pk)
