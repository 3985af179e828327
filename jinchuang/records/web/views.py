"""The record's pages: a member's own record (机构档案), an officer's view of an organisation they serve
(verify, reject, enter), declaring and correcting a fact, the officer's list and evidence downloads.

A record the user may not read answers 404 (never 403: existence does not leak). Every action is one
POST to one service of ``jinchuang.records.services``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jinchuang.accounts.models import Organisation, User
from jinchuang.policy.case import CaseError
from jinchuang.records import errors as record_errors
from jinchuang.records.entitlements import entitlements_of
from jinchuang.records.eventfields import event_type_label
from jinchuang.records.evidence import evidence_path, evidence_upload
from jinchuang.records.facts import (
    evidence_for_reader,
    fact_for_reader,
    is_officer_for,
    organisation_for_reader,
    record_view,
    served_organisations,
)
from jinchuang.records.models import Evidence, Fact
from jinchuang.records.permissions import is_member
from jinchuang.records.services import (
    fact_declare,
    fact_enter,
    fact_reject,
    fact_supersede,
    fact_verify,
    normalise_event,
)
from jinchuang.records.web.forms import errors_of, event_data_from_post, fact_values, form_context, known_type

NO_ORGANISATION = gettext_lazy("您的账号不属于任何机构, 没有机构档案")
CORRECTION_REASON_REQUIRED = gettext_lazy("请填写更正理由")
CHOOSE_TYPE = gettext_lazy("请选择事实类型")
DECLARED = gettext_lazy("已申报, 待工作人员核验")
ENTERED = gettext_lazy("已录入并核验")
CORRECTED = gettext_lazy("已更正, 原事实保留为历史")
VERIFIED = gettext_lazy("已核验")
REJECTED = gettext_lazy("已驳回")
FIELD_LABELS: dict[str, Any] = {
    "note": gettext_lazy("核验说明"),
    "reason": gettext_lazy("理由"),
    "evidence": gettext_lazy("证明材料"),
    "fact": gettext_lazy("事实"),
    "__all__": gettext_lazy("操作"),
}


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


def _problem_line(exc: Exception) -> str:
    return "; ".join(
        f"{FIELD_LABELS.get(field, FIELD_LABELS['__all__'])}: {message}"
        for field, message in errors_of(exc, "").items()
    )


#: timeline entries shown before "show all"
TIMELINE_PAGE = 50


def _record_page(request: HttpRequest, organisation: Organisation, *, officer: bool) -> HttpResponse:
    show_all = request.GET.get("all") == "1"
    record = record_view(organisation, limit=None if show_all else TIMELINE_PAGE)
    in_event_order = sorted(record.facts, key=lambda f: (f.date, f.pk))  # as records.selectors.live_facts
    context = {
        "record": record,
        "entitlements": entitlements_of(organisation, facts=in_event_order),
        "officer": officer,
        "member": is_member(_user(request), organisation),
    }
    return render(request, "records/record.html", context)


@require_GET
@login_required
def my_record(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if served_organisations(user) is not None:  # an officer's records are those they serve
        return redirect("records:served")
    if user.organisation is None:
        return render(request, "records/no_record.html", {"message": NO_ORGANISATION}, status=404)
    return _record_page(request, user.organisation, officer=False)


@require_GET
@login_required
def organisation_record(request: HttpRequest, organisation_id: int) -> HttpResponse:
    user = _user(request)
    organisation = organisation_for_reader(user, organisation_id)
    if organisation is None:
        raise Http404
    if is_member(user, organisation):
        return redirect("records:mine")
    return _record_page(request, organisation, officer=is_officer_for(user, organisation))


@require_GET
@login_required
def served(request: HttpRequest) -> HttpResponse:
    rows = served_organisations(_user(request))
    if rows is None:
        raise Http404
    return render(request, "records/served.html", {"rows": rows})


def _uploads(request: HttpRequest, user: User, organisation: Organisation) -> list[Evidence]:
    return [
        evidence_upload(
            file=f, original_name=f.name or "", actor=user, organisation=organisation, field="evidence", request=request
        )
        for f in request.FILES.getlist("evidence")
    ]


def _form_page(
    request: HttpRequest,
    *,
    organisation: Organisation,
    mode: str,
    event_type: str,
    errors: dict[str, str] | None = None,
    fact: Fact | None = None,
    status: int = 200,
) -> HttpResponse:
    post = request.POST if request.method == "POST" else None
    values = fact_values(fact) if fact is not None and post is None else None
    context = form_context(event_type, post, errors, values)
    if fact is not None and post is None:
        context["values"].update({"date": fact.date.isoformat(), "ref": fact.ref})
    if mode == "enter":
        action = reverse("records:enter", args=[organisation.pk])
    elif mode == "correct" and fact is not None:
        action = reverse("records:correct", args=[fact.pk])
    else:
        action = reverse("records:declare")
    context.update(
        {
            "organisation": organisation,
            "mode": mode,
            "fact": fact,
            "action": action,
            "type_label": event_type_label(event_type) if event_type else "",
            "back": _back(
                organisation, mode == "enter" or (fact is not None and not is_member(_user(request), organisation))
            ),
        }
    )
    return render(request, "records/fact_form.html", context, status=status)


def _back(organisation: Organisation, officer: bool) -> str:
    return reverse("records:organisation", args=[organisation.pk]) if officer else reverse("records:mine")


def _save(
    request: HttpRequest, *, organisation: Organisation, mode: str, event_type: str, fact: Fact | None = None
) -> HttpResponse:
    user = _user(request)
    post = request.POST
    if not known_type(event_type):
        return _form_page(
            request, organisation=organisation, mode=mode, event_type="", errors={"type": str(CHOOSE_TYPE)}, status=400
        )
    data = event_data_from_post(post, event_type)
    note, reason = post.get("note", "").strip(), post.get("reason", "").strip()
    try:
        normalise_event(data)  # refuse a bad event before any file is kept
        if mode == "enter" and not note:
            raise ValidationError({"note": [record_errors.NOTE_REQUIRED]})
        if mode == "correct" and not reason:
            raise ValidationError({"reason": [CORRECTION_REASON_REQUIRED]})
        evidence: Sequence[Evidence] = _uploads(request, user, organisation)
        subject = post.get("subject", "")
        if mode == "declare":
            saved, created = fact_declare(
                organisation=organisation,
                event_data=data,
                actor=user,
                evidence=evidence,
                subject=subject,
                request=request,
            )
        elif mode == "enter":
            saved, created = fact_enter(
                organisation=organisation,
                event_data=data,
                actor=user,
                note=note,
                evidence=evidence,
                subject=subject,
                request=request,
            )
        else:
            assert fact is not None
            saved = fact_supersede(
                fact=fact, event_data=data, actor=user, reason=reason, evidence=evidence, request=request
            )
            created = True
    except PermissionDenied as exc:
        raise Http404 from exc
    except (CaseError, ValidationError) as exc:
        return _form_page(
            request,
            organisation=organisation,
            mode=mode,
            event_type=event_type,
            errors=errors_of(exc, event_type),
            fact=fact,
            status=400,
        )
    if not created:
        messages.warning(
            request,
            record_errors.DUPLICATE_FACT
            % {"label": event_type_label(saved.event_type), "date": saved.date.isoformat()},
        )
    else:
        messages.success(request, {"declare": DECLARED, "enter": ENTERED}.get(mode, CORRECTED))
    return redirect(_back(organisation, mode == "enter" or not is_member(user, organisation)))


@require_http_methods(["GET", "POST"])
@login_required
def declare(request: HttpRequest) -> HttpResponse:
    """The organisation declares a fact (待核验): choose the type, then the form generated for it."""
    user = _user(request)
    if user.organisation is None:
        raise Http404
    if request.method == "POST":
        return _save(request, organisation=user.organisation, mode="declare", event_type=request.POST.get("type", ""))
    event_type = request.GET.get("type", "")
    return _form_page(
        request, organisation=user.organisation, mode="declare", event_type=event_type if known_type(event_type) else ""
    )


@require_http_methods(["GET", "POST"])
@login_required
def enter(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """An officer who serves the organisation enters a fact they attest (已核验, with a note)."""
    user = _user(request)
    organisation = organisation_for_reader(user, organisation_id)
    if organisation is None or not is_officer_for(user, organisation):
        raise Http404
    if request.method == "POST":
        return _save(request, organisation=organisation, mode="enter", event_type=request.POST.get("type", ""))
    event_type = request.GET.get("type", "")
    return _form_page(
        request, organisation=organisation, mode="enter", event_type=event_type if known_type(event_type) else ""
    )


@require_http_methods(["GET", "POST"])
@login_required
def correct(request: HttpRequest, fact_id: int) -> HttpResponse:
    """Correct (supersede) a live fact with a reason; the old one stays as history."""
    user = _user(request)
    fact = fact_for_reader(user, fact_id)
    if fact is None or not (is_member(user, fact.organisation) or is_officer_for(user, fact.organisation)):
        raise Http404
    if not fact.is_live or not known_type(fact.event_type):
        messages.error(request, record_errors.NOT_LIVE)
        return redirect(_back(fact.organisation, not is_member(user, fact.organisation)))
    if request.method == "POST":
        return _save(request, organisation=fact.organisation, mode="correct", event_type=fact.event_type, fact=fact)
    return _form_page(request, organisation=fact.organisation, mode="correct", event_type=fact.event_type, fact=fact)


def _officer_fact(request: HttpRequest, fact_id: int) -> Fact:
    user = _user(request)
    fact = fact_for_reader(user, fact_id)
    if fact is None or not is_officer_for(user, fact.organisation):
        raise Http404
    return fact


@require_POST
@login_required
def verify(request: HttpRequest, fact_id: int) -> HttpResponse:
    fact = _officer_fact(request, fact_id)
    user = _user(request)
    try:
        evidence = _uploads(request, user, fact.organisation)
        fact_verify(fact=fact, actor=user, note=request.POST.get("note", ""), evidence=evidence, request=request)
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        messages.error(request, _problem_line(exc))
    else:
        messages.success(request, VERIFIED)
    return redirect("records:organisation", fact.organisation_id)


@require_POST
@login_required
def reject(request: HttpRequest, fact_id: int) -> HttpResponse:
    fact = _officer_fact(request, fact_id)
    try:
        fact_reject(fact=fact, actor=_user(request), reason=request.POST.get("reason", ""), request=request)
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        messages.error(request, _problem_line(exc))
    else:
        messages.success(request, REJECTED)
    return redirect("records:organisation", fact.organisation_id)


@require_GET
@login_required
def evidence_download(request: HttpRequest, evidence_id: int) -> FileResponse:
    evidence = evidence_for_reader(_user(request), evidence_id)
    if evidence is None:
        raise Http404
    path = evidence_path(evidence)
    if not path.is_file():
        raise Http404
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=evidence.original_name, content_type=evidence.content_type
    )
