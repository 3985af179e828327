"""申报编号, 申报回执 and 进度查询 at submission: the number per valley per year, the PDF, the 查询码
(stored hashed, sent in-app and by e-mail), the step bar, and the public query with its limits."""

from __future__ import annotations

import base64
import datetime as dt
import re
import threading
import zlib

import pytest
from django.core import mail
from django.db import connections
from django.utils import timezone

from jinchuang.applications.models import Application, ApplicationNumberCounter, Notification, Receipt
from jinchuang.applications.numbering import number_allocate, number_format, number_normalise
from jinchuang.applications.progress import (
    FAILURES_PER_IP,
    FAILURES_PER_NUMBER,
    THROTTLED,
    WRONG,
    ProgressQueryRefused,
    progress_code_hash,
    progress_lookup,
)
from jinchuang.applications.services import application_transition
from jinchuang.applications.steps import application_steps
from jinchuang.applications.workflow import State
from jinchuang.policy.vocabulary import Valley
from tests.applications.conftest import Cast, make_cast, startup_capital_case, submit, tech_transfer_case


def pdf_text(pdf: bytes) -> str:
    """The text a reportlab PDF draws (its text layer): each ``(...) Tj`` string of the page streams
    (ASCII85/Flate decoded), in UTF-16 for the CID font (UniGB-UCS2-H), Latin-1 for the others."""
    cid_fonts = set(re.findall(rb"/Encoding /UniGB-UCS2-H /Name /(F\d+)", pdf))
    shown = []
    for match in re.finditer(rb"<<(.*?)>>\s*stream\r?\n(.*?)endstream", pdf, re.S):
        header, data = match.group(1), match.group(2).strip()
        if b"ASCII85Decode" in header:
            data = base64.a85decode(data, adobe=True)
        if b"FlateDecode" in header:
            data = zlib.decompress(data)
        font = b""
        for token in re.finditer(rb"/(F\d+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\) Tj", data, re.S):
            if token.group(1):
                font = token.group(1)
                continue
            raw = re.sub(
                rb"\\([0-7]{1,3}|.)",
                lambda m: bytes([int(m.group(1), 8)]) if m.group(1)[:1].isdigit() else m.group(1),
                token.group(2),
            )
            shown.append(raw.decode("utf-16-be") if font in cid_fonts else raw.decode("latin-1"))
    return "\n".join(shown)


def code_of(cast: Cast, application: Application) -> str:
    note = Notification.objects.get(user=cast.applicant, application=application, text__contains="查询码")
    match = re.search(r"查询码 ([A-Z0-9]{4}-[A-Z0-9]{4})", note.text)
    assert match, note.text
    return match.group(1)


def test_number_format_and_normalise() -> None:
    assert number_format(valley="晋城", year=2026, sequence=123) == "JC-2026-000123"
    assert number_format(valley="大同", year=2025, sequence=1) == "DT-2025-000001"
    assert number_normalise(" jc－2026－000123 ") == "JC-2026-000123"


def test_sequence_per_valley_per_year(db: None) -> None:
    assert number_allocate(valley=Valley.JINCHENG, year=2026) == "JC-2026-000001"
    assert number_allocate(valley=Valley.JINCHENG, year=2026) == "JC-2026-000002"
    assert number_allocate(valley=Valley.DATONG, year=2026) == "DT-2026-000001"
    assert number_allocate(valley=Valley.JINCHENG, year=2027) == "JC-2027-000001"
    assert ApplicationNumberCounter.objects.get(valley="晋城", year=2026).last == 2


def test_submission_gets_number_code_receipt_and_message(cast: Cast) -> None:
    mail.outbox.clear()
    with _captured_on_commit():
        first = submit(cast)
    second = submit(cast, tech_transfer_case("900000"))
    year = timezone.localtime(first.submitted_at).year
    assert first.number == f"JC-{year}-000001"
    assert second.number == f"JC-{year}-000002"
    code = code_of(cast, first)
    # stored only as its hash, keyed by the number
    first.refresh_from_db()
    assert code not in first.progress_code_hash
    assert first.progress_code_hash == progress_code_hash(first.number, code)
    # the e-mail (Django's mail framework) carries the number and the code
    sent = [m for m in mail.outbox if code in m.body]
    assert sent and sent[0].to == ["applicant@example.cn"]
    assert first.number in sent[0].body
    # the receipt: a PDF with the number, the organisation, the clause, the amount and the code
    pdf = bytes(Receipt.objects.get(application=first).pdf)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert first.number in text
    assert code in text
    assert "240,000.00 元 (依据 晋市政办〔2024〕39号 第8条)" in text  # the money formatter, citing the clause
    assert cast.organisation.name in text
    assert "申报回执" in text


def test_receipt_of_a_reviewed_measure_gives_the_legal_range(cast: Cast) -> None:
    application = submit(cast, startup_capital_case(), measure_id="jc-3")
    text = pdf_text(bytes(application.receipt.pdf))
    assert "法定区间" in text
    assert "500,000.00 元" in text


def test_resubmission_keeps_number_and_code(cast: Cast) -> None:
    application = submit(cast)
    code = code_of(cast, application)
    application = application_transition(application=application, transition="accept", actor=cast.agent)
    application = application_transition(
        application=application, transition="return", actor=cast.agent, message="请补充合同"
    )
    again = application_transition(
        application=application, transition="resubmit", actor=cast.applicant, case_data=tech_transfer_case()
    )
    assert again.number == application.number
    assert again.progress_code_hash == progress_code_hash(application.number, code)
    assert Notification.objects.filter(user=cast.applicant, text__contains="查询码").count() == 1


def test_step_bar_of_a_submitted_case(cast: Cast) -> None:
    application = submit(cast)
    bar = application_steps(application)
    labels = [s.label for s in bar.steps]
    assert "专家评审" not in labels  # 第8条 pays without expert review
    assert [s.status for s in bar.steps][:3] == ["done", "current", "todo"]
    current = bar.current
    assert current is not None and current.label == "受理" and current.holder == "服务专员"
    assert current.deadline == application.step_deadline and current.working_time_left is not None
    overdue = application_steps(application, now=application.step_deadline + dt.timedelta(days=3))
    assert overdue.current is not None and overdue.current.overdue


def test_step_bar_names_the_department_and_expert_review(cast: Cast) -> None:
    application = submit(cast, startup_capital_case(), measure_id="jc-3")
    Application.objects.filter(pk=application.pk).update(state=State.DEPARTMENT_REVIEW)
    application.refresh_from_db()
    bar = application_steps(application)
    assert "专家评审" in [s.label for s in bar.steps]
    assert bar.current is not None and bar.current.holder == application.lead_department == "晋城市科技局"
    withdrawn = application_transition(application=application, transition="withdraw", actor=cast.applicant)
    ended = application_steps(withdrawn)
    assert ended.ended and ended.current is None and ended.state_label == "已撤回"


def test_progress_lookup_shows_state_and_dates(cast: Cast) -> None:
    application = submit(cast)
    code = code_of(cast, application)
    view = progress_lookup(number=application.number.lower(), code=code.replace("-", " "), ip="10.0.0.1")
    assert view.number == application.number
    assert view.state_label == "已申报(待受理)"
    assert view.steps.current is not None and view.steps.current.label == "受理"
    assert view.submitted_at == application.submitted_at
    assert not hasattr(view, "amount")


def test_wrong_code_and_unknown_number_get_the_same_answer(cast: Cast) -> None:
    application = submit(cast)
    with pytest.raises(ProgressQueryRefused) as wrong_code:
        progress_lookup(number=application.number, code="AAAA-AAAA", ip="10.0.0.2")
    with pytest.raises(ProgressQueryRefused) as unknown:
        progress_lookup(number="JC-2099-999999", code="AAAA-AAAA", ip="10.0.0.3")
    assert wrong_code.value.message == unknown.value.message == str(WRONG)


def test_guessing_is_limited_per_number_and_per_ip(cast: Cast) -> None:
    application = submit(cast)
    code = code_of(cast, application)
    for n in range(FAILURES_PER_NUMBER):
        with pytest.raises(ProgressQueryRefused):
            progress_lookup(number=application.number, code=f"WRONG{n}", ip=f"10.1.0.{n}")
    with pytest.raises(ProgressQueryRefused) as refused:  # the right code too, for the rest of the window
        progress_lookup(number=application.number, code=code, ip="10.9.9.9")
    assert refused.value.message == str(THROTTLED)
    later = timezone.now() + dt.timedelta(minutes=16)
    assert progress_lookup(number=application.number, code=code, ip="10.9.9.9", now=later).number
    for n in range(FAILURES_PER_IP):
        with pytest.raises(ProgressQueryRefused):
            progress_lookup(number=f"JC-2099-{n:06d}", code="AAAA-AAAA", ip="10.2.0.1", now=later)
    with pytest.raises(ProgressQueryRefused) as by_ip:
        progress_lookup(number=application.number, code=code, ip="10.2.0.1", now=later)
    assert by_ip.value.message == str(THROTTLED)


class _captured_on_commit:
    """Run on_commit callbacks (the e-mail) inside a test transaction."""

    def __enter__(self) -> None:
        from django.db import connection

        self._connection = connection
        self._before = len(connection.run_on_commit)

    def __exit__(self, *exc: object) -> None:
        callbacks = self._connection.run_on_commit[self._before :]
        del self._connection.run_on_commit[self._before :]
        for _sids, callback, _robust in callbacks:
            callback()


def test_numbers_allocated_at_once_are_distinct(shared_database: str) -> None:
    """20 threads allocating numbers at the same moment on a shared database: 1..20, no gap, no twin."""
    cast = make_cast()
    assert cast.organisation.pk
    barrier = threading.Barrier(20)
    numbers: list[str] = []
    lock = threading.Lock()

    def allocate() -> None:
        from django.db import transaction

        try:
            barrier.wait(timeout=60)
            for _attempt in range(50):
                try:
                    with transaction.atomic():
                        number = number_allocate(valley="晋中", year=2030)
                    break
                except Exception as exc:  # SQLite's "database is locked" under contention: try again
                    if "locked" not in str(exc):
                        raise
            with lock:
                numbers.append(number)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=allocate) for _i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(numbers) == [f"JZ-2030-{n:06d}" for n in range(1, 21)]
