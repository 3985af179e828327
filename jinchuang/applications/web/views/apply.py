"""申报: the application form (from a calculator row or a measure page), autosave, upload, submit once."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jinchuang.accounts.choices import valley_label
from jinchuang.accounts.models import Organisation, User
from jinchuang.applications.conf import material_max_bytes
from jinchuang.applications.engine import catalog_measure
from jinchuang.applications.errors import TransitionPermissionDenied
from jinchuang.applications.materials import UPLOAD_STATES, material_upload
from jinchuang.applications.models import Application
from jinchuang.applications.selectors import application_get_for_user
from jinchuang.applications.services import application_save_draft, application_submit, application_transition
from jinchuang.applications.web.applicant_views import preview_context, problem_lines
from jinchuang.applications.web.apply_fields import event_rows, measure_event_types
from jinchuang.applications.web.forms import FormProblem, application_case, idempotency_key
from jinchuang.applications.web.views.common import problem_text, problems_of, signed_in
from jinchuang.applications.workflow import State
from jinchuang.calculator import caseform
from jinchuang.policy.case import CaseError
from jinchuang.policy.schema import Document, Measure
from jinchuang.records.eventfields import event_type_label

PREFILL_SESSION_KEY = "applications.prefill"
PREFILLS_KEPT = 10
_EVENT_PATH = re.compile(r"^events\[(\d+)\]\.(\w+)$")
_APPLICANT_FIELDS = {
    "applicant.kind": "applicant_kind",
    "applicant.valley": "applicant_valley",
    "applicant.settled_on": "settled_on",
    "as_of": "as_of",
}


def _measure_or_404(measure_id: str) -> tuple[Document, Measure]:
    found = catalog_measure(measure_id)
    if found is None:
        raise Http404(_("目录中没有该措施"))
    return found


def _default_case(request: HttpRequest, measure: Measure) -> dict[str, Any]:
    organisation = getattr(request.user, "organisation", None)
    applicant: dict[str, Any] = {}
    if organisation is not None:
        # the codes, never the translated labels: get_valley_display() is "Jincheng" in English
        applicant = {"kind": organisation.kind, "valley": organisation.valley}
        if organisation.settled_on:
            applicant["settled_on"] = organisation.settled_on.isoformat()
    return {"as_of": timezone.localdate().isoformat(), "applicant": applicant, "events": [], "prior_grants": []}


def _with_measure_events(case_data: dict[str, Any], measure: Measure) -> dict[str, Any]:
    """Add a blank row of the measure's event type when the case has none, so the form asks for what
    the measure needs (the form shows only the event types the measure reads)."""
    wanted = measure_event_types(measure)
    events = list(case_data.get("events") or [])
    if wanted and not any(e.get("type") in wanted for e in events if isinstance(e, dict)):
        events.append({"type": wanted[0], "date": ""})
    return {**case_data, "events": events}


def _field_errors(problems: list[tuple[str, str]]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for field, message in problems:
        match = _EVENT_PATH.match(field)
        name = f"ev-{match.group(1)}-{match.group(2)}" if match else _APPLICANT_FIELDS.get(field, field)
        errors.setdefault(name, message)
    return errors


def _organisation_of(request: HttpRequest) -> Organisation | None:
    organisation = getattr(request.user, "organisation", None)
    return organisation if isinstance(organisation, Organisation) else None


def _materials_context(application: Application | None, **extra: Any) -> dict[str, Any]:
    """What the 申报材料 block reads (_materials_inner.html): the list, whether the upload form is shown, its
    size limit, and after an upload its outcome (``upload_error`` beside the file field, or ``uploaded_name``)."""
    return {
        "application": application,
        "materials": list(application.materials.all()) if application is not None else [],
        "can_upload": application is not None and application.state in UPLOAD_STATES,
        "upload_limit": material_max_bytes(),
        **extra,
    }


def _form_context(
    *,
    request: HttpRequest,
    doc: Document,
    measure: Measure,
    case_data: dict[str, Any],
    key: str,
    application: Application | None = None,
    problems: list[tuple[str, str]] | None = None,
) -> dict[str, Any]:
    problems = problems or []
    errors = _field_errors(problems)
    organisation = application.organisation if application is not None else _organisation_of(request)
    user = request.user if isinstance(request.user, User) else None
    wanted = measure_event_types(measure)
    context = caseform.form_context(case_data, errors, scope="")
    rows = event_rows(measure, case_data, errors)
    return {
        **context,
        **preview_context(organisation=organisation, actor=user, measure_id=measure.id, case_data=case_data),
        "doc": doc,
        "doc_valley": valley_label(doc.valley.value),
        "measure": measure,
        "record": organisation,  # kind, valley and 入驻日期 shown read-only: the applicant cannot set them
        "as_of": timezone.localdate().isoformat(),  # the judging date is the submission date
        "event_rows": rows,
        "next_index": max((r["index"] for r in rows), default=-1) + 1,
        "measure_event_type": wanted[0] if wanted else "",
        "measure_event_labels": [event_type_label(t) for t in wanted],
        "idempotency_key": key,
        **_materials_context(application, upload_error=errors.get("file")),
        "errors": errors,
        "problems": problems,
        "problem_lines": problem_lines(problems, case_data),
    }


@require_POST
def apply_start(request: HttpRequest) -> HttpResponse:
    """From a calculator result row: keep the case's facts in the session and open the form."""
    measure_id = (request.POST.get("measure_id") or "").strip()
    _measure_or_404(measure_id)
    try:
        case_data = json.loads(request.POST.get("case_json") or "{}")
    except ValueError:
        case_data = {}
    if not isinstance(case_data, dict):
        case_data = {}
    token = uuid.uuid4().hex[:16]
    prefills = dict(list(request.session.get(PREFILL_SESSION_KEY, {}).items())[-(PREFILLS_KEPT - 1) :])
    prefills[token] = {"measure_id": measure_id, "case": case_data}
    request.session[PREFILL_SESSION_KEY] = prefills
    return redirect(f"{reverse('applications:apply', args=[measure_id])}?prefill={token}")


@require_GET
@login_required
def apply_form(request: HttpRequest, measure_id: str) -> HttpResponse:
    doc, measure = _measure_or_404(measure_id)
    prefill = request.session.get(PREFILL_SESSION_KEY, {}).get(request.GET.get("prefill", ""))
    if prefill and prefill.get("measure_id") == measure_id:
        case_data = prefill["case"]
    else:
        case_data = _default_case(request, measure)
    context = _form_context(
        request=request,
        doc=doc,
        measure=measure,
        case_data=_with_measure_events(case_data, measure),
        key=uuid.uuid4().hex,
    )
    return render(request, "applications/apply.html", context)


@require_GET
@login_required
def draft_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A saved draft (or a case returned for more information) opened again in the form."""
    application = application_get_for_user(user=signed_in(request), pk=pk)
    if application.state not in (State.DRAFT, State.RETURNED):
        return redirect("applications:detail", pk=pk)
    doc, measure = _measure_or_404(application.measure_id)
    context = _form_context(
        request=request,
        doc=doc,
        measure=measure,
        case_data=application.case_data,
        key=application.idempotency_key,
        application=application,
    )
    return render(request, "applications/apply.html", context)


@require_POST
@login_required
def autosave(request: HttpRequest, measure_id: str) -> HttpResponse:
    """HTMX target of every change (debounced in the page): save the draft named by the form's key."""
    organisation = getattr(request.user, "organisation", None)
    try:
        if organisation is None:
            raise TransitionPermissionDenied(_("您的账号不属于任何机构, 不能申报"))
        application = application_save_draft(
            organisation=organisation,
            measure_id=measure_id,
            case_data=application_case(request.POST),
            idempotency_key=idempotency_key(request.POST),
            actor=signed_in(request),
            request=request,
        )
    except (FormProblem, ValidationError, PermissionDenied) as exc:
        text = problem_text(exc) if not isinstance(exc, PermissionDenied) else str(exc)
        return render(request, "applications/_autosave.html", {"error": text})
    response = render(
        request,
        "applications/_autosave.html",
        {
            "application": application,
            "saved_at": timezone.localtime(),
            **_materials_context(application),
        },
    )
    if application.state == State.DRAFT:
        response["HX-Replace-Url"] = reverse("applications:draft_edit", args=[application.pk])
    return response


@require_POST
@login_required
def submit(request: HttpRequest, measure_id: str) -> HttpResponse:
    """Submit once: the key was generated when the form was rendered; a retry returns the same case."""
    doc, measure = _measure_or_404(measure_id)
    case_data = application_case(request.POST)
    key = (request.POST.get("idempotency_key") or "").strip()
    organisation = getattr(request.user, "organisation", None)
    if organisation is None:
        raise PermissionDenied(_("您的账号不属于任何机构, 不能申报"))
    try:
        application = application_submit(
            organisation=organisation,
            measure_id=measure_id,
            case_data=case_data,
            idempotency_key=idempotency_key(request.POST),
            actor=signed_in(request),
            request=request,
        )
    except (FormProblem, ValidationError, CaseError) as exc:
        draft = Application.objects.filter(organisation=organisation, idempotency_key=key).first() if key else None
        context = _form_context(
            request=request,
            doc=doc,
            measure=measure,
            case_data=case_data,
            key=key or uuid.uuid4().hex,
            application=draft,
            problems=problems_of(exc),
        )
        return render(request, "applications/apply.html", context, status=400)
    messages.success(
        request,
        format_html(
            _("已提交，申报编号 {number}，可凭查询码查询进度（查询码见站内消息和回执）。{link}"),
            number=application.number,
            link=format_html(
                '<a href="{}" data-testid="receipt-link-message">{}</a>',
                reverse("applications:receipt", args=[application.pk]),
                _("下载申报回执(PDF)"),
            ),
        ),
    )
    return redirect("applications:detail", pk=application.pk)


@require_POST
@login_required
def resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    """退回补正 → 补正后重新提交, with the facts as corrected in the form."""
    application = application_get_for_user(user=signed_in(request), pk=pk)
    case_data = application_case(request.POST)
    try:
        application_transition(
            application=application,
            transition="resubmit",
            actor=signed_in(request),
            request=request,
            case_data=case_data,
        )
    except (ValidationError, CaseError) as exc:
        doc, measure = _measure_or_404(application.measure_id)
        context = _form_context(
            request=request,
            doc=doc,
            measure=measure,
            case_data=case_data,
            key=application.idempotency_key,
            application=application,
            problems=problems_of(exc),
        )
        return render(request, "applications/apply.html", context, status=400)
    messages.success(request, _("已重新提交"))
    return redirect("applications:detail", pk=pk)


def _upload_refused(request: HttpRequest, application: Application, message: str) -> HttpResponse:
    """A refused upload: the Chinese message beside the file field, for HTMX (the block alone) and without
    JavaScript (the form page again, the block with the message, the summary at the top naming 申报材料)."""
    if request.headers.get("HX-Request") == "true":
        # 200, not 400: htmx swaps no 4xx response by default, and the message must replace the block
        return render(request, "applications/_materials.html", _materials_context(application, upload_error=message))
    if application.state not in UPLOAD_STATES:  # no upload field any more: say so on the application's page
        messages.error(request, _("申报材料: %(e)s") % {"e": message})
        return redirect("applications:detail", pk=application.pk)
    doc, measure = _measure_or_404(application.measure_id)
    context = _form_context(
        request=request,
        doc=doc,
        measure=measure,
        case_data=application.case_data,
        key=application.idempotency_key,
        application=application,
        problems=[("file", message)],
    )
    return render(request, "applications/apply.html", context, status=400)


@require_POST
@login_required
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    """One material (PDF/JPG/PNG, size-limited, magic bytes checked by the platform's upload rules in
    records/evidence.py through ``material_upload``). A refusal is shown beside the file field; after an
    upload, HTMX gets the block with the new list, a plain POST goes back to the form."""
    application = application_get_for_user(user=signed_in(request), pk=pk)
    file = request.FILES.get("file")
    if file is None:
        return _upload_refused(request, application, _("请选择要上传的文件"))
    try:
        material_upload(
            application=application,
            file=file,
            original_name=file.name or "",
            actor=signed_in(request),
            request=request,
        )
    except (ValidationError, PermissionDenied) as exc:
        return _upload_refused(request, application, "; ".join(message for _field, message in problems_of(exc)))
    if request.headers.get("HX-Request") == "true":
        return render(request, "applications/_materials.html", _materials_context(application, uploaded_name=file.name))
    messages.success(request, _("已上传: %(name)s") % {"name": file.name})
    target = "applications:draft_edit" if application.state in UPLOAD_STATES else "applications:detail"
    return redirect(f"{reverse(target, args=[pk])}#materials")
