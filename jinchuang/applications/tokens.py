"""Create, check and revoke API tokens. The token is ``jct_`` + 43 URL-safe characters (256 bits);
the database keeps only its SHA-256 hex digest, so a stolen database does not yield usable tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from jinchuang.accounts.models import User
from jinchuang.applications.models import ApiToken
from jinchuang.audit.actions import AuditAction
from jinchuang.audit.services import audit_record

TOKEN_PREFIX = "jct_"
PREFIX_SHOWN = 10  # characters kept in clear to tell tokens apart (jct_ + 6)
#: ``last_used_at`` is written at most this often per token (one UPDATE per request would be wasteful)
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
MAX_TOKEN_LENGTH = 200


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _snapshot(token: ApiToken) -> dict[str, Any]:
    """The audit snapshot: never the digest."""
    return {
        "id": token.pk,
        "user_id": token.user_id,
        "name": token.name,
        "prefix": token.prefix,
        "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
    }


def api_token_create(
    *, user: User, name: str = "", actor: User | None = None, request: HttpRequest | None = None
) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns the row and the raw token (shown once, never stored)."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name[:100], prefix=raw[:PREFIX_SHOWN], token_hash=token_digest(raw)
        )
        audit_record(
            actor=actor,
            action=AuditAction.API_TOKEN_CREATE,
            obj=token,
            before=None,
            after=_snapshot(token),
            request=request,
        )
    return token, raw


def api_token_revoke(*, token: ApiToken, actor: User | None = None, request: HttpRequest | None = None) -> ApiToken:
    with transaction.atomic():
        before = _snapshot(token)
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        token.refresh_from_db()
        audit_record(
            actor=actor,
            action=AuditAction.API_TOKEN_REVOKE,
            obj=token,
            before=before,
            after=_snapshot(token),
            request=request,
        )
    return token


def api_token_authenticate(raw: str, *, now: dt.datetime | None = None) -> User | None:
    """The active user a live token belongs to, or None. Looks the token up by its digest."""
    if not raw or len(raw) > MAX_TOKEN_LENGTH or not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user").filter(token_hash=token_digest(raw), revoked_at__isnull=True).first()
    )
    if token is None or not token.user.is_active:
        return None
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
