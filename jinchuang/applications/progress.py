"""进度查询 without an account: 申报编号 + 查询码 → the state, the current step and the dates, nothing else.

The 查询码 is made at submission (``progress_code_new``), given to the applicant (receipt, in-app
message, e-mail) and stored only as an HMAC-SHA256 of the number and the code under the site's secret
key (``progress_code_hash``). A wrong number or a wrong code get the same Chinese answer (no oracle).

Guessing is limited by a database counter (``ProgressQueryFailure`` rows, so every web process shares
it): after ``FAILURES_PER_IP`` wrong queries from one IP address, or ``FAILURES_PER_NUMBER`` for one
number, within ``WINDOW``, every query from that address / for that number is refused for the rest of
the window, right code or not. Rows older than the window are deleted as new failures arrive.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from jinchuang.applications.models import Application, ProgressQueryFailure
from jinchuang.applications.numbering import number_normalise
from jinchuang.applications.steps import StepBar, application_steps
from jinchuang.applications.workflow import STATE_LABELS, State

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off paper without doubt
CODE_LENGTH = 8
WINDOW = dt.timedelta(minutes=15)
FAILURES_PER_IP = 10
FAILURES_PER_NUMBER = 5
_SALT = "jinchuang.applications.progress_code"

WRONG = _("申报编号或查询码不正确, 请核对回执后重试。")
THROTTLED = _("查询次数过多, 请 15 分钟后再试。")
MISSING = _("请填写申报编号和查询码。")


class ProgressQueryRefused(Exception):
    def __init__(self, message: str, *, field: str = "__all__") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def progress_code_new() -> str:
    """A fresh 查询码, e.g. ``K7MX-3QPA`` (8 characters of 32: 40 bits)."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def progress_code_normalise(code: str) -> str:
    return "".join(ch for ch in str(code or "").upper() if ch.isalnum())


def progress_code_hash(number: str, code: str) -> str:
    value = f"{number_normalise(number)}:{progress_code_normalise(code)}"
    return salted_hmac(_SALT, value, algorithm="sha256").hexdigest()


@dataclass(frozen=True)
class ProgressView:
    """All that 进度查询 shows: the number, the measure, the state, the steps and the dates."""

    number: str
    measure: str
    citation: str
    state_label: str
    steps: StepBar
    submitted_at: dt.datetime | None
    step_started_at: dt.datetime | None
    step_deadline: dt.datetime | None


def _throttled(ip: str, number: str, now: dt.datetime) -> bool:
    recent = ProgressQueryFailure.objects.filter(at__gte=now - WINDOW)
    return (
        recent.filter(ip=ip).count() >= FAILURES_PER_IP or recent.filter(number=number).count() >= FAILURES_PER_NUMBER
    )


def _record_failure(ip: str, number: str, now: dt.datetime) -> None:
    ProgressQueryFailure.objects.filter(at__lt=now - WINDOW).delete()
    ProgressQueryFailure.objects.create(ip=ip, number=number[:40], at=now)


def progress_lookup(*, number: str, code: str, ip: str, now: dt.datetime | None = None) -> ProgressView:
    """The progress of the application ``number`` if ``code`` is its 查询码; else ProgressQueryRefused
    with the same message whether the number exists or not."""
    now = now or timezone.now()
    number = number_normalise(number)
    if not number or not progress_code_normalise(code):
        raise ProgressQueryRefused(str(MISSING), field="number" if not number else "code")
    if _throttled(ip, number, now):
        raise ProgressQueryRefused(str(THROTTLED))
    application = (
        Application.objects.filter(number=number).exclude(Q(progress_code_hash="") | Q(state=State.DRAFT)).first()
    )
    expected = application.progress_code_hash if application is not None else progress_code_hash("-", "-")
    if application is None or not constant_time_compare(expected, progress_code_hash(number, code)):
        _record_failure(ip, number, now)
        raise ProgressQueryRefused(str(WRONG))
    bar = application_steps(application, now=now)
    return ProgressView(
        number=application.number,
        measure=application.title,
        citation=application.citation,
        state_label=str(STATE_LABELS[State(application.state)]),
        steps=bar,
        submitted_at=application.submitted_at,
        step_started_at=application.step_started_at,
        step_deadline=bar.current.deadline if bar.current else None,
    )
