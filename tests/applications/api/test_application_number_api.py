"""The API shows the 申报编号 wherever it shows an application (the submit answer, the list, one case)."""

from __future__ import annotations

import re

from tests.applications.api.conftest import api_for
from tests.applications.api.test_applications import body
from tests.applications.conftest import Cast


def test_the_number_is_in_the_submit_answer_the_list_and_the_case(cast: Cast) -> None:
    api = api_for(cast.applicant)
    created = api.post("/applications", body(), headers={"Idempotency-Key": "number-1"})
    assert created.status_code == 201, created.content
    number = created.json()["number"]
    assert re.fullmatch(r"JC-\d{4}-000001", number)
    listed = api.get("/applications").json()
    assert [a["number"] for a in listed["items"]] == [number]
    assert api.get(f"/applications/{created.json()['id']}").json()["number"] == number
