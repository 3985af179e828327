"""Bearer-token authentication for the application API (``Authorization: Bearer jct_…``)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from jinchuang.accounts.models import User
from jinchuang.applications.tokens import api_token_authenticate


class ApiTokenAuth(HttpBearer):
    """A missing, malformed, unknown or revoked token → 401 ``{"error": "unauthorized", ...}`` (the
    API's HttpError handler renders ninja's AuthenticationError)."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_authenticate(token.strip())
        if user is not None:
            request.user = user
        return user


def request_user(request: HttpRequest) -> User:
    user = getattr(request, "auth", None)
    assert isinstance(user, User)
    return user
