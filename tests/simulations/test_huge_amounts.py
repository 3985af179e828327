"""A 40-digit amount in a reform on the simulation page (issue 8): the form again (HTTP 400) with the
Chinese error beside the reform text, naming the parameter; no run is started, never a 500."""

from __future__ import annotations

import re

import pytest
from django.test import Client, TestCase

from jinchuang.simulations.models import SimulationRun

pytestmark = pytest.mark.django_db

HUGE = "1" * 40


@pytest.mark.parametrize("written", [HUGE, f"'{HUGE}'"], ids=["number", "text"])
def test_a_40_digit_cap_in_a_reform_is_explained_beside_the_textarea(
    client: Client, small_population: str, written: str
) -> None:
    reform = f"name: x\nchanges:\n  - measure: jc-8\n    set:\n      caps.per_award: {written}\n"
    form = {"population": small_population, "first_year": "2025", "last_year": "2027", "reform": reform}
    with TestCase.captureOnCommitCallbacks(execute=False):
        response = client.post("/simulations/", form)
    assert response.status_code == 400
    html = response.content.decode()
    beside = r'id="reform-errors".*changes\[0\]\.set\.caps\.per_award</code>: 金额超出范围: 最大 999,999,999,999\.99 元'
    assert re.search(beside, html, re.S)
    assert SimulationRun.objects.count() == 0
