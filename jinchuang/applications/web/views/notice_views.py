"""公示 archive (past notices with their outcome, by valley and year) and objections without an account:
name, phone and reason, the phone verified by a one-time code sent to it (one page, two buttons)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from jinchuang.accounts.choices import valley_choices
from jinchuang.accounts.models import mask_phone
from jinchuang.applications.notices import archive_years, archived, public_notices_archive
from jinchuang.applications.review import objection_code_send, objection_file_verified
from jinchuang.applications.selectors import public_notices_current
from jinchuang.applications.web.views.common import problem_text
from jinchuang.applications.web.views.review_views import field_errors
from jinchuang.audit.services import client_ip

ARCHIVE_PAGE_SIZE = 50
OBJECTION_FIELDS = {"name": "name", "phone": "phone", "text": "text", "code": "code"}


@require_GET
def archive(request: HttpRequest) -> HttpResponse:
    """公示归档: notices whose period is over, each with its outcome; filter by valley and year."""
    valleys = valley_choices()
    valley = request.GET.get("valley", "")
    if valley not in {code for code, _label in valleys}:
        valley = ""
    years = archive_years()
    raw_year = request.GET.get("year", "")
    year = int(raw_year) if raw_year.isdigit() and int(raw_year) in years else None
    pages = Paginator(public_notices_archive(valley=valley, year=year), ARCHIVE_PAGE_SIZE)
    page = pages.get_page(request.GET.get("page"))
    context = {
        "rows": archived(list(page.object_list)),
        "page": page,
        "valleys": valleys,
        "years": years,
        "valley": valley,
        "year": year,
    }
    return render(request, "applications/public_notice_archive.html", context)


@require_http_methods(["GET", "POST"])
def objection_anonymous(request: HttpRequest, pk: int) -> HttpResponse:
    """异议 without an account. 获取验证码 checks the form and sends a code to the phone; 提交异议 checks the
    code and files the objection with the name and the verified phone. Values are kept on every answer."""
    notice = public_notices_current().filter(application_id=pk).first()
    if notice is None:
        raise Http404(_("该申报不在公示期内"))
    values = {k: request.POST.get(k, "") for k in OBJECTION_FIELDS}
    errors: dict[str, str] = {}
    sent_to = ""
    if request.method == "POST":
        try:
            if request.POST.get("step") == "send":
                phone = objection_code_send(
                    application=notice.application,
                    name=values["name"],
                    phone=values["phone"],
                    text=values["text"],
                    ip=client_ip(request),
                )
                sent_to = mask_phone(phone)
            else:
                objection_file_verified(
                    application=notice.application,
                    name=values["name"],
                    phone=values["phone"],
                    code=values["code"],
                    text=values["text"],
                    request=request,
                )
                messages.success(request, _("异议已提交, 牵头部门将核实答复, 结果以短信告知。"))
                return redirect("applications:public_notice")
        except ValidationError as exc:
            errors = field_errors(exc, OBJECTION_FIELDS)
            messages.error(request, problem_text(exc))
    context = {
        "notice": notice,
        "application": notice.application,
        "values": values,
        "errors": errors,
        "sent_to": sent_to,
    }
    return render(request, "applications/objection_anonymous.html", context)
