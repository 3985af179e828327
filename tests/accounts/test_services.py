from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from jinchuang.accounts.models import Organisation, Role, User, UserRole
from jinchuang.accounts.selectors import user_has_role, user_roles, users_with_role
from jinchuang.accounts.services import organisation_update, user_create, user_role_grant, user_role_revoke
from jinchuang.audit.actions import AuditAction
from jinchuang.audit.models import AuditLog
from jinchuang.audit.selectors import audit_log_for_object
from tests.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db


def test_user_create_with_roles_writes_audit_rows() -> None:
    organisation = make_organisation(kind="government", name="晋城市科学技术局")
    user = user_create(
        actor=None,
        username="wang",
        password="s3cret-pass-123",
        organisation=organisation,
        display_name="王审核",
        roles={Role.REVIEWER: "晋城市科学技术局", Role.EXPERT: ""},
    )
    assert user.check_password("s3cret-pass-123")
    assert [h.role for h in user_roles(user=user)] == [Role.REVIEWER, Role.EXPERT]
    assert user_roles(user=user)[0].department == "晋城市科学技术局"
    actions = list(AuditLog.objects.order_by("id").values_list("action", flat=True))
    assert actions[-3:] == [AuditAction.USER_CREATE, AuditAction.USER_ROLE_GRANT, AuditAction.USER_ROLE_GRANT]


def test_reviewer_needs_a_department_and_nothing_is_left_behind() -> None:
    organisation = make_organisation()
    with pytest.raises(ValidationError) as excinfo:
        user_create(actor=None, username="nodept", password=None, organisation=organisation, roles={Role.REVIEWER: ""})
    assert "department" in excinfo.value.message_dict
    assert not User.objects.filter(username="nodept").exists()


def test_department_only_for_reviewers() -> None:
    user = make_user()
    with pytest.raises(ValidationError):
        user_role_grant(actor=None, user=user, role=Role.EXPERT, department="某部门")


def test_role_grant_is_idempotent_and_revoke_removes() -> None:
    actor = make_user(roles={Role.ADMIN: ""})
    user = make_user()
    before = AuditLog.objects.count()
    user_role_grant(actor=actor, user=user, role=Role.FINANCE)
    user_role_grant(actor=actor, user=user, role=Role.FINANCE)
    assert UserRole.objects.filter(user=user, role=Role.FINANCE).count() == 1
    assert AuditLog.objects.count() == before + 1
    assert user_has_role(user=user, role=Role.FINANCE)
    assert list(users_with_role(role=Role.FINANCE)) == [user]
    assert user_role_revoke(actor=actor, user=user, role=Role.FINANCE) is True
    assert user_role_revoke(actor=actor, user=user, role=Role.FINANCE) is False
    assert not user_has_role(user=user, role=Role.FINANCE)
    revoke = AuditLog.objects.get(action=AuditAction.USER_ROLE_REVOKE)
    assert revoke.actor == actor
    assert revoke.before is not None and revoke.before["role"] == "finance"


def test_organisation_update_records_before_and_after() -> None:
    organisation = make_organisation(name="旧名称", valley="临汾")
    organisation_update(actor=None, organisation=organisation, data={"name": "新名称"})
    assert Organisation.objects.get(pk=organisation.pk).name == "新名称"
    row = audit_log_for_object(obj=organisation).get(action=AuditAction.ORGANISATION_UPDATE)
    assert row.before is not None and row.before["name"] == "旧名称"
    assert row.after is not None and row.after["name"] == "新名称"


def test_organisation_update_refuses_unknown_fields() -> None:
    organisation = make_organisation()
    with pytest.raises(ValueError, match="unknown fields"):
        organisation_update(actor=None, organisation=organisation, data={"id": 99})
