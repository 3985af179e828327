import json

from django.test import Client

CASE = {
    "as_of": "2025-12-31",
    "applicant": {"kind": "enterprise", "valley": "晋城", "settled_on": "2025-01-01"},
    "events": [
        {
            "type": "tech_contract_registered",
            "date": "2025-06-01",
            "amount": "1200000",
            "mode": "transfer",
            "role": "buyer",
        }
    ],
}


def post(client: Client, body: object) -> tuple[int, dict]:
    r = client.post("/api/v1/calculate", json.dumps(body), content_type="application/json")
    return r.status_code, r.json()


def test_worked_example_jincheng_technology_transfer(client: Client) -> None:
    status, body = post(client, {"case": CASE})
    assert status == 200
    jc8 = next(m for m in body["measures"] if m["measure"] == "jc-8")
    assert jc8["status"] == "eligible" and jc8["amount"] == "240000.00"
    assert "晋市政办〔2024〕39号" in jc8["citation"]["label"]
    assert "技术交易" in jc8["citation"]["text"]
    assert body["totals"]["晋城"]["eligible"] == "240000.00"


def test_bad_case_gets_400_naming_fields(client: Client) -> None:
    bad = {
        **CASE,
        "as_of": "2025-02-30",
        "applicant": {"kind": "alien", "valley": "太原"},
        "events": [{"type": "tech_contract_registered", "date": "2025-06-01", "amount": "-1", "mode": "transfer"}],
    }
    status, body = post(client, {"case": bad})
    assert status == 400 and body["error"] == "invalid_case"
    fields = {e["field"] for e in body["errors"]}
    assert {"case.as_of", "case.applicant.kind", "case.applicant.valley", "case.events[0].amount"} <= fields


def test_missing_case_and_unparseable_body_are_structured(client: Client) -> None:
    status, body = post(client, {"valley": "晋城"})
    assert status == 422 and body["errors"][0]["field"] == "case"
    r = client.post("/api/v1/calculate", "{not json", content_type="application/json")
    assert r.status_code == 400 and r.json()["error"] == "bad_request"
    status, body = post(client, {"case": CASE, "valley": "太原"})
    assert status == 400 and body["errors"][0]["field"] == "valley"


def test_openapi_documents_calculate(client: Client) -> None:
    doc = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/calculate" in doc["paths"]
    responses = doc["paths"]["/api/v1/calculate"]["post"]["responses"]
    assert {"200", "400", "422"} <= set(responses)
