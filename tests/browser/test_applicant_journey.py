"""The applicant's journey in Chromium, with screenshots at 1366 and 390 px at each step:

sign in → the application form for 晋城 第8条 (its 办事指南 folded above; the preview recomputes as the facts
change; a refused 申报材料 named beside the file field, then a PDF uploaded) → submit →
the message with the 申报编号 and the receipt (PDF) downloaded → the application page with its step bar
→ the message with the 查询码 → marked read (the unread badge goes down) → sign out → 进度查询 with the
number and the code (and a wrong code refused with the generic error beside the field).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import FilePayload, Page, expect

from jinchuang.accounts.models import Role
from jinchuang.applications.models import Application, Notification, ServiceAgentAssignment
from jinchuang.policy.vocabulary import OrgKind, Valley
from tests.browser.conftest import shoot
from tests.factories import TEST_PASSWORD, make_organisation, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_applicant_journey(live_server: Any, page: Page, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    organisation = make_organisation(
        name="晋城示范科技有限公司", kind=OrgKind.ENTERPRISE, valley=Valley.JINCHENG, settled_on=dt.date(2025, 1, 1)
    )
    government = make_organisation(name="晋城市政务服务中心", kind=OrgKind.GOVERNMENT, valley=Valley.JINCHENG)
    agent = make_user(organisation=government, roles={Role.SERVICE_AGENT: ""}, display_name="李专员")
    ServiceAgentAssignment.objects.create(organisation=organisation, agent=agent)
    make_user(organisation=organisation, roles={Role.APPLICANT: ""}, username="journey", display_name="张申报")
    base = live_server.url

    # ── sign in ─────────────────────────────────────────────────────────────────────────────
    page.goto(f"{base}/login/")
    page.locator("#id_username").fill("journey")
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("logout")).to_be_visible()

    # ── the form: only what 第8条 reads; the preview follows the facts ──────────────────────
    page.goto(f"{base}/applications/apply/jc-8/")
    expect(page.get_by_role("heading", name=re.compile("在线申报"))).to_be_visible()
    guide = page.get_by_test_id("apply-guide")  # the measure's 办事指南, folded above the form
    guide.locator("summary").click()
    expect(guide.get_by_test_id("guide-materials")).to_contain_text("申报表")
    expect(page.get_by_test_id("ev-0-counterparty_kind")).to_have_count(0)
    expect(page.locator("label[for=ev-0-amount]")).to_contain_text("(元)")
    page.get_by_test_id("ev-0-date").fill("2025-06-01")
    page.get_by_test_id("ev-0-mode").select_option("transfer")
    page.get_by_test_id("ev-0-role").select_option("buyer")
    page.get_by_test_id("ev-0-amount").fill("1200000")
    page.get_by_test_id("ev-0-amount").dispatch_event("change")
    expect(page.get_by_test_id("engine-amount")).to_have_text("240,000.00")
    shoot(page, "applicant-apply-preview")
    page.get_by_test_id("ev-0-amount").fill("2000000")
    page.get_by_test_id("ev-0-amount").dispatch_event("change")
    expect(page.get_by_test_id("engine-amount")).to_have_text("400,000.00")
    expect(page.get_by_test_id("preview")).to_contain_text("第8条")
    shoot(page, "applicant-apply-preview-updated")

    # ── 申报材料 through HTMX: a refused file is named beside the field, then a PDF is listed ─────
    upload = page.get_by_test_id("upload-file")  # shown once the draft has autosaved
    upload.set_input_files(files=FilePayload(name="合同.exe", mimeType="application/octet-stream", buffer=b"MZ"))
    page.get_by_test_id("upload-submit").click()
    expect(page.get_by_test_id("upload-error")).to_have_text("只接受 PDF、JPG、PNG 文件")
    expect(page.locator("#materials .field.has-error")).to_have_count(1)
    shoot(page, "applicant-upload-refused")
    pdf = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    page.get_by_test_id("upload-file").set_input_files(
        files=FilePayload(name="技术合同.pdf", mimeType="application/pdf", buffer=pdf)
    )
    page.get_by_test_id("upload-submit").click()
    expect(page.get_by_test_id("upload-done")).to_contain_text("技术合同.pdf")
    expect(page.get_by_test_id("upload-error")).to_have_count(0)

    # ── submit: the message names the 申报编号 and links the receipt ─────────────────────────
    page.get_by_test_id("submit-application").click()
    message = page.locator(".messages")
    expect(message).to_contain_text("已提交，申报编号 JC-")
    application = Application.objects.get(organisation=organisation)
    assert re.fullmatch(r"JC-\d{4}-000001", application.number)
    expect(message).to_contain_text(application.number)
    shoot(page, "applicant-submitted")
    with page.expect_download() as download_info:
        page.get_by_test_id("receipt-link-message").click()
    download = download_info.value
    assert download.suggested_filename == f"receipt-{application.number}.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF")

    # ── the application page: number, step bar (current step, who holds it, clock) ─────────
    expect(page.get_by_test_id("application-number")).to_have_text(application.number)
    expect(page.get_by_test_id("step-current")).to_contain_text("受理")
    expect(page.get_by_test_id("step-holder")).to_have_text("办理: 服务专员")
    expect(page.get_by_test_id("step-clock")).to_contain_text(re.compile("剩余|已超时"))
    page.get_by_test_id("step-bar").scroll_into_view_if_needed()
    shoot(page, "applicant-detail-steps")
    page.get_by_test_id("nav-applications").click()
    expect(page.get_by_test_id(f"number-{application.pk}")).to_have_text(application.number)
    expect(page.get_by_test_id(f"my-row-{application.pk}")).to_contain_text("服务专员")
    shoot(page, "applicant-my-applications")
    page.get_by_test_id(f"number-{application.pk}").click()
    expect(page.get_by_test_id("application-number")).to_have_text(application.number)

    # ── the message with the 查询码: it links to the case; marked read, the badge goes down ─
    unread_before = Notification.objects.filter(user__username="journey", read_at__isnull=True).count()
    note = Notification.objects.get(user__username="journey", text__contains="查询码")
    found = re.search(r"查询码 ([A-Z0-9]{4}-[A-Z0-9]{4})", note.text)
    assert found
    code = found.group(1)
    page.get_by_test_id("nav-notifications").click()
    expect(page.get_by_test_id(f"notification-{note.pk}")).to_contain_text(application.number)
    expect(page.get_by_test_id("unread-count")).to_have_text(str(unread_before))
    shoot(page, "applicant-notifications")
    page.get_by_test_id(f"mark-read-{note.pk}").click()
    expect(page.get_by_test_id(f"mark-read-{note.pk}")).to_have_count(0)
    if unread_before > 1:
        expect(page.get_by_test_id("unread-count")).to_have_text(str(unread_before - 1))
    else:
        expect(page.get_by_test_id("unread-count")).to_have_count(0)
    shoot(page, "applicant-notifications-read")
    page.get_by_test_id(f"notification-link-{note.pk}").click()
    expect(page.get_by_test_id("application-number")).to_have_text(application.number)

    # ── sign out; 进度查询 with the number and the code ─────────────────────────────────────
    page.get_by_test_id("logout").click()
    expect(page.get_by_test_id("nav-login")).to_be_visible()
    page.goto(f"{base}/applications/progress/")
    page.get_by_test_id("progress-number").fill(application.number)
    page.get_by_test_id("progress-code").fill("AAAA-AAAA")
    page.get_by_test_id("progress-submit").click()
    expect(page.get_by_test_id("progress-error")).to_have_text("申报编号或查询码不正确, 请核对回执后重试。")
    expect(page.get_by_test_id("progress-number")).to_have_value(application.number)  # what was typed is kept
    shoot(page, "applicant-progress-wrong-code")
    page.get_by_test_id("progress-code").fill(code.lower())
    page.get_by_test_id("progress-submit").click()
    expect(page.get_by_test_id("progress-state")).to_have_text("已申报(待受理)")
    expect(page.get_by_test_id("step-current")).to_contain_text("受理")
    result = page.get_by_test_id("progress-result")
    expect(result).not_to_contain_text("400,000")
    expect(result).not_to_contain_text(organisation.name)
    shoot(page, "applicant-progress")
