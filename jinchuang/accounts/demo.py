"""Demo organisations (one or more in each valley) and one demo user per role.

Idempotent: organisations are found by name and users by username, so loading twice creates nothing
new. Every creation goes through the services, so it is audited like any other change.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from jinchuang.accounts.models import Organisation, Role, User
from jinchuang.accounts.services import organisation_create, organisation_update, user_create, user_role_grant
from jinchuang.audit.actions import AuditAction
from jinchuang.audit.services import audit_record, audit_snapshot
from jinchuang.policy.vocabulary import OrgKind, Valley

DEMO_PASSWORD = "jinchuang-demo-2026"


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    kind: OrgKind
    valley: Valley
    settled_on: datetime.date | None
    unified_social_credit_code: str = ""


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    organisation: str
    role: Role
    phone: str
    department: str = ""
    is_staff: bool = False
    is_superuser: bool = False


DEMO_ORGANISATIONS: tuple[DemoOrganisation, ...] = (
    DemoOrganisation("演示·晋城智造科技有限公司", OrgKind.ENTERPRISE, Valley.JINCHENG, datetime.date(2025, 3, 18)),
    DemoOrganisation("演示·晋城市科学技术局", OrgKind.GOVERNMENT, Valley.JINCHENG, None),
    DemoOrganisation("演示·晋中新材料科创团队", OrgKind.RESEARCH_TEAM, Valley.JINZHONG, datetime.date(2025, 6, 1)),
    DemoOrganisation("演示·晋中创新投资基金", OrgKind.INVESTMENT_FUND, Valley.JINZHONG, None),
    DemoOrganisation("演示·临汾应用技术研究院", OrgKind.UNIVERSITY, Valley.LINFEN, datetime.date(2024, 11, 5)),
    DemoOrganisation(
        "演示·阳泉数智孵化器运营有限公司",
        OrgKind.INCUBATOR_OPERATOR,
        Valley.YANGQUAN,
        datetime.date(2024, 9, 10),
    ),
    DemoOrganisation("演示·大同技术转移服务中心", OrgKind.INTERMEDIARY, Valley.DATONG, datetime.date(2025, 1, 20)),
    DemoOrganisation("演示·大同科创银行支行", OrgKind.FINANCIAL_INSTITUTION, Valley.DATONG, None),
    DemoOrganisation("演示·大同智能装备有限公司", OrgKind.ENTERPRISE, Valley.DATONG, datetime.date(2025, 2, 10)),
    DemoOrganisation("演示·大同市委组织部", OrgKind.GOVERNMENT, Valley.DATONG, None),
)

DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("demo_applicant", "张申报", "演示·晋城智造科技有限公司", Role.APPLICANT, "13800005678"),
    DemoUser("demo_agent", "李专员", "演示·阳泉数智孵化器运营有限公司", Role.SERVICE_AGENT, "13900001234"),
    DemoUser(
        "demo_reviewer", "王审核", "演示·晋城市科学技术局", Role.REVIEWER, "13700002468", department="晋城市科学技术局"
    ),
    DemoUser("demo_expert", "赵专家", "演示·临汾应用技术研究院", Role.EXPERT, "13600001357"),
    DemoUser("demo_applicant_dt", "周申报", "演示·大同智能装备有限公司", Role.APPLICANT, "13800002233"),
    DemoUser(
        "demo_reviewer_dt", "吴审核", "演示·大同市委组织部", Role.REVIEWER, "13700003344", department="大同市委组织部"
    ),
    DemoUser("demo_finance", "钱财务", "演示·晋城市科学技术局", Role.FINANCE, "13500009876"),
    DemoUser("demo_policy", "郑研究", "演示·晋城市科学技术局", Role.POLICY_MAKER, "13400006789"),
    DemoUser(
        "demo_admin", "孙管理", "演示·晋城市科学技术局", Role.ADMIN, "13300004321", is_staff=True, is_superuser=True
    ),
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: Role
    display_name: str


def _ensure_organisation(spec: DemoOrganisation) -> Organisation:
    existing = Organisation.objects.filter(name=spec.name).first()
    if existing is None:
        return organisation_create(
            actor=None,
            name=spec.name,
            kind=spec.kind,
            valley=spec.valley,
            settled_on=spec.settled_on,
            unified_social_credit_code=spec.unified_social_credit_code,
        )
    wanted: dict[str, object] = {
        "kind": spec.kind.value,
        "valley": spec.valley.value,
        "settled_on": spec.settled_on,
        "unified_social_credit_code": spec.unified_social_credit_code,
    }
    changed = {field: value for field, value in wanted.items() if getattr(existing, field) != value}
    if changed:
        return organisation_update(actor=None, organisation=existing, data=changed)
    return existing


def _ensure_user(spec: DemoUser, organisation: Organisation) -> User:
    user = User.objects.filter(username=spec.username).first()
    if user is None:
        return user_create(
            actor=None,
            username=spec.username,
            password=DEMO_PASSWORD,
            organisation=organisation,
            display_name=spec.display_name,
            phone=spec.phone,
            roles={spec.role: spec.department},
            is_staff=spec.is_staff,
            is_superuser=spec.is_superuser,
        )
    before = audit_snapshot(user)
    password_reset = not user.check_password(DEMO_PASSWORD)
    if password_reset:
        user.set_password(DEMO_PASSWORD)
    user.display_name = spec.display_name
    user.organisation = organisation
    user.phone = spec.phone
    user.is_staff = spec.is_staff
    user.is_superuser = spec.is_superuser
    user.is_active = True
    after = audit_snapshot(user)
    if password_reset or after != before:
        user.save()
        audit_record(
            actor=None,
            action=AuditAction.USER_UPDATE,
            obj=user,
            before=before,
            after={**after, "password_reset": password_reset},
        )
    user_role_grant(actor=None, user=user, role=spec.role, department=spec.department)
    return user


def demo_data_load() -> list[DemoLogin]:
    """Create or refresh the demo data; return the demo logins, one per role."""
    with transaction.atomic():
        organisations = {spec.name: _ensure_organisation(spec) for spec in DEMO_ORGANISATIONS}
        logins = []
        for spec in DEMO_USERS:
            user = _ensure_user(spec, organisations[spec.organisation])
            logins.append(
                DemoLogin(
                    username=user.username, password=DEMO_PASSWORD, role=spec.role, display_name=spec.display_name
                )
            )
    return logins
