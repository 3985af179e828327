"""Chinese 403, 404 and 500 pages (DEBUG off), in English too; the 500 page needs no context processor."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from jinchuang.web import views
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def production_errors(settings: Any) -> None:
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.web.error_urls"


def test_the_site_names_our_handlers() -> None:
    from jinchuang import urls

    assert urls.handler403 == "jinchuang.web.views.permission_denied"
    assert urls.handler404 == "jinchuang.web.views.page_not_found"
    assert urls.handler500 == "jinchuang.web.views.server_error"
    assert callable(views.permission_denied) and callable(views.page_not_found) and callable(views.server_error)


def test_404_is_chinese_with_the_site_navigation(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'data-testid="error-404"' in html and "页面不存在" in html
    assert 'data-testid="nav-calculator"' in html  # the navigation stays: the way on is one click
    assert "Not Found" not in html and "The requested resource" not in html


def test_404_of_a_record_another_user_may_not_see(client: Client) -> None:
    client.force_login(make_user())
    response = client.get("/applications/999999/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_403_is_chinese(client: Client) -> None:
    client.force_login(make_user())
    response = client.get("/test-forbidden/")
    assert response.status_code == 403
    html = response.content.decode()
    assert 'data-testid="error-403"' in html and "没有权限" in html and "返回工作台" in html


def test_500_is_chinese_and_renders_without_context(client: Client) -> None:
    client.raise_request_exception = False
    response = client.get("/test-boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert 'data-testid="error-500"' in html and "服务器出错了" in html
    assert "a bug" not in html and "Traceback" not in html
    assert "Server Error" not in html


def test_500_renders_with_the_database_unreachable(rf: Any, django_db_blocker: Any) -> None:
    request = rf.get("/")
    with django_db_blocker.block():  # any query would raise
        response = views.server_error(request)
    assert response.status_code == 500
    assert "服务器出错了" in response.content.decode()


def test_error_pages_in_english(client: Client) -> None:
    client.cookies["django_language"] = "en"
    html = client.get("/no-such-page/").content.decode()
    assert '<html lang="en">' in html
    assert "页面不存在" not in html and "Page not found" in html
    client.raise_request_exception = False
    assert "服务器出错了" not in client.get("/test-boom/").content.decode()


def test_csrf_failure_page_is_chinese(db: None) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "页面已过期，请重新提交" in response.content.decode()
