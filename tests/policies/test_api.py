"""GET /api/v1/measures and /api/v1/measures/{measure_id}."""

from __future__ import annotations

import pytest
from django.test import Client

from jinchuang.policies.selectors import library_catalog
from tests.policies.helpers import needs_documents

pytestmark = pytest.mark.django_db


def test_list_returns_every_measure_with_citations(client: Client) -> None:
    total = sum(1 for _ in library_catalog().catalog.measures())
    response = client.get("/api/v1/measures")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == total == len(body["measures"])
    first = body["measures"][0]
    assert set(first["citation"]) == {"document", "document_title", "wenhao", "clause", "label"}


@needs_documents("datong")
def test_list_filters_and_search(client: Client) -> None:
    body = client.get("/api/v1/measures", {"valley": "大同", "q": "技术交易", "kind": "cash"}).json()
    ids = [m["id"] for m in body["measures"]]
    assert "dt-8" in ids
    assert all(m["valley"] == "大同" and m["kind"] == "cash" for m in body["measures"])
    dt8 = next(m for m in body["measures"] if m["id"] == "dt-8")
    assert dt8["ceiling"] == {"amount": "1000000.00", "source": "每年累计上限"}
    assert dt8["citation"]["label"] == "同政办规〔2024〕4号 第八条"


def test_invalid_filters_are_400_with_every_field_named(client: Client) -> None:
    response = client.get("/api/v1/measures", {"valley": "太原", "beneficiary": "alien"})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_filter"
    fields = {e["field"]: e["message"] for e in body["errors"]}
    assert set(fields) == {"valley", "beneficiary"}
    assert "太原" in fields["valley"] and "晋创谷" in fields["valley"]


@needs_documents("datong")
def test_detail_returns_the_reading_with_money_as_strings(client: Client) -> None:
    response = client.get("/api/v1/measures/dt-8")
    assert response.status_code == 200
    body = response.json()
    assert "最高支持 100 万元" in body["text"]
    assert body["valid_from"] == "2024-09-12"
    assert body["caps"] == [{"cap": "per_entity_per_year", "label": "每年累计上限", "limit": "1000000.00"}]
    assert body["rules"][0]["formula"] == "amount * rate"
    rate = next(p for p in body["rules"][0]["parameters"] if p["name"] == "rate")
    assert rate["values"] == [{"since": "2024-09-12", "value": "0.20"}] and rate["unit"] == "ratio"
    assert "20%" in rate["reference"]
    assert body["rules"][0]["conditions"][0]["text"]
    assert {i["id"] for i in body["interpretations"]} >= {"equity-share"}


def test_unknown_measure_is_a_structured_404(client: Client) -> None:
    response = client.get("/api/v1/measures/xx-999")
    assert response.status_code == 404
    body = response.json()
    assert body["error"] == "not_found"
    assert body["errors"][0]["field"] == "measure_id"
    assert "xx-999" in body["errors"][0]["message"]


def test_openapi_documents_the_policy_endpoints(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    listing = schema["paths"]["/api/v1/measures"]["get"]
    assert {p["name"] for p in listing["parameters"]} == {
        "valley",
        "category",
        "beneficiary",
        "department",
        "kind",
        "q",
    }
    assert set(listing["responses"]) == {"200", "400"}
    assert set(schema["paths"]["/api/v1/measures/{measure_id}"]["get"]["responses"]) == {"200", "404"}
    assert "MeasureDetailOut" in schema["components"]["schemas"]


@needs_documents("datong")
def test_the_measure_page_lists_the_named_parameters_with_their_words(client: Client) -> None:
    page = client.get("/policies/dt-8/").content.decode()
    assert "支持比例" in page and "20%" in page and "按当年实际技术交易额的20%" in page


@needs_documents("datong")
def test_the_detail_carries_the_plain_sentences_beside_the_expressions(client: Client) -> None:
    body = client.get("/api/v1/measures/dt-8").json()
    assert body["summary"].startswith("按技术交易额的 20% 计算")
    rule = next(r for r in body["rules"] if r["id"] == "dt-8-trade")
    assert rule["amount_text"] == "按技术交易额的 20% 计算"
    assert "交易方式为委托开发、技术转让(专利转让)或独占许可" in [c["sentence"] for c in rule["conditions"]]
