"""Role × URL through the API: an enterprise gets 404 on another enterprise's application, its
materials and its ledger rows; a reviewer sees only their department's queue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from jinchuang.applications.models import Instalment, Material, PublicNotice
from jinchuang.applications.services import application_transition
from jinchuang.applications.workflow import State
from tests.applications.api.conftest import api_for, release
from tests.applications.conftest import Cast, submit, walk

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


@dataclass
class World:
    cast: Cast
    application_id: int
    material_id: int
    instalment_id: int


@pytest.fixture
def world(cast: Cast, settings: Any, tmp_path: Path) -> World:
    """One case of the cast's enterprise with a material, approved and scheduled for payment."""
    settings.MEDIA_ROOT = tmp_path
    application = walk(submit(cast), cast, State.INITIAL_REVIEW)
    application = application_transition(application=application, transition="return", actor=cast.agent, message="补")
    uploaded = api_for(cast.applicant).upload(f"/applications/{application.pk}/materials", "a.pdf", PDF)
    assert uploaded.status_code == 201
    application = application_transition(application=application, transition="resubmit", actor=cast.applicant)
    application = application_transition(application=application, transition="accept", actor=cast.agent)
    application = walk(application, cast, State.PUBLIC_NOTICE)
    PublicNotice.objects.filter(application=application).update(
        starts_at=timezone.now() - dt.timedelta(days=8), ends_at=timezone.now() - dt.timedelta(seconds=1)
    )
    application_transition(application=application, transition="end_public_notice", actor=cast.reviewer)
    return World(
        cast=cast,
        application_id=application.pk,
        material_id=Material.objects.get(application=application).pk,
        instalment_id=Instalment.objects.filter(award__application=application).order_by("sequence").first().pk,  # type: ignore[union-attr]
    )


#: who may open the case, its materials and its ledger rows (the core's per-record rules)
EXPECTED: dict[str, tuple[int, int, int]] = {
    # person: (application and materials, material download, ledger row)
    "applicant": (200, 200, 200),
    "other_applicant": (404, 404, 404),
    "agent": (200, 200, 404),  # the 服务专员 handles the case; the ledger is not theirs
    "other_agent": (404, 404, 404),
    "reviewer": (200, 200, 200),
    "other_reviewer": (404, 404, 404),
    "datong_reviewer": (404, 404, 404),
    "expert": (404, 404, 404),  # not assigned to this case
    "finance": (200, 200, 200),
    "admin": (200, 200, 200),
}


@pytest.mark.parametrize("person", sorted(EXPECTED))
def test_role_by_url(world: World, person: str) -> None:
    user = getattr(world.cast, person)
    api = api_for(user)
    case, download, ledger = EXPECTED[person]
    a = world.application_id
    assert api.get(f"/applications/{a}").status_code == case
    assert api.get(f"/applications/{a}/materials").status_code == case
    response = api.get(f"/applications/{a}/materials/{world.material_id}")
    assert response.status_code == download
    release(response)
    assert api.get(f"/ledger/{world.instalment_id}").status_code == ledger
    listed = api.get("/ledger", organisation_id=world.cast.organisation.pk).json()
    assert (listed["count"] > 0) == (ledger == 200)
    ids = [row["id"] for row in api.get("/ledger").json()["items"]]
    assert (world.instalment_id in ids) == (ledger == 200)
    visible = [item["id"] for item in api.get("/applications").json()["items"]]
    assert (a in visible) == (case == 200)
    if case == 404:  # the body says nothing more than for an id that does not exist
        assert api.get(f"/applications/{a}").json() == api.get("/applications/999999").json()
        assert api.post(f"/applications/{a}/transitions/close").status_code == 404


def test_the_ledger_shows_money_and_filters(world: World) -> None:
    api = api_for(world.cast.finance)
    data = api.get("/ledger", valley="晋城", paid="false").json()
    assert data["count"] >= 1
    row = next(r for r in data["items"] if r["id"] == world.instalment_id)
    assert row["amount"]["yuan"] == f"{row['amount']['fen'] / 100:.2f}"
    assert row["citation"].endswith("第8条")
    assert data["total"]["fen"] >= row["amount"]["fen"] and data["paid"]["fen"] == 0
    assert api.get("/ledger", valley="大同").json()["count"] == 0
    assert api.get("/ledger", year=1999).json()["count"] == 0
    assert api.get("/ledger", year="abc").status_code == 422


def test_a_reviewer_sees_only_their_departments_queue(cast: Cast) -> None:
    at_department = walk(submit(cast), cast, State.DEPARTMENT_REVIEW)
    waiting = submit(cast)  # still with the 服务专员

    def queue(user: Any) -> dict[str, list[int]]:
        groups = api_for(user).get("/queue").json()["groups"]
        return {g["role"]: [a["id"] for a in g["applications"]] + [i["id"] for i in g["instalments"]] for g in groups}

    assert queue(cast.reviewer) == {"reviewer": [at_department.pk]}
    assert queue(cast.other_reviewer) == {"reviewer": []}
    assert queue(cast.datong_reviewer) == {"reviewer": []}
    assert queue(cast.agent) == {"service_agent": [waiting.pk]}
    assert queue(cast.other_agent) == {"service_agent": []}
    assert sorted(queue(cast.applicant)["applicant"]) == sorted([at_department.pk, waiting.pk])
    assert queue(cast.other_applicant) == {"applicant": []}


def test_notifications_are_the_users_own_and_can_be_marked_read(cast: Cast) -> None:
    walk(submit(cast), cast, State.DEPARTMENT_REVIEW)
    mine = api_for(cast.applicant)
    listed = mine.get("/notifications").json()
    assert listed["count"] >= 2 and listed["unread"] == listed["count"]
    first = listed["items"][0]["id"]
    others = api_for(cast.agent).get("/notifications").json()
    their_id = others["items"][0]["id"]
    marked = mine.post("/notifications", {"ids": [first, their_id]}).json()
    assert marked == {"marked": 1, "unread": listed["count"] - 1}
    assert api_for(cast.agent).get("/notifications", unread="true").json()["count"] == others["count"]
    assert mine.post("/notifications", {"all": True}).json()["unread"] == 0
    assert mine.get("/notifications", unread="true").json()["items"] == []


def test_bodies_must_be_json_objects_without_lax_coercion(cast: Cast) -> None:
    api = api_for(cast.applicant)
    assert api.post("/notifications", [None, None]).status_code == 422
    assert api.post("/notifications", '"text"').status_code == 422  # a JSON string, not an object
    assert api.post("/notifications", {"all": 0}).status_code == 422
    assert api.post("/notifications", {"ids": ["5"]}).status_code == 422
    broken = api.client.post(
        "/api/v1/notifications", b"{not json", content_type="application/json", headers=api._headers()
    )
    assert broken.status_code == 400
    assert broken.json()["error"] == "bad_request"
