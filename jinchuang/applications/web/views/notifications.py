"""站内消息: the user's messages, newest first, each linking to its case; a POST marks one read (``id``)
or all of them (``all``); the unread badge of the navigation counts what is left."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from jinchuang.applications.notifications import notifications_mark_read
from jinchuang.applications.selectors import notifications_for, notifications_unread
from jinchuang.applications.web.views.common import signed_in


@require_GET
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    context = {"items": notifications_for(user=user), "unread": notifications_unread(user=user).count()}
    return render(request, "applications/notifications.html", context)


@require_POST
@login_required
def notification_read(request: HttpRequest) -> HttpResponse:
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()]
    notifications_mark_read(user=signed_in(request), ids=ids, everything=not ids)
    return redirect("applications:notifications")
