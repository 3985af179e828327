"""django-axes: 5 failures for one username from one IP lock that pair out for 30 minutes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db


def attempt(client: Client, username: str, password: str) -> int:
    return client.post(reverse("web:login"), {"username": username, "password": password}).status_code


def test_lockout_settings() -> None:
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=30)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_five_failures_lock_out_even_the_right_password() -> None:
    user = make_user()
    client = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(4):
        assert attempt(client, user.username, "wrong-password") == 200
    assert attempt(client, user.username, "wrong-password") == 429  # the fifth failure locks
    response = client.post(reverse("web:login"), {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 429
    content = response.content.decode()
    assert "账号已暂时锁定" in content
    assert "30分钟" in content
    assert "_auth_user_id" not in client.session


def test_four_failures_then_success_is_not_locked() -> None:
    user = make_user()
    client = Client(REMOTE_ADDR="198.51.100.8")
    for _ in range(4):
        assert attempt(client, user.username, "wrong-password") == 200
    assert attempt(client, user.username, TEST_PASSWORD) == 302
    assert "_auth_user_id" in client.session


def test_lockout_is_per_username_and_ip() -> None:
    user = make_user()
    other = make_user()
    attacker = Client(REMOTE_ADDR="203.0.113.5")
    for _ in range(5):
        attempt(attacker, user.username, "wrong-password")
    assert attempt(attacker, user.username, TEST_PASSWORD) == 429
    # same IP, another username: not locked
    assert attempt(Client(REMOTE_ADDR="203.0.113.5"), other.username, TEST_PASSWORD) == 302
    # same username, another IP: not locked
    assert attempt(Client(REMOTE_ADDR="203.0.113.99"), user.username, TEST_PASSWORD) == 302
