"""Login, logout and login failure are written to the audit log."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jinchuang.audit.actions import AuditAction
from jinchuang.audit.selectors import audit_log_by_action
from tests.factories import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_login_is_audited() -> None:
    user = make_user()
    client = Client(REMOTE_ADDR="192.0.2.10")
    response = client.post(reverse("web:login"), {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    row = audit_log_by_action(action=AuditAction.LOGIN).get()
    assert row.actor == user
    assert row.ip_address == "192.0.2.10"


def test_login_failure_is_audited_without_the_password() -> None:
    user = make_user()
    client = Client(REMOTE_ADDR="192.0.2.11")
    response = client.post(reverse("web:login"), {"username": user.username, "password": "wrong-password-xyz"})
    assert response.status_code == 200
    row = audit_log_by_action(action=AuditAction.LOGIN_FAILED).get()
    assert row.actor is None
    assert row.after == {"username": user.username}
    assert row.ip_address == "192.0.2.11"
    assert "wrong-password-xyz" not in str(row.before) + str(row.after)


def test_logout_is_audited() -> None:
    user = make_user()
    client = Client()
    client.force_login(user)
    client.post(reverse("web:logout"))
    row = audit_log_by_action(action=AuditAction.LOGOUT).get()
    assert row.actor == user
