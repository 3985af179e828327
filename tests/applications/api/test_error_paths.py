"""One error-path syntax across the API (docs/api.md): ``case.events[0].date``, for schema and case errors alike."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from jinchuang.api import error_path
from jinchuang.applications.models import Application
from tests.applications.api.conftest import api_for
from tests.applications.conftest import Cast, tech_transfer_case

pytestmark = pytest.mark.django_db


def test_error_path_of_a_pydantic_location() -> None:
    assert error_path(("case", "events", 0, "date")) == "case.events[0].date"
    assert error_path(("ids", 3)) == "ids[3]"
    assert error_path(()) == "$"


def test_a_schema_error_and_a_case_error_use_the_same_syntax(cast: Cast) -> None:
    api = api_for(cast.applicant)
    # pydantic (422): before, ninja's loc was joined with dots: 'ids.1'
    schema_error = api.post("/notifications", {"ids": [1, "x"]})
    assert schema_error.status_code == 422
    assert [e["field"] for e in schema_error.json()["errors"]] == ["ids[1]"]
    # the case format (400)
    case = tech_transfer_case()
    case["events"][0]["date"] = "not-a-date"
    case_error = api.post("/applications", {"measure_id": "jc-8", "case_data": case, "idempotency_key": "p"})
    assert case_error.status_code == 400
    assert [e["field"] for e in case_error.json()["errors"]] == ["case_data.events[0].date"]


def test_a_40_digit_amount_is_400_naming_the_field_on_the_application_api(cast: Cast) -> None:
    # before: decimal.InvalidOperation in policy/case.py, HTTP 500
    case = tech_transfer_case()
    case["events"][0]["amount"] = "1" * 40
    response = api_for(cast.applicant).post(
        "/applications", {"measure_id": "jc-8", "case_data": case, "idempotency_key": "huge"}
    )
    assert response.status_code == 400, response.content
    assert response.json()["errors"] == [
        {"field": "case_data.events[0].amount", "message": "金额超出范围: 最大 999,999,999,999.99 元"}
    ]
    assert Application.objects.count() == 0


def test_a_40_digit_amount_is_400_naming_the_field_on_the_calculator_api(client: Client) -> None:
    case = tech_transfer_case()
    case["events"][0]["amount"] = "1" * 40
    response = client.post("/api/v1/calculate", json.dumps({"case": case}), content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["errors"] == [
        {"field": "case.events[0].amount", "message": "金额超出范围: 最大 999,999,999,999.99 元"}
    ]
