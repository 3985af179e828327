"""The record's pages on a phone (390 px wide) and in English, in Chromium:

/records/ (the member's own record), /records/<id>/ (an officer's view, with the verify and reject
forms), /records/imports/<id>/ (an import's report with its problem rows) and the application page
with the facts it rests on: no horizontal overflow (the document is never wider than the screen),
first in Chinese, then in English chosen with the site's language switch, whose headings are English.

The data is made through the services (declare, enter, import, submit): the pages are what is tested.
Screenshots: test-artifacts/record-layout/.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from jinchuang.accounts.models import Role, User
from jinchuang.applications.models import ServiceAgentAssignment
from jinchuang.applications.services import application_submit
from jinchuang.policy.vocabulary import OrgKind, Valley
from jinchuang.records.evidence import LISTS, evidence_upload
from jinchuang.records.imports import import_start
from jinchuang.records.services import fact_declare, fact_enter
from jinchuang.tasks.services import run_pending
from tests.browser.records_support import Walk
from tests.factories import make_organisation, make_user
from tests.records.department_lists import MAPPING, gaoqi_list

pytestmark = pytest.mark.django_db(transaction=True)

WIDTH = 390
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass
class Screen:
    name: str
    user: User
    path: str
    #: English words the page's own headings show (names of organisations and measures are data)
    english: tuple[str, ...]
    #: the headings that are the page's own words, none of which may stay Chinese in English (a fact's
    #: heading names its event type by the catalog's label: catalog text is Chinese, like measure titles)
    own_headings: str = "h2, h3:not(.rec-fact h3)"


def _upload(content: bytes, name: str, actor: User, organisation: Any) -> Any:
    return evidence_upload(file=io.BytesIO(content), original_name=name, actor=actor, organisation=organisation)


def _screens(settings: Any, tmp_path: Path) -> list[Screen]:
    settings.MEDIA_ROOT = tmp_path / "media"
    enterprise = make_organisation(
        name="临汾经济技术开发区晶研先进半导体新材料科技股份有限公司",
        kind=OrgKind.ENTERPRISE,
        valley=Valley.LINFEN,
        settled_on=dt.date(2025, 3, 1),
    )
    government = make_organisation(name="临汾市科学技术局", kind=OrgKind.GOVERNMENT, valley=Valley.LINFEN)
    applicant = make_user(organisation=enterprise, roles={Role.APPLICANT: ""}, display_name="冯申报")
    agent = make_user(organisation=government, roles={Role.SERVICE_AGENT: ""}, display_name="韩专员")
    ServiceAgentAssignment.objects.create(organisation=enterprise, agent=agent)
    reviewer = make_user(organisation=government, roles={Role.REVIEWER: "临汾市科技局"}, display_name="郑审核")

    contract_pdf = _upload(PDF, "技术开发合同(晶研-山西电子科技学院)2026年第0007号补充协议.pdf", applicant, enterprise)
    fact_declare(
        organisation=enterprise,
        event_data={
            "type": "tech_contract_registered",
            "date": "2026-06-01",
            "amount": "1850000",
            "mode": "development",
            "role": "buyer",
            "ref": "LF-JS-2026-000000000000000007-补充协议-技术开发",
        },
        actor=applicant,
        evidence=[contract_pdf],
    )
    fact_declare(
        organisation=enterprise,
        event_data={
            "type": "person_hired",
            "date": "2026-09-01",
            "degree": "phd",
            "full_time": True,
            "contract_years": 3,
            "social_insurance_months": 3,
        },
        actor=applicant,
        subject="王博士",
        evidence=[_upload(PDF, "王博士劳动合同.pdf", applicant, enterprise)],
    )
    fact_enter(
        organisation=enterprise,
        event_data={
            "type": "certification_granted",
            "date": "2026-03-15",
            "cert": "high_tech",
            "ref": "GR202614000777",
        },
        actor=agent,
        note="按市科技局2026年第一批高新技术企业认定名单核对",
    )
    application = application_submit(
        organisation=enterprise,
        measure_id="lf-cx-5",
        case_data={
            "as_of": "2026-12-01",
            "applicant": {"kind": "enterprise", "valley": "临汾", "settled_on": "2025-03-01"},
            "events": [{"type": "certification_granted", "date": "2026-03-15", "cert": "high_tech"}],
        },
        idempotency_key="layout-lf-cx-5",
        actor=applicant,
    )

    department_list = gaoqi_list(30, unmatched=2, bad_check=1, no_date=1, bad_date=1, bad_cert=1)
    data_import = import_start(
        evidence=evidence_upload(
            file=io.BytesIO(department_list.xlsx()),
            original_name="2025年临汾市高新技术企业认定名单(第一批).xlsx",
            actor=reviewer,
            organisation=None,
            accepted=LISTS,
        ),
        event_type="certification_granted",
        mapping=MAPPING,
        constants={},
        source="临汾市科技局 2025年高新技术企业认定名单(第一批)",
        actor=reviewer,
    )
    run_pending()
    return [
        Screen("member-record", applicant, "/records/", ("Organisation record", "Identity", "Facts")),
        Screen("officer-record", agent, f"/records/{enterprise.pk}/", ("Organisation record", "Facts")),
        Screen("import-report", reviewer, f"/records/imports/{data_import.pk}/", ("Rows with problems",)),
        Screen("application-facts", agent, f"/applications/{application.pk}/", ("Facts this application rests on",)),
    ]


def _no_overflow(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    # what makes it wide: the innermost elements without which the page would fit
    wide = page.evaluate(
        """w => {
          const fits = () => document.documentElement.scrollWidth <= w;
          if (fits()) return [];
          const culprits = [];
          for (const e of document.querySelectorAll('main *')) {
            const saved = e.style.display;
            e.style.display = 'none';
            const without = fits();
            e.style.display = saved;
            if (without && ![...e.querySelectorAll('*')].some(c => culprits.includes(c))) culprits.push(e);
          }
          const innermost = culprits.filter(e => !culprits.some(c => c !== e && e.contains(c)));
          return innermost.slice(0, 5)
            .map(e => `${e.tagName}.${e.className}: ${(e.textContent || '').trim().slice(0, 60)}`);
        }""",
        WIDTH,
    )
    assert width <= WIDTH, (page.url, width, wide)


def test_record_pages_fit_a_phone_and_speak_english(
    live_server: Any, page: Page, settings: Any, tmp_path: Path
) -> None:
    screens = _screens(settings, tmp_path)
    page.set_viewport_size({"width": WIDTH, "height": 844})
    walk = Walk(page, live_server.url, "record-layout")
    current: User | None = None
    for language in ("zh", "en"):
        for screen in screens:
            if screen.user != current:
                if current is not None:
                    walk.logout()
                walk.login(screen.user.username)
                current = screen.user
            walk.go(screen.path)
            expect(page.locator("h1")).to_be_visible()
            if language == "zh":
                expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
            else:
                expect(page.locator("html")).to_have_attribute("lang", "en")
                headings = page.locator("h1, h2, h3").all_inner_texts()
                for word in screen.english:
                    assert any(word in h for h in headings), (screen.name, word, headings)
                chinese = [h for h in page.locator(screen.own_headings).all_inner_texts() if CJK.search(h)]
                assert not chinese, (screen.name, chinese)
            _no_overflow(page)
            walk.shot(f"{language}-{screen.name}")
        if language == "zh":  # the site's language switch, on the page last shown
            page.locator("#language-select").select_option("en")
            expect(page.locator("html")).to_have_attribute("lang", "en")
