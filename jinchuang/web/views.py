"""Pages: home, 我的 (my account). Login and logout are Django's views with our templates."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jinchuang.accounts.choices import valley_choices
from jinchuang.accounts.models import User
from jinchuang.web.selectors import my_profile


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"valleys": valley_choices()})


@require_GET
@login_required
def me(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    return render(request, "web/me.html", {"profile": my_profile(user=request.user)})
