"""The cast for the application pages: one organisation with its 服务专员, a 晋城 reviewer, an expert,
finance, and a second enterprise and a 晋中 reviewer who must see nothing of the first."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from jinchuang.accounts.models import Organisation, Role, User
from jinchuang.applications.models import Application, ServiceAgentAssignment
from jinchuang.applications.services import application_submit
from jinchuang.policy.vocabulary import OrgKind, Valley
from tests.factories import make_organisation, make_user

_keys = itertools.count(1)


def startup_case(*, selected: bool = True, years: tuple[int, ...] = (2025,)) -> dict[str, Any]:
    """晋城 第3条 创新启动资金 (经遴选, 经专家评审): one startup_capital event per year given."""
    return {
        "as_of": f"{max(years)}-12-31",
        "applicant": {"kind": "enterprise", "valley": "晋城", "settled_on": "2025-01-01"},
        "events": [
            {"type": "startup_capital", "date": f"{y}-03-01", "paid_in_capital": "2000000", "selected": selected}
            for y in years
        ],
        "prior_grants": [],
    }


def tech_case() -> dict[str, Any]:
    """晋城 第8条 技术交易: 1,200,000 yuan bought → 240,000 yuan, no expert review."""
    return {
        "as_of": "2025-12-31",
        "applicant": {"kind": "enterprise", "valley": "晋城", "settled_on": "2025-01-10"},
        "events": [
            {
                "type": "tech_contract_registered",
                "date": "2025-06-01",
                "amount": "1200000",
                "mode": "transfer",
                "role": "buyer",
            }
        ],
        "prior_grants": [],
    }


def case_post(case: dict[str, Any], **extra: str) -> dict[str, str]:
    """The application form's fields for ``case`` (names as on the page)."""
    applicant = case["applicant"]
    data = {
        "applicant_kind": applicant["kind"],
        "applicant_valley": applicant.get("valley", ""),
        "settled_on": applicant.get("settled_on", ""),
        "as_of": case["as_of"],
    }
    for i, event in enumerate(case["events"]):
        for name, value in event.items():
            data[f"ev-{i}-{name}"] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    data.update(extra)
    return data


@dataclass
class Cast:
    organisation: Organisation
    applicant: User
    agent: User
    reviewer: User
    expert: User
    finance: User
    other_organisation: Organisation
    other_applicant: User
    other_reviewer: User

    def client(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Iterator[Path]:
    settings.MEDIA_ROOT = tmp_path / "media"
    yield tmp_path / "media"


@pytest.fixture
def cast(db: Any) -> Cast:
    organisation = make_organisation(
        kind=OrgKind.ENTERPRISE, valley=Valley.JINCHENG, settled_on=dt.date(2025, 1, 1)
    )
    government = make_organisation(kind=OrgKind.GOVERNMENT, valley=Valley.JINCHENG)
    agent = make_user(organisation=government, roles={Role.SERVICE_AGENT: ""}, display_name="李专员")
    ServiceAgentAssignment.objects.create(organisation=organisation, agent=agent)
    other = make_organisation(kind=OrgKind.ENTERPRISE, valley=Valley.JINCHENG)
    return Cast(
        organisation=organisation,
        applicant=make_user(organisation=organisation, roles={Role.APPLICANT: ""}),
        agent=agent,
        reviewer=make_user(organisation=government, roles={Role.REVIEWER: "晋城市科学技术局"}, display_name="王审核"),
        expert=make_user(organisation=government, roles={Role.EXPERT: ""}, display_name="赵专家"),
        finance=make_user(organisation=government, roles={Role.FINANCE: ""}, display_name="钱财务"),
        other_organisation=other,
        other_applicant=make_user(organisation=other, roles={Role.APPLICANT: ""}),
        other_reviewer=make_user(organisation=government, roles={Role.REVIEWER: "晋中市科学技术局"}),
    )


def submitted(user: User, case: dict[str, Any] | None = None, measure_id: str = "jc-3") -> Application:
    assert user.organisation is not None
    return application_submit(
        organisation=user.organisation,
        measure_id=measure_id,
        case_data=case or startup_case(),
        idempotency_key=f"test-{next(_keys)}",
        actor=user,
    )
