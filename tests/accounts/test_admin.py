"""The back office: organisations and users, with masked phones and audited saves."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jinchuang.accounts.models import Organisation
from jinchuang.audit.actions import AuditAction
from jinchuang.audit.models import AuditLog
from tests.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db


def test_admin_index_lists_back_office_models(admin_client: Client) -> None:
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    for name in ("organisation", "user", "auditlog"):
        assert f"/admin/{'audit' if name == 'auditlog' else 'accounts'}/{name}/".encode() in response.content


def test_user_list_masks_phone_numbers(admin_client: Client) -> None:
    make_user(phone="13812345678", display_name="手机测试")
    response = admin_client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "138****5678" in content
    assert "13812345678" not in content


def test_organisation_list_and_change_pages_load(admin_client: Client) -> None:
    organisation = make_organisation(name="大同某中介", kind="intermediary", valley="大同")
    assert admin_client.get(reverse("admin:accounts_organisation_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:accounts_organisation_change", args=[organisation.pk])).status_code == 200


def test_admin_create_and_change_are_audited(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("admin:accounts_organisation_add"),
        {
            "name": "后台新建机构",
            "kind": "university",
            "valley": "临汾",
            "settled_on": "2025-05-01",
            "unified_social_credit_code": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    organisation = Organisation.objects.get(name="后台新建机构")
    create = AuditLog.objects.get(action=AuditAction.ORGANISATION_CREATE, object_id=str(organisation.pk))
    assert create.actor_username == "admin"

    response = admin_client.post(
        reverse("admin:accounts_organisation_change", args=[organisation.pk]),
        {
            "name": "后台改名机构",
            "kind": "university",
            "valley": "临汾",
            "settled_on": "2025-05-01",
            "unified_social_credit_code": "",
        },
    )
    assert response.status_code == 302
    update = AuditLog.objects.get(action=AuditAction.ORGANISATION_UPDATE, object_id=str(organisation.pk))
    assert update.before is not None and update.before["name"] == "后台新建机构"
    assert update.after is not None and update.after["name"] == "后台改名机构"


def test_user_change_page_loads_with_roles_inline(admin_client: Client) -> None:
    user = make_user()
    response = admin_client.get(reverse("admin:accounts_user_change", args=[user.pk]))
    assert response.status_code == 200
    assert b"roles-TOTAL_FORMS" in response.content
