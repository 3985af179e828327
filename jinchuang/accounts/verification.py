"""One-time codes sent to a phone (手机验证码), for people without an account (e.g. a 公示 objection).

- ``verification_issue`` makes a 6-digit code, stores only its keyed hash (HMAC-SHA256 with the site's
  secret key, the phone and the purpose), and sends the code by SMS through ``sms.sms_send`` (the outbox:
  no SMS gateway is connected, see ``accounts/sms.py``). Rate limits: one code per phone and purpose
  every ``RESEND_SECONDS``, at most ``PHONE_HOURLY`` per phone and ``IP_HOURLY`` per client address an hour.
- ``verification_check`` accepts the newest unused code of that phone and purpose before it expires,
  counts every attempt (``MAX_ATTEMPTS`` wrong ones end the code) and uses the code once.

Nothing here reveals whether a phone belongs to an account: phones are never looked up in the user
table, and every refusal reads the same whoever owns the phone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jinchuang.accounts.models import PhoneVerification, phone_validator
from jinchuang.accounts.sms import sms_send
from jinchuang.audit.actions import AuditAction
from jinchuang.audit.services import audit_record, audit_snapshot

CODE_DIGITS = 6
LIFETIME = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 5
RESEND_SECONDS = 60
PHONE_HOURLY = 5
IP_HOURLY = 20

PHONE_INVALID = _("请输入11位手机号码。")
TOO_SOON = _("验证码已发送, 请%(seconds)s秒后再获取")
TOO_MANY = _("获取验证码过于频繁, 请一小时后再试")
CODE_WRONG = _("验证码不正确或已失效, 请重新获取")
CODE_REQUIRED = _("请填写短信验证码")
SMS_TEXT = _("【晋创通】您的验证码为 %(code)s, %(minutes)s分钟内有效, 用于%(purpose)s。如非本人操作请忽略。")


class VerificationError(ValidationError):
    """A refused request, keyed by the form field it concerns (``phone`` or ``code``)."""

    def __init__(self, field: str, message: Any, code: str, params: dict[str, Any] | None = None) -> None:
        super().__init__({field: [ValidationError(message, code=code, params=params)]})
        self.field = field
        self.code = code


def code_hash(*, phone: str, purpose: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"phone-code|{phone}|{purpose}|{code}".encode(), hashlib.sha256).hexdigest()


def phone_normalise(raw: str) -> str:
    """The 11 digits of a mainland mobile number (spaces, dashes and a +86 prefix dropped), checked."""
    phone = "".join(ch for ch in (raw or "") if ch.isdigit())
    if phone.startswith("86") and len(phone) == 13:
        phone = phone[2:]
    try:
        phone_validator(phone)
    except ValidationError:
        raise VerificationError("phone", PHONE_INVALID, "phone_invalid") from None
    return phone


def verification_issue(
    *, phone: str, purpose: str, purpose_label: str, ip: str | None = None, now: dt.datetime | None = None
) -> PhoneVerification:
    """Send a new code to ``phone`` for ``purpose`` (e.g. ``objection:12``); ``purpose_label`` is said in the SMS."""
    phone = phone_normalise(phone)
    now = now or timezone.now()
    hour_ago = now - dt.timedelta(hours=1)
    with transaction.atomic():
        recent = PhoneVerification.objects.filter(created_at__gt=hour_ago)
        last = recent.filter(phone=phone, purpose=purpose).order_by("-created_at").first()
        if last is not None and (now - last.created_at).total_seconds() < RESEND_SECONDS:
            wait = RESEND_SECONDS - int((now - last.created_at).total_seconds())
            raise VerificationError("phone", TOO_SOON, "too_soon", {"seconds": max(wait, 1)})
        if recent.filter(phone=phone).count() >= PHONE_HOURLY or (
            ip and recent.filter(ip_address=ip).count() >= IP_HOURLY
        ):
            raise VerificationError("phone", TOO_MANY, "too_many")
        code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
        row = PhoneVerification.objects.create(
            phone=phone,
            purpose=purpose,
            code_hash=code_hash(phone=phone, purpose=purpose, code=code),
            created_at=now,
            expires_at=now + LIFETIME,
            ip_address=ip,
        )
        text = SMS_TEXT % {"code": code, "minutes": int(LIFETIME.total_seconds() // 60), "purpose": purpose_label}
        sms_send(phone=phone, text=str(text), purpose=purpose)
        audit_record(actor=None, action=AuditAction.PHONE_CODE_SEND, obj=row, before=None, after=audit_snapshot(row))
    return row


def verification_check(*, phone: str, purpose: str, code: str, now: dt.datetime | None = None) -> PhoneVerification:
    """Use the code: the newest unused, unexpired code of this phone and purpose, if it matches.

    Every attempt counts (a conditional UPDATE, so two guesses at once both count); after
    ``MAX_ATTEMPTS`` wrong ones the code is dead. Call it OUTSIDE any transaction (after checking
    everything else the action needs): a wrong guess must stay counted, which a rolled-back
    transaction would undo.
    """
    phone = phone_normalise(phone)
    code = (code or "").strip()
    if not code:
        raise VerificationError("code", CODE_REQUIRED, "code_required")
    now = now or timezone.now()
    row = (
        PhoneVerification.objects.filter(phone=phone, purpose=purpose, used_at__isnull=True, expires_at__gt=now)
        .order_by("-created_at", "-pk")
        .first()
    )
    if row is None:
        raise VerificationError("code", CODE_WRONG, "code_wrong")
    counted = PhoneVerification.objects.filter(pk=row.pk, attempts__lt=MAX_ATTEMPTS, used_at__isnull=True).update(
        attempts=F("attempts") + 1
    )
    if not counted or not hmac.compare_digest(row.code_hash, code_hash(phone=phone, purpose=purpose, code=code)):
        raise VerificationError("code", CODE_WRONG, "code_wrong")
    used = PhoneVerification.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=now)
    if not used:  # another request used it in between
        raise VerificationError("code", CODE_WRONG, "code_wrong")
    row.refresh_from_db()
    return row
