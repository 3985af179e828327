"""python manage.py load_demo: demo organisations and one user per role, idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from jinchuang.accounts.demo import DEMO_PASSWORD
from jinchuang.accounts.models import Organisation, Role, User, UserRole
from jinchuang.audit.models import AuditLog
from jinchuang.policy.vocabulary import Valley

pytestmark = pytest.mark.django_db

EXPECTED_USERNAMES = {
    Role.APPLICANT: "demo_applicant",
    Role.SERVICE_AGENT: "demo_agent",
    Role.REVIEWER: "demo_reviewer",
    Role.EXPERT: "demo_expert",
    Role.FINANCE: "demo_finance",
    Role.POLICY_MAKER: "demo_policy",
    Role.ADMIN: "demo_admin",
}


def run_load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_load_demo_creates_one_user_per_role_and_organisations_in_every_valley() -> None:
    output = run_load_demo()
    for role, username in EXPECTED_USERNAMES.items():
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
        assert user.organisation is not None
        assert UserRole.objects.filter(user=user, role=role).exists()
        assert username in output
    assert DEMO_PASSWORD in output
    assert set(Organisation.objects.values_list("valley", flat=True)) == {v.value for v in Valley}
    assert UserRole.objects.get(user__username="demo_reviewer").department != ""
    assert User.objects.get(username="demo_admin").is_staff


def test_load_demo_twice_duplicates_nothing() -> None:
    run_load_demo()
    counts = (Organisation.objects.count(), User.objects.count(), UserRole.objects.count(), AuditLog.objects.count())
    run_load_demo()
    assert (
        Organisation.objects.count(),
        User.objects.count(),
        UserRole.objects.count(),
        AuditLog.objects.count(),
    ) == counts


def test_load_demo_restores_a_changed_demo_password() -> None:
    run_load_demo()
    user = User.objects.get(username="demo_expert")
    user.set_password("something-else-entirely")
    user.save()
    run_load_demo()
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)
