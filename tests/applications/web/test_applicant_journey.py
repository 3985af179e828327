"""The applicant's journey on the pages: the form asks only what the measure reads, the preview follows
the form, submission gives a 申报编号, a receipt and a message, the step bar, notifications, 进度查询."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from jinchuang.applications.models import Application, Notification
from jinchuang.applications.progress import FAILURES_PER_NUMBER
from jinchuang.audit.models import AuditLog
from jinchuang.records.models import Fact
from tests.applications.web.conftest import Cast, case_post, tech_case

pytestmark = pytest.mark.django_db


def _form(client: Client, measure_id: str = "jc-8") -> str:
    return client.get(f"/applications/apply/{measure_id}/").content.decode()


def _key(html: str) -> str:
    match = re.search(r'name="idempotency_key" value="([^"]+)"', html)
    assert match
    return match.group(1)


def _submit(cast: Cast, client: Client, **changes: str) -> tuple[Application, str]:
    key = _key(_form(client))
    post = case_post(tech_case(), idempotency_key=key, **changes)
    response = client.post("/applications/apply/jc-8/submit/", post, follow=True)
    assert response.status_code == 200, response.content.decode()[:2000]
    application = Application.objects.get(organisation=cast.organisation, idempotency_key=key)
    return application, response.content.decode()


def _code(application: Application) -> str:
    note = Notification.objects.get(application=application, text__contains="查询码")
    match = re.search(r"查询码 ([A-Z0-9]{4}-[A-Z0-9]{4})", note.text)
    assert match
    return match.group(1)


def test_the_form_offers_only_what_the_measure_reads_with_units(cast: Cast) -> None:
    html = _form(cast.client(cast.applicant))
    for asked in ("ev-0-amount", "ev-0-mode", "ev-0-role", "ev-0-equity_value", "ev-0-date"):
        assert f'name="{asked}"' in html
    for not_read in ("ev-0-counterparty_kind", "ev-0-registered", "ev-0-patent_recorded"):
        assert f'name="{not_read}"' not in html  # the vocabulary has them; 第8条's rules do not read them
    assert "技术交易额 (元)" in html
    assert '<option value="platform_approved"' not in html  # no other event types on offer
    assert "tech_contract_registered</" not in html  # the type is named in words, never by its code
    assert 'hx-post="/applications/apply/jc-8/preview/"' in html and "change from:#apply-form delay" in html


def test_preview_follows_the_form_with_the_submission_engine_and_keeps_nothing(cast: Cast) -> None:
    client = cast.client(cast.applicant)
    facts, audits = Fact.objects.count(), AuditLog.objects.count()
    first = client.post("/applications/apply/jc-8/preview/", case_post(tech_case()))
    assert first.status_code == 200
    assert 'data-testid="engine-amount">240,000.00<' in first.content.decode()
    bigger = case_post(tech_case(), **{"ev-0-amount": "2000000"})
    second = client.post("/applications/apply/jc-8/preview/", bigger).content.decode()
    assert 'data-testid="engine-amount">400,000.00<' in second
    assert "晋市政办〔2024〕39号 第8条" in second  # the amount cites its clause
    capped = client.post("/applications/apply/jc-8/preview/", case_post(tech_case(), **{"ev-0-amount": "9000000"}))
    assert 'data-testid="engine-amount">500,000.00<' in capped.content.decode()  # 最高支持 50 万元
    assert Fact.objects.count() == facts and AuditLog.objects.count() == audits  # rolled back
    blank = client.post("/applications/apply/jc-8/preview/", case_post(tech_case(), **{"ev-0-date": ""}))
    text = blank.content.decode()
    assert "事件 1 · 日期" in text and "events[" not in text


def test_a_refused_submission_shows_the_error_beside_the_field_and_keeps_the_input(cast: Cast) -> None:
    client = cast.client(cast.applicant)
    key = _key(_form(client))
    post = case_post(tech_case(), idempotency_key=key, **{"ev-0-amount": "12万x"})
    response = client.post("/applications/apply/jc-8/submit/", post)
    html = response.content.decode()
    assert response.status_code == 400
    assert re.search(r'class="field has-error">\s*<label for="ev-0-amount">', html)
    assert 'data-testid="error-ev-0-amount"' in html
    assert 'value="12万x"' in html  # what was typed is kept
    assert "事件 1 · 技术交易额" in html and "events[0]" not in html


def test_submission_gives_number_message_receipt_and_step_bar(cast: Cast) -> None:
    client = cast.client(cast.applicant)
    application, html = _submit(cast, client)
    assert re.fullmatch(r"JC-\d{4}-000001", application.number)
    assert f"已提交，申报编号 {application.number}，可凭查询码查询进度" in html
    assert f'href="/applications/{application.pk}/receipt.pdf" data-testid="receipt-link-message"' in html
    assert f'data-testid="application-number">{application.number}<' in html
    assert 'data-testid="receipt-link"' in html
    # the step bar: the workflow's steps, the current one, who holds it (a role, not a person) and the clock
    bar = html[html.index('data-testid="step-bar"') :]
    bar = bar[: bar.index("</section>")]
    assert bar.count("<li") == 8  # 第8条 has no expert review
    assert re.search(r'<li class="done">\s*<span class="step-label">填报申报', bar)
    assert re.search(
        r'<li class="current" aria-current="step" data-testid="step-current">\s*<span class="step-label">受理', bar
    )
    assert "办理: 服务专员" in bar and "李专员" not in bar
    assert re.search(r'data-testid="step-clock">剩余 \d', bar)
    # the receipt, for the organisation's members only
    pdf = client.get(f"/applications/{application.pk}/receipt.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert cast.client(cast.agent).get(f"/applications/{application.pk}/receipt.pdf").status_code == 404
    assert cast.client(cast.other_applicant).get(f"/applications/{application.pk}/receipt.pdf").status_code == 404
    # the list shows the number
    mine = client.get("/applications/").content.decode()
    assert f'data-testid="number-{application.pk}">{application.number}<' in mine
    assert "服务专员" in mine


def test_the_code_is_sent_in_app_and_by_email(cast: Cast) -> None:
    cast.applicant.email = "applicant@example.cn"
    cast.applicant.save()
    client = cast.client(cast.applicant)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.db.transaction.on_commit", lambda callback, using=None, robust=False: callback())
        application, _html = _submit(cast, client)
    code = _code(application)
    assert any(code in m.body and application.number in m.body for m in mail.outbox)


def test_notifications_link_to_the_case_and_can_be_marked_read(cast: Cast) -> None:
    client = cast.client(cast.applicant)
    first, _html = _submit(cast, client)
    second, _html = _submit(cast, client, **{"ev-0-amount": "900000", "ev-0-date": "2025-07-01"})
    page = client.get("/applications/notifications/").content.decode()
    newer = Notification.objects.filter(user=cast.applicant, application=second).first()
    older = Notification.objects.filter(user=cast.applicant, application=first).first()
    assert newer is not None and older is not None
    assert page.index(f'data-testid="notification-{newer.pk}"') < page.index(f'data-testid="notification-{older.pk}"')
    assert f'href="/applications/{first.pk}/" data-testid="notification-link-{older.pk}"' in page
    assert f"申报编号 {first.number}" in page
    unread = Notification.objects.filter(user=cast.applicant, read_at__isnull=True).count()
    assert re.search(rf'data-testid="unread-count"[^>]*>{unread}<', page)
    client.post("/applications/notifications/read/", {"id": str(older.pk)})
    older.refresh_from_db()
    newer.refresh_from_db()
    assert older.read_at is not None and newer.read_at is None
    page = client.get("/applications/notifications/").content.decode()
    assert re.search(rf'data-testid="unread-count"[^>]*>{unread - 1}<', page)
    client.post("/applications/notifications/read/", {"all": "1"})
    assert not Notification.objects.filter(user=cast.applicant, read_at__isnull=True).exists()
    page = client.get("/applications/notifications/").content.decode()
    assert 'data-testid="unread-count"' not in page and 'data-testid="mark-all-read"' not in page


def test_progress_query_without_an_account_shows_only_state_step_and_dates(cast: Cast) -> None:
    application, _html = _submit(cast, cast.client(cast.applicant))
    code = _code(application)
    anonymous = Client()
    assert anonymous.get("/applications/progress/").status_code == 200
    response = anonymous.post("/applications/progress/", {"number": application.number, "code": code})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="progress-state">已申报(待受理)<' in html
    assert 'data-testid="step-current"' in html
    assert "240,000" not in html  # no amount
    assert cast.organisation.name not in html  # no names beyond the measure
    assert "服务专员" not in html and "李专员" not in html


def test_progress_query_wrong_code_and_unknown_number_get_one_generic_error(cast: Cast) -> None:
    application, _html = _submit(cast, cast.client(cast.applicant))
    client = Client()
    wrong = client.post("/applications/progress/", {"number": application.number, "code": "AAAA-AAAA"})
    unknown = client.post("/applications/progress/", {"number": "JC-2099-000777", "code": "AAAA-AAAA"})
    assert wrong.status_code == unknown.status_code == 400

    def error(html: str) -> str:
        match = re.search(r'data-testid="progress-error">([^<]+)<', html)
        assert match
        return match.group(1)

    assert (
        error(wrong.content.decode()) == error(unknown.content.decode()) == "申报编号或查询码不正确, 请核对回执后重试。"
    )
    assert 'data-testid="progress-result"' not in wrong.content.decode()


def test_progress_query_is_rate_limited(cast: Cast) -> None:
    application, _html = _submit(cast, cast.client(cast.applicant))
    code = _code(application)
    client = Client()
    for n in range(FAILURES_PER_NUMBER):
        client.post("/applications/progress/", {"number": application.number, "code": f"BAD{n}"})
    refused = client.post("/applications/progress/", {"number": application.number, "code": code})
    assert refused.status_code == 400 and "查询次数过多" in refused.content.decode()


def test_the_journey_pages_in_english(cast: Cast) -> None:
    client = cast.client(cast.applicant)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    form = client.get("/applications/apply/jc-8/").content.decode()
    assert '<html lang="en">' in form
    assert "What this measure asks for:" in form and "Add another" in form
    assert "(yuan)" in form  # the unit beside 技术交易额
    assert "› Jincheng ·" in form  # the valley by its name, not its code
    preview = client.post("/applications/apply/jc-8/preview/", case_post(tech_case())).content.decode()
    assert "Computed maximum" in preview and "240,000.00" in preview
    application, html = _submit(cast, client)
    assert f"Submitted: application number {application.number}" in html
    assert "Download the receipt (PDF)" in html and 'data-testid="step-current"' in html
    assert re.search(r'data-testid="step-holder">[^<]*Service', html)  # the role, in English
    assert re.search(r'data-testid="step-clock">\d+ (hour|hours|working day|working days)[^<]* left<', html)
    page = client.get("/applications/notifications/").content.decode()
    assert "Mark as read" in page and "query code" in page
    progress = Client()
    progress.post("/i18n/setlang/", {"language": "en", "next": "/"})
    answer = progress.post("/applications/progress/", {"number": application.number, "code": "AAAA-AAAA"})
    assert "The application number or the query code is not right" in answer.content.decode()


def test_the_back_office_lists_numbers_and_not_the_receipts(cast: Cast) -> None:
    from jinchuang.accounts.models import Role
    from tests.factories import make_user

    application, _html = _submit(cast, cast.client(cast.applicant))
    admin = make_user(organisation=cast.organisation, roles={Role.ADMIN: ""}, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    listing = client.get(f"/admin/applications/application/?q={application.number}").content.decode()
    assert application.number in listing
    assert client.get("/admin/applications/applicationnumbercounter/").status_code == 200
    assert client.get("/admin/applications/progressqueryfailure/").status_code == 200
    assert client.get("/admin/applications/receipt/").status_code == 404  # it carries the 查询码


def test_the_preview_for_someone_who_cannot_apply_says_so_and_keeps_nothing(cast: Cast) -> None:
    facts = Fact.objects.count()
    response = cast.client(cast.reviewer).post("/applications/apply/jc-8/preview/", case_post(tech_case()))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="preview-problems"' in html and 'data-testid="engine-amount"' not in html
    assert Fact.objects.count() == facts
