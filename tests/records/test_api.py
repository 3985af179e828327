"""The record API: the same access matrix as the pages, structured errors naming the field, and the
documented responses (every status answered is in the operation's OpenAPI responses)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from jinchuang.records.models import Fact, FactState
from jinchuang.records.services import fact_declare
from tests.applications.api.conftest import Api, api_for
from tests.applications.conftest import Cast
from tests.records.conftest import contract, high_tech


def _documented(response: Any, path: str, method: str) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    template = next(p for p in schema["paths"] if _matches(p, path))
    assert str(response.status_code) in schema["paths"][template][method]["responses"], (template, response.status_code)


def _matches(template: str, path: str) -> bool:
    t, p = template.strip("/").split("/"), ("api/v1" + path).strip("/").split("/")
    return len(t) == len(p) and all(a == b or (a.startswith("{") and b.isdigit()) for a, b in zip(t, p, strict=True))


def test_matrix(linfen: Cast) -> None:
    org = linfen.organisation
    fact_declare(organisation=org, event_data=high_tech(), actor=linfen.applicant)
    detail = f"/records/{org.pk}"
    me = api_for(linfen.applicant).get("/records/me")
    assert me.status_code == 200
    body = me.json()
    assert body["organisation"]["name"] == org.name and body["declared_count"] == 1
    assert body["facts"][0]["display"][0] == {"label": "资质", "text": "高新技术企业"}
    for user, status in [
        (linfen.applicant, 200),
        (linfen.agent, 200),
        (linfen.admin, 200),
        (linfen.other_agent, 404),
        (linfen.other_applicant, 404),
    ]:
        client = api_for(user)
        for path in (detail, f"{detail}/facts", f"{detail}/entitlements"):
            response = client.get(path)
            assert response.status_code == status, (user, path)
            _documented(response, path, "get")
    assert Api(None).get("/records/me").status_code == 401


def test_entitlements(linfen: Cast) -> None:
    org = linfen.organisation
    agent = api_for(linfen.agent)
    created = agent.post(f"/records/{org.pk}/facts", {"event": high_tech(), "note": "认定名单"})
    assert created.status_code == 201 and created.json()["fact"]["state"] == "verified"
    body = api_for(linfen.applicant).get("/records/me/entitlements").json()
    q = {x["measure"]: x for x in body["qualified"]}["lf-cx-5"]
    assert q["amount"] == {"fen": 10_000_000, "yuan": "100000.00"}
    assert q["depends_on_unverified"] is False and q["facts"] == [created.json()["fact"]["id"]]


def test_declare_errors_and_decisions(linfen: Cast) -> None:
    org = linfen.organisation
    member = api_for(linfen.applicant)
    path = f"/records/{org.pk}/facts"
    bad = member.post(path, {"event": contract("abc")})
    assert bad.status_code == 400
    assert bad.json()["error"] == "invalid_event" and bad.json()["errors"][0]["field"] == "event.amount"
    _documented(bad, path, "post")
    first = member.post(path, {"event": contract("800000")})
    again = member.post(path, {"event": contract("800,000")})
    assert first.status_code == 201 and again.status_code == 200 and again.json()["created"] is False
    assert first.json()["fact"]["fields"]["amount"] == 80_000_000
    fact_id = first.json()["fact"]["id"]
    assert api_for(linfen.other_applicant).post(path, {"event": contract("1")}).status_code == 404
    no_note = api_for(linfen.agent).post(path, {"event": contract("5000")})
    assert no_note.status_code == 400 and no_note.json()["errors"][0]["field"] == "note"

    assert member.post(f"/records/facts/{fact_id}/verify", {}).status_code == 403  # own fact
    assert api_for(linfen.other_agent).post(f"/records/facts/{fact_id}/verify", {}).status_code == 404
    agent = api_for(linfen.agent)
    no_reason = agent.post(f"/records/facts/{fact_id}/reject", {"reason": " "})
    assert no_reason.status_code == 400 and no_reason.json()["errors"][0]["field"] == "reason"
    assert agent.post(f"/records/facts/{fact_id}/verify", {"note": "已核对"}).status_code == 200
    twice = agent.post(f"/records/facts/{fact_id}/verify", {})
    assert twice.status_code == 409 and twice.json()["errors"][0]["field"] == "fact"
    _documented(twice, f"/records/facts/{fact_id}/verify", "post")

    corrected = member.post(f"/records/facts/{fact_id}/supersede", {"event": contract("900000"), "reason": "金额录错"})
    assert corrected.status_code == 201
    assert corrected.json()["fact"]["supersedes"] == fact_id
    assert Fact.objects.get(pk=fact_id).state == FactState.SUPERSEDED
    gone = member.post(f"/records/facts/{fact_id}/supersede", {"event": contract("1"), "reason": "x"})
    assert gone.status_code == 409
    not_object = member.post(path, ["x"])
    assert not_object.status_code == 422 and not_object.json()["error"] == "invalid_request"
