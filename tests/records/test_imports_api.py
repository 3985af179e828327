"""POST /api/v1/records/imports (multipart) → 202; GET /api/v1/records/imports/{id} → progress and report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jinchuang.accounts.models import Role, User
from jinchuang.applications.tokens import api_token_create
from jinchuang.records.models import DataImport
from jinchuang.tasks.services import run_pending
from tests.factories import make_user
from tests.records.department_lists import MAPPING, gaoqi_list

pytestmark = pytest.mark.django_db
URL = "/api/v1/records/imports"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def token(user: User) -> dict[str, str]:
    _token, raw = api_token_create(user=user, name="test")
    return {"Authorization": f"Bearer {raw}"}


def officer(role: Role = Role.REVIEWER) -> dict[str, str]:
    return token(make_user(roles={role: "市科技局" if role == Role.REVIEWER else ""}, password=None))


def post(headers: dict[str, str], content: bytes, name: str = "gaoqi.csv", **fields: Any) -> Any:
    body: dict[str, Any] = {
        "file": SimpleUploadedFile(name, content),
        "event_type": "certification_granted",
        "mapping": json.dumps(MAPPING, ensure_ascii=False),
        "constants": json.dumps({"first_time": True}),
        "source": "市科技局 2025年高新技术企业认定名单",
    }
    body.update(fields)
    return Client().post(URL, {k: v for k, v in body.items() if v is not None}, headers=headers)


def test_import_through_the_api_then_read_its_report() -> None:
    department_list = gaoqi_list(30, unmatched=2, bad_check=1, no_date=1, bad_date=1, bad_cert=1)
    headers = officer()
    content = department_list.csv()
    response = post(headers, content)
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["state"] == "queued" and body["rows_total"] == 30 and body["percent"] == 0
    assert body["mapping"] == MAPPING and body["constants"] == {"first_time": True}
    assert run_pending() >= 1
    report = Client().get(f"{URL}/{body['id']}", headers=headers)
    assert report.status_code == 200
    done = report.json()
    assert done["state"] == "done" and done["state_label"] == "已完成" and done["percent"] == 100
    assert done["rows_done"] == 30 and done["created_count"] == len(department_list.good)
    expected = department_list.expected_problems(csv_file=True)
    assert {(p["row"], p["column"]) for p in done["problems"]} == {(r, c) for r, (c, _k) in expected.items()}
    assert done["problem_count"] == len(expected)
    assert {o["name"] for o in done["organisations"]} == {
        o.name for o in department_list.organisations if o.unified_social_credit_code in department_list.good
    }
    assert all(o["record_url"] == f"/records/{o['id']}/" for o in done["organisations"])
    # the same file with the same settings: the same import (200), nothing new
    again = post(headers, content, "again.csv")
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert DataImport.objects.count() == 1 and run_pending() == 0


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"mapping": "not json"}, "mapping", "invalid_request"),
        ({"mapping": "[1, 2]"}, "mapping", "invalid_request"),
        ({"constants": "{"}, "constants", "invalid_request"),
        ({"mapping": json.dumps({"uscc": "统一社会信用代码", "date": "认定日期"})}, "mapping.cert", "mapping_missing"),
        ({"mapping": json.dumps({**MAPPING, "cert": "无此列"})}, "mapping.cert", "column_not_in_file"),
        ({"constants": json.dumps({"first_time": "也许"})}, "constants.first_time", "invalid_constant"),
        ({"constants": json.dumps({"first_time": {"a": 1}})}, "constants.first_time", "invalid_constant"),
        ({"event_type": "no_such_type"}, "event_type", "unknown_type"),
        ({"source": " "}, "source", "source_required"),
        ({"source": "a\x00b"}, "source", "invalid_request"),
    ],
)
def test_bad_requests_name_the_field(fields: dict[str, Any], field: str, code: str) -> None:
    department_list = gaoqi_list(3, unmatched=0, bad_check=0, no_date=0, bad_date=0, bad_cert=0)
    response = post(officer(), department_list.csv(), **fields)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["error"] == code and body["errors"][0]["field"] == field and body["errors"][0]["message"]
    assert DataImport.objects.count() == 0


def test_a_file_that_is_not_a_list_is_refused_naming_the_file() -> None:
    response = post(officer(), b"%PDF-1.4 a document", "list.pdf")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "file"
    response = post(officer(), b"PK\x03\x04 broken", "list.xlsx")
    assert response.status_code == 400 and response.json()["error"] == "file_unreadable"


def test_missing_form_fields_are_422_naming_them() -> None:
    response = Client().post(URL, {"event_type": "certification_granted"}, headers=officer())
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"file", "mapping", "source"} <= fields


def test_only_reviewers_and_administrators_may_use_it() -> None:
    department_list = gaoqi_list(3, unmatched=0, bad_check=0, no_date=0, bad_date=0, bad_cert=0)
    headers = officer()
    created = post(headers, department_list.csv()).json()
    for role in (Role.APPLICANT, Role.SERVICE_AGENT, Role.EXPERT, Role.FINANCE):
        other = officer(role)
        assert post(other, department_list.csv()).status_code == 403
        response = Client().get(f"{URL}/{created['id']}", headers=other)
        assert response.status_code == 403 and response.json()["error"] == "forbidden"
    assert post({}, department_list.csv()).status_code == 401
    assert Client().get(f"{URL}/{created['id']}").status_code == 401
    assert Client().get(f"{URL}/{created['id']}", headers=officer()).status_code == 404  # another reviewer's
    assert Client().get(f"{URL}/{created['id']}", headers=officer(Role.ADMIN)).status_code == 200
    assert Client().get(f"{URL}/{created['id'] + 1000}", headers=headers).status_code == 404
    assert DataImport.objects.count() == 1


def test_the_operations_are_documented() -> None:
    from ninja.responses import NinjaJSONEncoder

    from jinchuang.api import api

    document = json.loads(json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder))
    create = document["paths"][URL]["post"]
    assert {"202", "200", "400", "401", "403", "422"} <= set(create["responses"])
    assert "multipart/form-data" in create["requestBody"]["content"]
    detail = document["paths"][URL + "/{id}"]["get"]
    assert {"200", "401", "403", "404", "422"} <= set(detail["responses"])
    for op in (create, detail):
        assert op.get("security") and op.get("summary")
        assert all(response.get("content") for response in op["responses"].values())
