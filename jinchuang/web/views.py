"""Pages: home, the workbench (工作台), 我的 (my account), and the 403/404/500 pages. Login and logout are
Django's views with our templates."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

from jinchuang.accounts.choices import valley_choices
from jinchuang.accounts.models import User
from jinchuang.web.selectors import my_profile, workbench_for


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The public home page; a signed-in user goes to their workbench."""
    if isinstance(request.user, User) and request.user.is_authenticated:
        return redirect("web:workbench")
    return render(request, "web/home.html", {"valleys": valley_choices()})


@require_GET
@login_required
def workbench(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    return render(request, "web/workbench.html", {"bench": workbench_for(user=request.user)})


@require_GET
@login_required
def me(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    return render(request, "web/me.html", {"profile": my_profile(user=request.user)})


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", {"request_path": request.path}, status=404)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """500: rendered without context processors or the database (whatever broke may be one of them)."""
    return HttpResponseServerError(loader.get_template("500.html").render())
