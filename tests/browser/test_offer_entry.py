"""免申即享 entered by an officer, in Chromium: a 晋城 reviewer chooses the organisation, sees its identity
taken from the record (no inputs for kind, valley, 入驻日期 or the judging date), enters a registered technology
contract (the event's fields come through HTMX), and the offer follows; the enterprise's applicant sees it on
免申即享 and confirms it. The pages again in English. Screenshots at 1366 and 390 px (test-artifacts/screens/)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from jinchuang.accounts.models import Role
from jinchuang.applications.models import Application, Offer, OfferState
from jinchuang.policy.vocabulary import OrgKind, Valley
from tests.browser.conftest import shoot
from tests.browser.records_support import Walk
from tests.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_officer_enters_facts_and_the_enterprise_confirms(page: Page, live_server: Any) -> None:
    enterprise = make_organisation(
        name="晋城宏图智能装备有限公司", kind=OrgKind.ENTERPRISE, valley=Valley.JINCHENG, settled_on=dt.date(2025, 1, 1)
    )
    government = make_organisation(name="晋城市科学技术局", kind=OrgKind.GOVERNMENT, valley=Valley.JINCHENG)
    applicant = make_user(organisation=enterprise, roles={Role.APPLICANT: ""}, display_name="周申报")
    reviewer = make_user(organisation=government, roles={Role.REVIEWER: "晋城市科学技术局"}, display_name="王审核")
    walk = Walk(page, live_server.url, "offer-entry")

    walk.login(reviewer.username)
    walk.go("/applications/offers/new/")
    page.get_by_test_id("offer-organisation").select_option(str(enterprise.pk))
    shoot(page, "offer-new-choose")
    page.get_by_test_id("offer-choose").click()
    expect(page.get_by_test_id("offer-org-name")).to_have_text(enterprise.name)
    expect(page.get_by_test_id("offer-record")).to_contain_text("取自机构档案")
    for ignored in ("applicant_kind", "applicant_valley", "settled_on", "as_of"):
        expect(page.get_by_test_id(ignored)).to_have_count(0)
    page.get_by_test_id("ev-0-type").select_option("tech_contract_registered")
    expect(page.get_by_test_id("ev-0-amount")).to_be_visible()  # the event's fields, through HTMX
    page.get_by_test_id("ev-0-date").fill("2025-06-01")
    page.get_by_test_id("ev-0-amount").fill("120")
    page.get_by_test_id("ev-0-amount-unit").select_option(label="万元")
    page.get_by_test_id("ev-0-mode").select_option("transfer")
    page.get_by_test_id("ev-0-role").select_option("buyer")
    shoot(page, "offer-new-facts")
    page.get_by_test_id("calculate").click()
    expect(page.locator(".messages")).to_contain_text("项免申即享")
    offer = Offer.objects.get(organisation=enterprise, measure_id="jc-8")
    assert offer.engine_max_fen == 240_000_00 and offer.state == OfferState.OPEN
    expect(page.get_by_test_id(f"offer-{offer.pk}")).to_contain_text("240,000.00")
    shoot(page, "offers-officer")
    walk.logout()

    walk.login(applicant.username)
    walk.go("/applications/offers/")
    expect(page.get_by_test_id(f"offer-citation-{offer.pk}")).to_contain_text("第")
    shoot(page, "offers-applicant")
    page.get_by_test_id(f"confirm-{offer.pk}").click()
    expect(page.locator(".messages")).to_contain_text("已确认, 申报已提交")
    application = Application.objects.get(organisation=enterprise, measure_id="jc-8")
    walk.go("/applications/offers/")
    expect(page.get_by_test_id(f"offer-{offer.pk}")).to_contain_text(application.number)

    page.context.set_extra_http_headers({"Accept-Language": "en"})
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    walk.go("/applications/offers/")
    expect(page.locator("h1")).to_have_text("Support without applying")
    expect(page.get_by_test_id(f"offer-{offer.pk}")).to_contain_text(f"Application {application.number}")
    shoot(page, "offers-applicant-en")
