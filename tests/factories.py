"""Test factories: build valid objects through the services (so they are audited like real ones)."""

from __future__ import annotations

import itertools
from typing import Any

from jinchuang.accounts.models import Organisation, Role, User
from jinchuang.accounts.services import organisation_create, user_create
from jinchuang.policy.vocabulary import OrgKind, Valley

TEST_PASSWORD = "correct-horse-battery-9"
_counter = itertools.count(1)


def make_organisation(**overrides: Any) -> Organisation:
    n = next(_counter)
    fields: dict[str, Any] = {
        "name": f"测试机构{n}",
        "kind": OrgKind.ENTERPRISE,
        "valley": Valley.JINCHENG,
        "settled_on": None,
        "unified_social_credit_code": "",
    }
    fields.update(overrides)
    return organisation_create(actor=None, **fields)


def make_user(
    *,
    roles: dict[Role, str] | None = None,
    organisation: Organisation | None = None,
    password: str | None = TEST_PASSWORD,
    **overrides: Any,
) -> User:
    n = next(_counter)
    fields: dict[str, Any] = {"username": f"user{n}", "display_name": f"测试用户{n}", "phone": "", "email": ""}
    fields.update(overrides)
    return user_create(
        actor=None,
        password=password,
        organisation=organisation if organisation is not None else make_organisation(),
        roles=roles if roles is not None else {Role.APPLICANT: ""},
        **fields,
    )


def verify_facts(application: Any, officer: User | None = None) -> None:
    """The 服务专员 verifies every fact the application relies on that is still 待核验 (as on the review
    page), so that it may be approved; ``officer`` defaults to the organisation's assigned agent."""
    from jinchuang.applications.models import ServiceAgentAssignment
    from jinchuang.records.models import FactState
    from jinchuang.records.services import fact_verify

    if officer is None:
        officer = ServiceAgentAssignment.objects.get(organisation_id=application.organisation_id).agent
    for fact in application.facts.filter(state=FactState.DECLARED):
        fact_verify(fact=fact, actor=officer, note="已核对证明材料原件")
