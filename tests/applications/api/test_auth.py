"""Bearer tokens: only a SHA-256 digest stored, 401 with a structured body, revocation, the command."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jinchuang.applications.models import ApiToken
from jinchuang.applications.tokens import api_token_create, api_token_revoke
from jinchuang.audit.models import AuditLog
from tests.applications.api.conftest import Api, api_for
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PROTECTED = [
    ("get", "/applications"),
    ("get", "/applications/1"),
    ("post", "/applications"),
    ("post", "/applications/1/transitions/accept"),
    ("get", "/applications/1/materials"),
    ("get", "/applications/1/materials/1"),
    ("post", "/applications/1/expert-scores"),
    ("post", "/applications/1/objections"),
    ("get", "/ledger"),
    ("get", "/ledger/1"),
    ("post", "/ledger/1/payment"),
    ("get", "/queue"),
    ("get", "/notifications"),
    ("post", "/notifications"),
]


@pytest.mark.parametrize(("method", "path"), PROTECTED)
@pytest.mark.parametrize("token", [None, "jct_wrong", "not-even-a-prefix", ""])
def test_every_endpoint_but_notices_needs_a_valid_token(method: str, path: str, token: str | None) -> None:
    response = getattr(Api(token), method)(path)
    assert response.status_code == 401
    assert response.json() == {"error": "unauthorized", "errors": [{"field": "$", "message": "Unauthorized"}]}


def test_notices_are_public() -> None:
    response = Api(None).get("/notices")
    assert response.status_code == 200
    assert response.json() == {"count": 0, "items": []}


def test_only_the_digest_is_stored_and_last_use_is_recorded() -> None:
    user = make_user()
    token, raw = api_token_create(user=user, name="ci")
    assert raw.startswith("jct_") and len(raw) > 40
    row = ApiToken.objects.get(pk=token.pk)
    assert row.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {row.token_hash, row.prefix, row.name}
    assert row.last_used_at is None
    assert Api(raw).get("/applications").status_code == 200
    row.refresh_from_db()
    assert row.last_used_at is not None
    audit = AuditLog.objects.get(action="applications_api.token_create")
    assert "token_hash" not in (audit.after or {}) and raw not in str(audit.after)


def test_a_revoked_token_or_an_inactive_user_is_refused() -> None:
    user = make_user()
    token, raw = api_token_create(user=user)
    assert Api(raw).get("/queue").status_code == 200
    api_token_revoke(token=token)
    assert Api(raw).get("/queue").status_code == 401
    other = make_user()
    api = api_for(other)
    other.is_active = False
    other.save()
    assert api.get("/queue").status_code == 401


def test_a_session_cookie_is_not_enough() -> None:
    from django.test import Client

    user = make_user()
    client = Client()
    client.force_login(user)
    assert client.get("/api/v1/applications").status_code == 401


def test_the_command_prints_a_working_token_once() -> None:
    user = make_user()
    out = StringIO()
    call_command("create_api_token", user.username, "--name", "cli", stdout=out)
    raw = out.getvalue().strip()
    assert Api(raw).get("/notifications").status_code == 200
    assert ApiToken.objects.filter(user=user, name="cli").count() == 1
    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody-by-this-name", stdout=StringIO())
