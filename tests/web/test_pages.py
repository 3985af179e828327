"""Home, login, 我的 and logout pages."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.test import Client
from django.urls import reverse
from django.utils.module_loading import import_string

from jinchuang.accounts.models import Role
from tests.factories import TEST_PASSWORD, make_organisation, make_user

pytestmark = pytest.mark.django_db


def session_store() -> type[SessionBase]:
    engine: type[SessionBase] = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    assert issubclass(engine, SessionBase)
    return engine


def test_home_page_in_chinese_for_anonymous_users(client: Client) -> None:
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="zh-hans">' in content
    assert "晋创通" in content
    for city in ("晋城", "晋中", "临汾", "阳泉", "大同"):
        assert city in content
    assert reverse("web:login") in content


def internal_links(html: str) -> set[str]:
    return {href for href in re.findall(r'<a\s[^>]*href="([^"#]+)"', html) if href.startswith("/")}


@pytest.mark.parametrize("logged_in", [False, True])
def test_every_link_on_the_landing_page_works(client: Client, logged_in: bool) -> None:
    """Visitors land on the home page, a signed-in user on the workbench: every link there opens."""
    landing = reverse("web:home")
    if logged_in:
        client.force_login(make_user(is_staff=True, is_superuser=True))
        landing = reverse("web:workbench")
    links = internal_links(client.get(landing).content.decode())
    assert links, "the landing page should link somewhere"
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, f"{link} -> {response.status_code}"


def test_a_signed_in_user_landing_on_home_goes_to_the_workbench(client: Client) -> None:
    client.force_login(make_user())
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("web:workbench")


def test_login_page_is_chinese(client: Client) -> None:
    response = client.get(reverse("web:login"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "用户名" in content and "密码" in content and "登录" in content


def test_login_through_the_form_lands_on_the_workbench_with_the_name(client: Client) -> None:
    user = make_user(display_name="刘晋创")
    response = client.post(reverse("web:login"), {"username": user.username, "password": TEST_PASSWORD}, follow=True)
    assert [url for url, _status in response.redirect_chain] == [reverse("web:workbench")]
    assert "欢迎您，刘晋创" in response.content.decode()


def test_wrong_password_shows_a_chinese_error(client: Client) -> None:
    user = make_user()
    response = client.post(reverse("web:login"), {"username": user.username, "password": "nope-nope-nope"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_me_requires_login(client: Client) -> None:
    response = client.get(reverse("web:me"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_me_shows_organisation_and_all_roles(client: Client) -> None:
    organisation = make_organisation(name="晋城市科学技术局", kind="government", valley="晋城")
    user = make_user(
        organisation=organisation,
        roles={Role.REVIEWER: "晋城市科学技术局", Role.EXPERT: ""},
        display_name="王审核",
        phone="13712345678",
    )
    client.force_login(user)
    content = client.get(reverse("web:me")).content.decode()
    assert "王审核" in content
    assert "晋城市科学技术局（政府部门，晋城）" in content
    assert "部门审核员（晋城市科学技术局）" in content
    assert "评审专家" in content
    assert "137****5678" in content
    assert "13712345678" not in content


def test_logout_requires_post(client: Client) -> None:
    client.force_login(make_user())
    assert client.get(reverse("web:logout")).status_code == 405
    assert "_auth_user_id" in client.session


def test_logout_ends_the_server_session(client: Client) -> None:
    user = make_user()
    client.post(reverse("web:login"), {"username": user.username, "password": TEST_PASSWORD})
    old_key = client.session.session_key
    assert old_key is not None
    store = session_store()
    assert store().exists(old_key)
    response = client.post(reverse("web:logout"))
    assert response.status_code == 302
    assert not store().exists(old_key)
    assert client.get(reverse("web:me")).status_code == 302


def test_session_expires_after_eight_hours_and_at_browser_close(client: Client) -> None:
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    user = make_user()
    response = client.post(reverse("web:login"), {"username": user.username, "password": TEST_PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == ""  # a browser-session cookie
    assert cookie["max-age"] == ""
    assert client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == 8 * 60 * 60
