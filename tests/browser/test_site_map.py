"""Every page of the site map at 390 px wide, as a visitor and as each demo role: no page scrolls sideways.

The demo data is what ``make run`` loads (demo users, their organisations, the record's demo facts) plus two
applications made through the services: one waiting for the 服务专员, one in 专家评审 with the demo expert,
so that the queues, the application page and the workbench of every role have rows. All failures are
collected and reported in one assertion naming each URL and the elements wider than the screen.
Screenshots of each role's workbench (1366 and 390 px): test-artifacts/screens/workbench-<role>-*.png; of
every page at 390 px: test-artifacts/site-map/.
"""

from __future__ import annotations

import re
import shutil
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from jinchuang.accounts.demo import DEMO_PASSWORD, demo_data_load
from jinchuang.accounts.models import Organisation, User
from jinchuang.applications.models import Application
from jinchuang.applications.services import application_submit, application_transition
from jinchuang.simulations.models import RunStatus, SimulationRun
from tests.browser.conftest import ARTIFACTS, PHONE, horizontal_overflow, shoot
from tests.factories import verify_facts

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = ARTIFACTS / "site-map"

#: the elements sticking out of the screen, innermost first (what to fix)
CULPRITS = """(width) => {
  const wide = [...document.querySelectorAll('body *')].filter(e => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.right > width + 1;
  });
  const innermost = wide.filter(e => !wide.some(c => c !== e && e.contains(c)));
  return innermost.slice(0, 4).map(e => `<${e.tagName.toLowerCase()} class="${e.className}">`
    + ` ${(e.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 50)}`);
}"""


def _tech_case() -> dict[str, Any]:
    """晋城 第8条 技术交易 (no expert review)."""
    event = {"type": "tech_contract_registered", "date": "2026-06-01", "amount": "1200000"}
    return {"as_of": "2026-12-31", "applicant": {"kind": "enterprise", "valley": "晋城"}, "events": [event]}


def _startup_case() -> dict[str, Any]:
    """晋城 第3条 创新启动资金 (经遴选, expert review)."""
    event = {"type": "startup_capital", "date": "2026-03-01", "paid_in_capital": "2000000", "selected": True}
    return {"as_of": "2026-12-31", "applicant": {"kind": "enterprise", "valley": "晋城"}, "events": [event]}


def _demo_site() -> dict[str, Any]:
    demo_data_load()
    call_command("load_demo_applications", stdout=StringIO())
    call_command("load_demo_records", stdout=StringIO())
    applicant = User.objects.get(username="demo_applicant")
    agent = User.objects.get(username="demo_agent")
    reviewer = User.objects.get(username="demo_reviewer")
    expert = User.objects.get(username="demo_expert")
    organisation = applicant.organisation
    assert organisation is not None
    tech_event = _tech_case()["events"][0] | {"mode": "transfer", "role": "buyer"}
    waiting = application_submit(
        organisation=organisation,
        measure_id="jc-8",
        case_data=_tech_case() | {"events": [tech_event]},
        idempotency_key="site-map-1",
        actor=applicant,
    )
    reviewed = application_submit(
        organisation=organisation,
        measure_id="jc-3",
        case_data=_startup_case(),
        idempotency_key="site-map-2",
        actor=applicant,
    )
    reviewed = application_transition(application=reviewed, transition="accept", actor=agent)
    verify_facts(reviewed, agent)
    reviewed = application_transition(application=reviewed, transition="pass_initial_review", actor=agent)
    reviewed = application_transition(
        application=reviewed, transition="send_to_experts", actor=reviewer, experts=[expert]
    )
    run = SimulationRun.objects.create(
        population="demo-20000",
        reform_text="name: 演示",
        reform_name="演示方案：晋城技术交易上限提高",
        first_year=2025,
        last_year=2027,
        status=RunStatus.FAILED,
        error="演示记录",
    )
    return {"waiting": waiting, "reviewed": reviewed, "organisation": organisation, "run": run}


def _site_map(site: dict[str, Any]) -> dict[str, list[str]]:
    """The GET pages (nothing that needs a POST first) each user opens, by username ('' = a visitor)."""
    waiting: Application = site["waiting"]
    reviewed: Application = site["reviewed"]
    organisation: Organisation = site["organisation"]
    public = [  # the first three are shown in English too
        "/",
        "/policies/compare/",
        "/no-such-page/",
        "/calculator/",
        "/calculator/?free=1",
        "/calculator/settle/",
        "/policies/",
        "/policies/jc-8/",
        "/policies/dt-17/",
        "/applications/public-notice/",
        "/applications/public-notice/archive/",
        "/applications/progress/",
        "/simulations/",
        "/login/",
    ]
    return {
        "": public,
        "demo_applicant": [
            "/workbench/",
            "/records/",
            "/records/declare/",
            "/applications/",
            f"/applications/{waiting.pk}/",
            f"/applications/{reviewed.pk}/",
            "/applications/offers/",
            "/applications/notifications/",
            "/applications/ledger/",
            "/calculator/",
            "/me/",
        ],
        "demo_agent": [
            "/workbench/",
            "/applications/queue/",
            f"/applications/{waiting.pk}/",
            "/records/served/",
            f"/records/{organisation.pk}/",
            "/applications/offers/",
            "/applications/notifications/",
        ],
        "demo_reviewer": [
            "/workbench/",
            "/applications/queue/",
            f"/applications/{reviewed.pk}/",
            "/applications/ledger/",
            "/records/imports/",
        ],
        "demo_expert": ["/workbench/", "/applications/queue/", f"/applications/{reviewed.pk}/"],
        "demo_finance": ["/workbench/", "/applications/ledger/", "/applications/queue/"],
        "demo_policy": ["/workbench/", "/simulations/", f"/simulations/{site['run'].pk}/"],
    }


def _login(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page).to_have_url(f"{base}/workbench/")


def test_no_page_of_the_site_map_scrolls_sideways_at_390_px(live_server: Any, page: Page) -> None:
    site = _demo_site()
    base = live_server.url
    failures: list[str] = []
    visited = 0
    shutil.rmtree(SHOTS, ignore_errors=True)  # this run's pages only
    SHOTS.mkdir(parents=True)
    for username, paths in _site_map(site).items():
        page.context.clear_cookies()
        page.set_viewport_size(PHONE)
        if username:
            _login(page, base, username)
        # every page in Chinese, then the first few again in English (longer words, same screen)
        for language, shown in (("zh-hans", paths), ("en", paths[:3])):
            page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
            for path in shown:
                response = page.goto(f"{base}{path}")
                assert response is not None
                where = f"{username or '访客'} {path} ({language})"
                expected = 404 if path == "/no-such-page/" else 200
                if response.status != expected:
                    failures.append(f"{where}: HTTP {response.status}")
                    continue
                visited += 1
                name = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{username or 'visitor'}{path}-{language}").strip("_")
                page.screenshot(path=str(SHOTS / f"{visited:02d}-{name}.png"), full_page=True)
                overflow = horizontal_overflow(page)
                if overflow > 0:
                    culprits = page.evaluate(CULPRITS, PHONE["width"])
                    failures.append(f"{where}: {overflow} px wider than 390 px: {culprits}")
        if username:
            page.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": base}])
            page.goto(f"{base}/workbench/")
            shoot(page, f"workbench-{username}")
            page.set_viewport_size(PHONE)
    assert visited >= 60
    assert not failures, "pages that scroll sideways at 390 px or did not open:\n" + "\n".join(failures)
