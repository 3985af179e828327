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
from jinchuang.applications.selectors import (
    application_clock,
    application_explanation,
    application_facts,
    application_get_for_user,
    applications_visible_to,
    experts_available,
    notifications_for,
)
from jinchuang.applications.web.applicant_views import applicant_context
from jinchuang.applications.web.forms import fen_to_yuan_text
from jinchuang.applications.web.views.common import duration_text, problem_text, signed_in
from jinchuang.applications.web.views.review_context import review_context
from jinchuang.applications.workflow import STATE_LABELS, TRANSITIONS_BY_NAME, State, transition_named, transitions_from
from jinchuang.audit.selectors import audit_log_for_object
from jinchuang.records.facts import is_officer_for
from jinchuang.records.models import FactState
from jinchuang.records.services import fact_reject, fact_verify

HISTORY_LABELS: dict[str, Any] = {
    "draft_save": gettext_lazy("保存草稿"),
    "material_upload": gettext_lazy("上传材料"),
    "expert_score": gettext_lazy("专家评分"),
    "expert_declare": gettext_lazy("回避声明(无利益冲突)"),
    "expert_recuse": gettext_lazy("专家回避"),
    "expert_assign": gettext_lazy("增派评审专家"),
    "objection_file": gettext_lazy("公示异议"),
    "objection_resolve": gettext_lazy("答复异议"),
    "instalment_pay": gettext_lazy("登记拨付"),
}
ANONYMOUS_ACTORS: dict[str, Any] = {
    "expert_score": gettext_lazy("评审专家"),
    "expert_declare": gettext_lazy("评审专家"),
    "expert_recuse": gettext_lazy("评审专家"),
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
                # 审核意见 written with the step (kept in the transition's audit row)
                "opinion": str((entry.after or {}).get("opinion") or "") if spec else "",
            }
        )
    return rows


@require_GET
@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    application = application_get_for_user(user=user, pk=pk)
    return render(request, "applications/detail.html", detail_context(request, application))


def detail_context(request: HttpRequest, application: Application) -> dict[str, Any]:
    """Everything the application page shows (the review views re-render it with a form's errors)."""
    user = signed_in(request)
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
        **applicant_context(application, user),  # the step bar and the receipt (the applicant's journey)
        **review_context(application, user, my_score if application.state == State.EXPERT_REVIEW else None),
    }
    return context


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
