"""免申即享: an officer enters facts the platform holds for an organisation and the platform offers every
measure they make it eligible for; the organisation confirms an offer instead of applying from scratch."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jinchuang.accounts.models import Organisation, Role
from jinchuang.applications.errors import ApplicationError
from jinchuang.applications.models import Offer, OfferState
from jinchuang.applications.offers import OFFICER_ROLES, offer_confirm, offer_create_from_facts
from jinchuang.applications.permissions import roles_of
from jinchuang.applications.web.views.common import problem_text, signed_in
from jinchuang.calculator.caseform import case_from_form, form_context, form_error_context
from jinchuang.policy.case import CaseError
from jinchuang.policy.vocabulary import OrgKind


def _is_officer(request: HttpRequest) -> bool:
    return bool(roles_of(signed_in(request)) & OFFICER_ROLES)


@require_http_methods(["GET"])
@login_required
def offer_list(request: HttpRequest) -> HttpResponse:
    """Applicants: their organisation's offers. Officers: the offers of one organisation, or the latest."""
    user = signed_in(request)
    offers = Offer.objects.select_related("organisation", "application")
    if _is_officer(request):
        organisation_id = request.GET.get("organisation", "")
        if organisation_id.isdigit():
            offers = offers.filter(organisation_id=int(organisation_id))
        offers = offers[:100]
    elif Role.APPLICANT in roles_of(user) and user.organisation_id is not None:
        offers = offers.filter(organisation_id=user.organisation_id)
    else:
        raise Http404
    return render(
        request,
        "applications/offers.html",
        {"offers": offers, "officer": _is_officer(request), "open": OfferState.OPEN},
    )


@require_POST
@login_required
def offer_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    if Role.APPLICANT not in roles_of(user) or user.organisation_id is None:
        raise Http404
    offer = get_object_or_404(Offer, pk=pk, organisation_id=user.organisation_id)  # another org's offer: 404
    try:
        application = offer_confirm(offer=offer, actor=user, request=request)
    except (ApplicationError, CaseError) as exc:
        messages.error(request, problem_text(exc))
        return redirect("applications:offers")
    messages.success(request, _("已确认, 申报已提交"))
    return redirect("applications:detail", pk=application.pk)


def _facts_of(organisation: Organisation) -> dict[str, Any]:
    applicant: dict[str, Any] = {"kind": organisation.kind, "name": organisation.name, "valley": organisation.valley}
    if organisation.settled_on:
        applicant["settled_on"] = organisation.settled_on.isoformat()
    return {
        "as_of": "",
        "applicant": applicant,
        "events": [{"type": "certification_granted", "date": ""}],
        "prior_grants": [],
    }


@require_http_methods(["GET", "POST"])
@login_required
def offer_new(request: HttpRequest) -> HttpResponse:
    """An officer records facts for an organisation; offers follow for every measure they qualify it for."""
    if not _is_officer(request):
        raise PermissionDenied
    organisations = Organisation.objects.exclude(kind=OrgKind.GOVERNMENT).order_by("valley", "name")
    organisation_id = request.GET.get("organisation", "")
    if not organisation_id.isdigit():
        return render(request, "applications/offer_new.html", {"organisations": organisations})
    organisation = get_object_or_404(organisations, pk=int(organisation_id))
    action = f"{reverse('applications:offer_new')}?organisation={organisation.pk}"
    context: dict[str, Any] = {"organisation": organisation, "form_action": action}
    if request.method == "POST":
        case_data, paths = case_from_form(request.POST)
        try:
            created = offer_create_from_facts(
                organisation=organisation, case_data=case_data, actor=signed_in(request), request=request
            )
        except CaseError as exc:
            context.update(form_error_context(case_data, exc, paths, ""))
            return render(request, "applications/offer_new.html", context, status=400)
        if created:
            titles = _("、").join(o.title for o in created)
            messages.success(request, _("已生成 %(n)s 项免申即享: %(titles)s") % {"n": len(created), "titles": titles})
        else:
            messages.info(request, _("这些事实没有带来新的可享受措施(或已申报、已有待确认的免申即享)"))
        return redirect(f"{reverse('applications:offers')}?organisation={organisation.pk}")
    context.update(form_context(_facts_of(organisation), {}, ""))
    return render(request, "applications/offer_new.html", context)
