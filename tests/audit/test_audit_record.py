"""audit_record writes who did what to which object, in the caller's transaction."""

from __future__ import annotations

from typing import Any, NoReturn

import pytest
from django.test import RequestFactory

from jinchuang.accounts.models import Organisation, Role
from jinchuang.accounts.services import organisation_create
from jinchuang.audit.actions import AuditAction
from jinchuang.audit.models import AuditLog
from jinchuang.audit.selectors import audit_log_for_object
from jinchuang.audit.services import audit_record, audit_snapshot
from tests.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db


def test_record_has_actor_object_before_after_and_ip() -> None:
    actor = make_user(roles={Role.ADMIN: ""})
    organisation = make_organisation(name="晋中某公司", valley="晋中")
    request = RequestFactory().post("/", REMOTE_ADDR="10.1.2.3")
    row = audit_record(
        actor=actor,
        action="test.edit",
        obj=organisation,
        before={"name": "旧名"},
        after={"name": "晋中某公司"},
        request=request,
    )
    row.refresh_from_db()
    assert row.actor == actor
    assert row.actor_username == actor.username
    assert row.object_type == "accounts.organisation"
    assert row.object_id == str(organisation.pk)
    assert row.before == {"name": "旧名"}
    assert row.after == {"name": "晋中某公司"}
    assert row.ip_address == "10.1.2.3"
    assert row.at is not None


def test_service_writes_its_audit_row() -> None:
    organisation = organisation_create(actor=None, name="阳泉某团队", kind="research_team", valley="阳泉")
    rows = list(audit_log_for_object(obj=organisation))
    assert [r.action for r in rows] == [AuditAction.ORGANISATION_CREATE]
    assert rows[0].before is None
    assert rows[0].after is not None and rows[0].after["name"] == "阳泉某团队"


def test_audit_row_and_change_share_one_transaction(monkeypatch: pytest.MonkeyPatch) -> None:
    def failing_audit_record(**kwargs: Any) -> NoReturn:
        raise RuntimeError("audit storage failed")

    monkeypatch.setattr("jinchuang.accounts.services.audit_record", failing_audit_record)
    with pytest.raises(RuntimeError, match="audit storage failed"):
        organisation_create(actor=None, name="不应留下的机构", kind="enterprise", valley="大同")
    assert not Organisation.objects.filter(name="不应留下的机构").exists()
    assert AuditLog.objects.count() == 0


def test_snapshot_leaves_out_password_and_masks_phone() -> None:
    user = make_user(phone="13812345678")
    snapshot = audit_snapshot(user)
    assert "password" not in snapshot
    assert snapshot["phone"] == "138****5678"
    create_row = audit_log_for_object(obj=user).get(action=AuditAction.USER_CREATE)
    assert create_row.after is not None
    assert "password" not in create_row.after
    assert "13812345678" not in str(create_row.after)
