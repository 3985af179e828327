"""The OpenAPI document ninja generates is valid OpenAPI 3.1, and every operation of this API
declares what it can answer (401 where a token is needed, 404 and 422 where a path names a record)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

PREFIX = "/api/v1/"
OURS = ("applications", "ledger", "notices", "queue", "notifications")


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    from ninja.responses import NinjaJSONEncoder

    from jinchuang.api import api

    # through JSON, as it is served (status codes become strings, lazy texts plain strings)
    document: dict[str, Any] = json.loads(json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder))
    return document


def our_operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, op)
        for path, item in document["paths"].items()
        if path.removeprefix(PREFIX).split("/")[0] in OURS
        for method, op in item.items()
    ]


def test_the_document_is_valid_openapi(document: dict[str, Any]) -> None:
    definitions = pytest.importorskip("schemathesis.specs.openapi.definitions")
    assert document["openapi"].startswith("3.1")
    errors = [str(e) for e in definitions.OPENAPI_31_VALIDATOR.iter_errors(document)]
    assert errors == []


def test_it_is_served_and_lists_every_endpoint(db: None, document: dict[str, Any]) -> None:
    served = Client().get("/api/v1/openapi.json").json()
    paths = set(served["paths"])
    for path in (
        "applications",
        "applications/{id}",
        "applications/{id}/transitions/{name}",
        "applications/{id}/materials",
        "applications/{id}/materials/{mid}",
        "ledger",
        "notices",
        "queue",
        "notifications",
    ):
        assert PREFIX + path in paths
    assert served["components"]["securitySchemes"]["ApiTokenAuth"] == {"type": "http", "scheme": "bearer"}


def test_every_operation_declares_its_answers(document: dict[str, Any]) -> None:
    operations = our_operations(document)
    assert len(operations) >= 14
    for path, method, op in operations:
        responses = op["responses"]
        label = f"{method.upper()} {path}"
        assert any(code.startswith("2") for code in responses), label
        public = path == PREFIX + "notices"
        assert ("401" in responses) != public, label
        assert ("security" in op) != public, label
        if "{" in path:
            assert {"404", "422"} <= set(responses), label
        if op.get("parameters") or op.get("requestBody"):
            assert "422" in responses, label
        for code, response in responses.items():
            assert response.get("content"), f"{label} {code} has no body schema"
        assert op.get("summary"), label


def test_errors_are_structured_and_money_is_fen_and_yuan(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    assert set(schemas["ApiErrorOut"]["required"]) == {"error", "errors"}
    assert schemas["MoneyOut"]["properties"]["fen"]["type"] == "integer"
    assert schemas["MoneyOut"]["properties"]["yuan"]["type"] == "string"
    transition = document["paths"][PREFIX + "applications/{id}/transitions/{name}"]["post"]
    name = next(p for p in transition["parameters"] if p["name"] == "name")
    assert {"submit", "accept", "approve", "reject", "withdraw", "close"} <= set(name["schema"]["enum"])
    assert "amount_fen" in transition["description"]
