"""公示: awards under public notice (no login needed to read) and the objection channel."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jinchuang.applications.review import objection_file
from jinchuang.applications.selectors import public_notices_current
from jinchuang.applications.web.views.common import problem_text, problems_of, signed_in


@require_GET
def notices(request: HttpRequest) -> HttpResponse:
    return render(request, "applications/public_notice.html", {"notices": list(public_notices_current())})


@require_POST
@login_required
def objection(request: HttpRequest, pk: int) -> HttpResponse:
    """An objection to one award under notice (the core asks for a signed-in user)."""
    notice = public_notices_current().filter(application_id=pk).first()
    if notice is None:
        raise Http404(_("该申报不在公示期内"))
    text = request.POST.get("text", "")
    try:
        objection_file(application=notice.application, actor=signed_in(request), text=text, request=request)
    except (ValidationError, PermissionDenied) as exc:
        message = problem_text(exc) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, message)
        first = problems_of(exc)[0][1] if isinstance(exc, ValidationError) else message
        failed = {"application": pk, "error": first, "text": text}  # the error beside the box, the text kept
        context = {"notices": list(public_notices_current()), "objection_failed": failed}
        return render(request, "applications/public_notice.html", context)
    messages.success(request, _("异议已提交, 牵头部门将答复"))
    return redirect("applications:public_notice")
