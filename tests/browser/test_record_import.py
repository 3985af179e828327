"""A department's 高企 list imported through the pages, in Chromium, with a real background worker:

a reviewer of 临汾市科技局 uploads a 300-row 2025年高新技术企业认定名单 (XLSX, a title row above the
header; some rows name no organisation, some are malformed), keeps the pre-filled columns, starts the
import and watches its progress bar (polled every second) while a worker thread runs the job; the
report names every bad row by its row number and its column header. The import gives the listed
enterprises verified facts; the applications area's re-evaluation jobs (run by the same worker) offer
them 临汾 科技创新·五 (10万元); an enterprise's applicant confirms the offer and finds the application
in 我的申报. The same file uploaded again shows the same import and records nothing new.

Screenshots: test-artifacts/record-import/.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import FilePayload, Page, expect

from jinchuang.accounts.models import Role
from jinchuang.applications.models import Application, Offer, OfferState
from jinchuang.records import imports
from jinchuang.records.models import DataImport, Fact, Provenance
from jinchuang.tasks.services import Job, JobState
from tests.browser.records_support import Walk, background_worker, file_live_server  # noqa: F401 (fixture)
from tests.factories import make_user
from tests.records.department_lists import gaoqi_list

SOURCE = "临汾市科技局 2025年高新技术企业认定名单"
FILE_NAME = "2025年临汾市高企认定名单.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: records, in the page, every state and progress text the polled status element shows
WATCH_PROGRESS = """() => {
  window.__importSeen = [];
  const note = () => {
    const status = document.querySelector('[data-testid=import-status]');
    if (!status) return;
    const rows = status.querySelector('[data-testid=import-rows]');
    const bar = status.querySelector('[data-testid=import-progress]');
    window.__importSeen.push({
      state: status.dataset.state,
      rows: rows ? rows.textContent.trim() : '',
      barVisible: !!bar && bar.getBoundingClientRect().height > 0,
    });
  };
  note();
  new MutationObserver(note).observe(document.body, {childList: true, subtree: true});
}"""


def _wait_for_jobs(timeout: float = 60) -> None:
    """Until the worker has no job left to run (the import's re-evaluation jobs included)."""
    deadline = time.monotonic() + timeout
    while Job.objects.filter(state__in=[JobState.READY, JobState.RUNNING]).exists():
        assert time.monotonic() < deadline, list(Job.objects.exclude(state=JobState.DONE).values("name", "state"))
        time.sleep(0.2)


def _upload(walk: Walk, content: bytes) -> None:
    page = walk.page
    walk.go("/records/imports/new/")
    listing: FilePayload = {"name": FILE_NAME, "mimeType": XLSX, "buffer": content}
    page.get_by_test_id("import-file").set_input_files(files=[listing])
    expect(page.get_by_test_id("import-type")).to_have_value("certification_granted")
    page.get_by_test_id("import-source").fill(SOURCE)
    page.get_by_test_id("import-upload-submit").click()
    expect(page.get_by_test_id("import-file-name")).to_have_text(FILE_NAME)


def test_a_department_list_imported_watched_and_offered(
    file_live_server: Any,  # noqa: F811 (the fixture imported above)
    page: Page,
    settings: Any,
    tmp_path: Path,
    monkeypatch: Any,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    # A 300-row list takes well under a second here: each progress report (every 20 rows) waits 0.2 s, as a
    # large list would, so that the page (polling every second) sees the job running on any machine.
    report = imports._progress

    def slow_progress(*args: Any) -> None:
        report(*args)
        time.sleep(0.2)

    monkeypatch.setattr(imports, "_progress", slow_progress)
    department_list = gaoqi_list(300)  # the 临汾 enterprises it names, settled 2024-06-01
    reviewer = make_user(roles={Role.REVIEWER: "临汾市科技局"}, display_name="郑审核")
    eligible = next(o for o in department_list.organisations if o.unified_social_credit_code in department_list.good)
    applicant = make_user(organisation=eligible, roles={Role.APPLICANT: ""}, display_name="冯申报")
    content = department_list.xlsx()
    walk = Walk(page, file_live_server.url, "record-import")

    # ── 审核员: upload, the columns (pre-selected from the header), start ─────────────────────────
    walk.login(reviewer.username)
    _upload(walk, content)
    expect(page.get_by_test_id("map-uscc")).to_have_value("统一社会信用代码")
    expect(page.get_by_test_id("map-date")).to_have_value("认定日期")
    expect(page.get_by_test_id("map-cert")).to_have_value("资质")  # the list has the column: no constant needed
    expect(page.get_by_test_id("map-ref")).to_have_value("证书编号")
    expect(page.get_by_test_id("import-source")).to_have_value(SOURCE)
    walk.shot("mapping")
    page.get_by_test_id("import-start").click()

    # ── the progress while the job waits and runs, then the report ────────────────────────────────
    data_import = DataImport.objects.get()
    expect(page).to_have_url(f"{walk.base}/records/imports/{data_import.pk}/")
    expect(page.get_by_test_id("import-progress")).to_be_visible()
    expect(page.get_by_test_id("import-status")).to_have_attribute("data-state", "queued")
    expect(page.get_by_test_id("import-rows")).to_have_text("已处理 0 / 300 行")
    walk.shot("queued")
    page.evaluate(WATCH_PROGRESS)
    with background_worker() as finished:
        expect(page.get_by_test_id("import-status")).to_have_attribute("data-state", "running", timeout=30_000)
        expect(page.get_by_test_id("import-progress")).to_be_visible()
        walk.shot("running")
        expect(page.get_by_test_id("import-status")).to_have_attribute("data-state", "done", timeout=60_000)
        walk.shot("report")
        seen: list[dict[str, Any]] = page.evaluate("window.__importSeen")
        running = [s for s in seen if s["state"] == "running"]
        assert running and all(s["barVisible"] for s in running), seen
        counts = [int(m.group(1)) for s in running if (m := re.match(r"已处理 (\d+) / 300 行", s["rows"]))]
        assert counts == sorted(counts) and any(0 < n < 300 for n in counts), seen  # seen part-way through
        expect(page.get_by_test_id("import-progress")).to_have_count(0)
        expect(page.get_by_test_id("count-rows")).to_have_text("300")
        expect(page.get_by_test_id("count-created")).to_have_text(str(len(department_list.good)))
        problems = department_list.expected_problems()
        expect(page.get_by_test_id("count-problems")).to_have_text(str(len(problems)))
        for number, (column, _kind) in problems.items():
            cells = page.get_by_test_id(f"problem-{number}").locator("td")
            expect(cells.nth(0)).to_have_text(str(number))
            expect(cells.nth(1)).to_have_text(column)
        expect(page.get_by_test_id(f"import-org-{eligible.pk}")).to_have_text(eligible.name)
        _wait_for_jobs()  # the re-evaluation jobs the import announced
    assert any(j.name == "records.import" and j.state == JobState.DONE for j in finished)
    assert Fact.objects.filter(provenance=Provenance.IMPORTED).count() == len(department_list.good)
    walk.logout()

    # ── 申报人 of a listed enterprise: the 免申即享 offer, confirmed ───────────────────────────────
    offer = Offer.objects.get(organisation=eligible, measure_id="lf-cx-5", state=OfferState.OPEN)
    walk.login(applicant.username)
    walk.go("/applications/offers/")
    row = page.get_by_test_id(f"offer-{offer.pk}")
    expect(row).to_contain_text("支持企业升级提质")
    expect(page.get_by_test_id(f"offer-citation-{offer.pk}")).to_contain_text("科技创新·五")
    expect(row).to_contain_text("100,000.00")
    expect(page.locator("tr[data-testid^=offer-]")).to_have_count(Offer.objects.filter(organisation=eligible).count())
    walk.shot("offer")
    page.get_by_test_id(f"confirm-{offer.pk}").click()
    expect(page.locator(".messages")).to_contain_text("已确认, 申报已提交")
    application = Application.objects.get(organisation=eligible, measure_id="lf-cx-5")
    expect(page.get_by_test_id("state")).to_have_text("已申报(待受理)")
    expect(page.get_by_test_id("engine-max")).to_have_text("100,000.00")
    walk.go("/applications/")
    expect(page.get_by_test_id(f"state-{application.pk}")).to_have_text("已申报(待受理)")
    walk.shot("my-applications")
    walk.logout()

    # ── the same file again: the same import, nothing new ────────────────────────────────────────
    facts_before = Fact.objects.count()
    walk.login(reviewer.username)
    _upload(walk, content)
    page.get_by_test_id("import-start").click()
    expect(page).to_have_url(f"{walk.base}/records/imports/{data_import.pk}/")
    expect(page.locator(".messages")).to_contain_text("这份名单已按相同设置导入过")
    expect(page.get_by_test_id("count-created")).to_have_text(str(len(department_list.good)))
    walk.shot("same-file-again")
    assert DataImport.objects.count() == 1 and Fact.objects.count() == facts_before
    assert not Job.objects.filter(state__in=[JobState.READY, JobState.RUNNING]).exists()
