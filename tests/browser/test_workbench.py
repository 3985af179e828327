"""The top bar and the workbench in Chromium: the menu button under 768 px, the navigation by role, the
workbench each demo role lands on after login (screenshots: test-artifacts/screens/bench-*.png)."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from jinchuang.accounts.demo import DEMO_PASSWORD, demo_data_load
from jinchuang.accounts.models import User
from jinchuang.applications.models import Notification
from tests.browser.conftest import DESKTOP, PHONE, horizontal_overflow, shoot

pytestmark = pytest.mark.django_db(transaction=True)


def _login(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page).to_have_url(f"{base}/workbench/")


def test_the_menu_button_opens_the_navigation_on_a_phone(live_server: Any, page: Page) -> None:
    demo_data_load()
    call_command("load_demo_applications", stdout=StringIO())
    base = live_server.url
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/")
    button = page.get_by_test_id("menu-button")
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_test_id("nav-calculator")).to_be_hidden()
    expect(page.get_by_test_id("nav-login")).to_be_visible()  # signing in stays one tap away
    shoot(page, "bench-visitor-home")
    page.set_viewport_size(PHONE)
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_test_id("nav-calculator")).to_be_visible()
    page.screenshot(path=str(_shot("bench-visitor-menu-open-390")), full_page=True)
    assert horizontal_overflow(page) <= 0
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    button.click()
    page.get_by_test_id("nav-calculator").click()
    expect(page).to_have_url(f"{base}/calculator/")

    # the applicant (with unread messages: the count is on the button): its items behind the button
    applicant = User.objects.get(username="demo_applicant")
    for n in range(12):
        Notification.objects.create(user=applicant, text=f"演示消息 {n}")
    _login(page, base, "demo_applicant")
    expect(page.get_by_test_id("bench-applicant")).to_be_visible()
    # the bar is one row on a phone: brand, 退出登录, language, menu button (the name is in the menu)
    rows = (
        "() => ['brand', 'logout', 'language', 'menu-button'].map("
        "id => document.querySelector(`[data-testid=${id}]`).getBoundingClientRect().bottom)"
    )
    tops = page.evaluate(rows)
    assert max(tops) - min(tops) < 20, tops
    page.locator("#language-select").select_option("en")  # longer words: still one row
    expect(page.get_by_test_id("logout")).to_have_text("Log out")
    assert max(page.evaluate(rows)) - min(page.evaluate(rows)) < 20
    page.locator("#language-select").select_option("zh-hans")
    expect(page.get_by_test_id("logout")).to_have_text("退出登录")
    expect(page.get_by_test_id("nav-records")).to_be_hidden()
    page.get_by_test_id("menu-button").click()
    expect(page.get_by_test_id("nav-me-menu")).to_contain_text("张申报")
    for key in ("workbench", "records", "applications", "offers", "notifications"):
        expect(page.get_by_test_id(f"nav-{key}")).to_be_visible()
    expect(page.get_by_test_id("nav-queue")).to_have_count(0)
    expect(page.get_by_test_id("nav-workbench")).to_have_attribute("aria-current", "page")
    page.get_by_test_id("nav-applications").click()
    expect(page).to_have_url(f"{base}/applications/")

    # wide: no button, every item in the bar
    page.set_viewport_size(DESKTOP)
    expect(page.get_by_test_id("menu-button")).to_be_hidden()
    expect(page.get_by_test_id("nav-records")).to_be_visible()
    expect(page.get_by_test_id("nav-settle")).to_be_visible()


def test_each_demo_role_lands_on_its_own_workbench(live_server: Any, page: Page) -> None:
    demo_data_load()
    call_command("load_demo_applications", stdout=StringIO())
    base = live_server.url
    expected = {
        "demo_applicant": "bench-applicant",
        "demo_agent": "bench-queue-service_agent",
        "demo_reviewer": "bench-queue-reviewer",
        "demo_expert": "bench-queue-expert",
        "demo_finance": "bench-finance",
        "demo_policy": "bench-policy",
    }
    for username, section in expected.items():
        page.context.clear_cookies()
        _login(page, base, username)
        expect(page.get_by_test_id(section)).to_be_visible()
        shoot(page, f"bench-{username}")
    # the policy maker starts a simulation from the workbench
    page.get_by_test_id("bench-simulate").click()
    expect(page).to_have_url(f"{base}/simulations/")


def test_the_overflow_measure_sees_a_planted_wide_element(live_server: Any, page: Page) -> None:
    """The site-map test can fail: the stylesheet does not hide what sticks out (no overflow: hidden)."""
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/")
    assert horizontal_overflow(page) <= 0
    page.evaluate(
        "() => { const d = document.createElement('div'); d.style.width = '900px'; d.textContent = 'x';"
        " document.querySelector('main').appendChild(d); }"
    )
    assert horizontal_overflow(page) > 0


def _shot(name: str) -> Any:
    from tests.browser.conftest import SCREENS

    SCREENS.mkdir(parents=True, exist_ok=True)
    return SCREENS / f"{name}.png"
