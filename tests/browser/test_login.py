"""A demo user logs in through the real login page and sees the home page with their name."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from jinchuang.accounts.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def login(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/")
    page.get_by_test_id("nav-login").click()
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_test_id("login-submit").click()


def test_demo_applicant_logs_in_and_sees_their_name(live_server: Any, page: Page) -> None:
    call_command("load_demo", stdout=StringIO())
    login(page, live_server.url, "demo_applicant", DEMO_PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/workbench/")  # everyone lands on their workbench
    expect(page.get_by_test_id("welcome")).to_have_text("欢迎您，张申报")
    expect(page.get_by_test_id("current-user")).to_have_text("张申报")

    page.get_by_test_id("nav-me").click()
    expect(page.get_by_test_id("me-organisation")).to_contain_text("演示·晋城智造科技有限公司")
    expect(page.get_by_test_id("me-roles")).to_contain_text("申报人")

    page.get_by_test_id("logout").click()
    expect(page.get_by_test_id("nav-login")).to_be_visible()


def test_wrong_password_stays_on_the_login_page(live_server: Any, page: Page) -> None:
    call_command("load_demo", stdout=StringIO())
    login(page, live_server.url, "demo_expert", "not-the-password")
    expect(page.get_by_test_id("login-error")).to_contain_text("用户名或密码不正确")


def test_htmx_is_loaded_from_our_static_files(live_server: Any, page: Page) -> None:
    page.goto(f"{live_server.url}/")
    page.wait_for_function("() => typeof window.htmx !== 'undefined'")
    assert page.evaluate("() => window.htmx.version").startswith("2.")
