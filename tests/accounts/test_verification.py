"""One-time codes sent to a phone: hashed, expiring, counted attempts, used once, rate-limited; the SMS
goes to the outbox through the task interface (no gateway connected)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from jinchuang.accounts.models import PhoneVerification, SmsMessage, SmsState
from jinchuang.accounts.verification import (
    IP_HOURLY,
    MAX_ATTEMPTS,
    PHONE_HOURLY,
    RESEND_SECONDS,
    VerificationError,
    phone_normalise,
    verification_check,
    verification_issue,
)
from jinchuang.audit.models import AuditLog
from jinchuang.tasks.models import Job
from jinchuang.tasks.services import run_pending

pytestmark = pytest.mark.django_db
PHONE = "13912345678"


@pytest.fixture(autouse=True)
def eager(settings: Any) -> None:
    settings.JINCHUANG_TASKS_EAGER = False  # the worker sends: the test runs the jobs itself


def _code(phone: str = PHONE) -> str:
    message = SmsMessage.objects.filter(phone=phone).order_by("-pk").first()
    assert message is not None
    found = re.search(r"验证码为 (\d{6})", message.text)
    assert found, message.text
    return found.group(1)


def test_a_code_is_sent_through_the_outbox_job_and_only_its_hash_is_stored() -> None:
    row = verification_issue(phone=PHONE, purpose="objection:1", purpose_label="公示异议")
    message = SmsMessage.objects.get(phone=PHONE)
    assert message.state == SmsState.QUEUED
    job = Job.objects.get(name="accounts.sms_deliver", key=str(message.pk))
    assert job.payload == {"message": message.pk}  # the code is not in the job table
    assert run_pending() >= 1
    message.refresh_from_db()
    assert message.state == SmsState.OUTBOX and message.backend == "outbox" and message.sent_at is not None
    code = _code()
    assert code not in row.code_hash and len(row.code_hash) == 64
    assert not AuditLog.objects.filter(after__icontains=code).exists()
    assert "公示异议" in message.text


def test_the_right_code_is_accepted_once() -> None:
    verification_issue(phone=PHONE, purpose="p", purpose_label="x")
    code = _code()
    verification_check(phone=PHONE, purpose="p", code=code)
    with pytest.raises(VerificationError) as used:
        verification_check(phone=PHONE, purpose="p", code=code)
    assert used.value.field == "code"


def test_a_code_is_for_its_purpose_only() -> None:
    verification_issue(phone=PHONE, purpose="objection:1", purpose_label="x")
    with pytest.raises(VerificationError):
        verification_check(phone=PHONE, purpose="objection:2", code=_code())


def test_an_expired_code_is_refused() -> None:
    past = timezone.now() - dt.timedelta(minutes=11)
    verification_issue(phone=PHONE, purpose="p", purpose_label="x", now=past)
    with pytest.raises(VerificationError, match="不正确或已失效"):
        verification_check(phone=PHONE, purpose="p", code=_code())


def test_wrong_attempts_are_counted_and_end_the_code() -> None:
    verification_issue(phone=PHONE, purpose="p", purpose_label="x")
    code = _code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(MAX_ATTEMPTS):
        with pytest.raises(VerificationError):
            verification_check(phone=PHONE, purpose="p", code=wrong)
    assert PhoneVerification.objects.get().attempts == MAX_ATTEMPTS
    with pytest.raises(VerificationError):  # even the right code: the attempts are used up
        verification_check(phone=PHONE, purpose="p", code=code)


def test_an_empty_code_names_the_code_field() -> None:
    with pytest.raises(VerificationError) as empty:
        verification_check(phone=PHONE, purpose="p", code=" ")
    assert empty.value.field == "code" and "请填写短信验证码" in str(empty.value.messages)


def test_one_code_a_minute_and_a_few_an_hour_per_phone() -> None:
    start = timezone.now() - dt.timedelta(minutes=50)
    verification_issue(phone=PHONE, purpose="p", purpose_label="x", now=start)
    with pytest.raises(VerificationError, match="秒后再获取"):
        verification_issue(phone=PHONE, purpose="p", purpose_label="x", now=start + dt.timedelta(seconds=10))
    for i in range(1, PHONE_HOURLY):
        verification_issue(
            phone=PHONE, purpose="p", purpose_label="x", now=start + dt.timedelta(seconds=(RESEND_SECONDS + 1) * i)
        )
    with pytest.raises(VerificationError, match="过于频繁"):
        verification_issue(phone=PHONE, purpose="q", purpose_label="x", now=start + dt.timedelta(minutes=20))


def test_a_few_codes_an_hour_per_client_address() -> None:
    for i in range(IP_HOURLY):
        verification_issue(phone=f"139{i:08d}", purpose="p", purpose_label="x", ip="10.0.0.1")
    with pytest.raises(VerificationError, match="过于频繁"):
        verification_issue(phone="13800000000", purpose="p", purpose_label="x", ip="10.0.0.1")
    verification_issue(phone="13800000000", purpose="p", purpose_label="x", ip="10.0.0.2")


def test_the_answer_does_not_depend_on_whether_the_phone_has_an_account() -> None:
    from tests.factories import make_user

    make_user(phone="13911112222")
    for phone in ("13911112222", "13933334444"):  # one belongs to a user, one to nobody
        verification_issue(phone=phone, purpose="p", purpose_label="x")
        with pytest.raises(VerificationError) as again:
            verification_issue(phone=phone, purpose="p", purpose_label="x")
        assert again.value.code == "too_soon"


@pytest.mark.parametrize("raw", ["1391234567", "23912345678", "1391234567a", ""])
def test_a_bad_phone_is_named(raw: str) -> None:
    with pytest.raises(VerificationError) as bad:
        phone_normalise(raw)
    assert bad.value.field == "phone"


def test_a_phone_written_with_spaces_or_86_is_read() -> None:
    assert phone_normalise("+86 139-1234-5678") == PHONE


def test_the_outbox_is_read_only_in_the_admin_with_the_phone_masked(client: Any) -> None:
    from tests.factories import make_user

    admin_user = make_user(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    verification_issue(phone=PHONE, purpose="p", purpose_label="x")
    listing = client.get("/admin/accounts/smsmessage/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "139****5678" in html and PHONE not in html
    assert client.get("/admin/accounts/smsmessage/add/").status_code == 403
