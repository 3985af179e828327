"""The policy subscription page (/records/subscriptions/): a member chooses the categories and valleys
the organisation follows; one POST to ``subscription_save``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from jinchuang.accounts.choices import valley_choices
from jinchuang.accounts.models import User
from jinchuang.records.errors import RecordError
from jinchuang.records.subscriptions import catalog_categories, subscription_of, subscription_save

SAVED = _("已保存政策订阅。政策目录有新增或调整、且您的档案可能符合时, 将通过消息通知您。")
FIELD_LABELS = {"categories": _("政策类别"), "valleys": _("晋创谷")}


@login_required
@require_http_methods(["GET", "POST"])
def subscriptions(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User) or user.organisation is None:
        raise PermissionDenied
    organisation = user.organisation
    error = ""
    status = 200
    if request.method == "POST":
        try:
            subscription_save(
                organisation=organisation,
                actor=user,
                categories=request.POST.getlist("categories"),
                valleys=request.POST.getlist("valleys"),
            )
        except RecordError as exc:
            field = getattr(exc, "field", "")
            error = f"{FIELD_LABELS.get(field, '')}: {'; '.join(exc.messages)}"
            status = 400
        else:
            messages.success(request, SAVED)
            return redirect("records_subscriptions:page")
    current = subscription_of(organisation)
    chosen_categories = set(request.POST.getlist("categories")) if error else set(current.categories if current else [])
    chosen_valleys = set(request.POST.getlist("valleys")) if error else set(current.valleys if current else [])
    context = {
        "organisation": organisation,
        "subscribed": current is not None,
        "categories": [(code, gettext(label), code in chosen_categories) for code, label in catalog_categories()],
        "valleys": [(code, str(label), code in chosen_valleys) for code, label in valley_choices()],
        "error": error,
    }
    return render(request, "records/subscriptions.html", context, status=status)
