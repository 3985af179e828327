"""Language switch (zh-hans/en) and the locally served front-end libraries (no CDN)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_language_settings() -> None:
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en"]
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True


def test_switch_to_english_and_back(client: Client) -> None:
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("web:home")})
    assert response.status_code == 302
    content = client.get(reverse("web:home")).content.decode()
    assert '<html lang="en">' in content
    assert "Log in" in content  # needs the compiled English catalogue (make setup runs msgfmt)
    client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("web:home")})
    content = client.get(reverse("web:home")).content.decode()
    assert '<html lang="zh-hans">' in content
    assert "登录" in content


@pytest.mark.parametrize("path", ["vendor/htmx.min.js", "vendor/echarts.min.js", "web/css/site.css"])
def test_front_end_files_are_served_from_our_static_dirs(path: str) -> None:
    found = finders.find(path)
    assert found, f"{path} missing: run `make setup` (npm install copies vendor files)"


def test_pages_load_no_third_party_scripts_or_styles(client: Client) -> None:
    content = client.get(reverse("web:home")).content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', content)
    assert any(s.endswith("vendor/htmx.min.js") for s in sources)
    assert not [s for s in sources if s.startswith(("http://", "https://", "//"))]
