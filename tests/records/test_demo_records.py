"""The record's demo data: loaded twice, it is there once; the demo import and its offer are real."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from jinchuang.applications.models import Offer
from jinchuang.records.models import DataImport, Fact, FactState
from jinchuang.tasks.services import run_pending

pytestmark = pytest.mark.django_db


def _load(capture: Any) -> str:
    out = StringIO()
    with capture(execute=True):  # the announcements after commit, as outside a test transaction
        call_command("load_demo", stdout=StringIO())
        call_command("load_demo_applications", stdout=StringIO())
        call_command("load_demo_records", stdout=out)
    run_pending()  # what the worker does with the jobs the announcements enqueued
    return out.getvalue()


def test_the_demo_record_is_loaded_once_with_verified_and_declared_facts_an_import_and_its_offer(
    settings: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    first = _load(django_capture_on_commit_callbacks)
    counts = (Fact.objects.count(), DataImport.objects.count(), Offer.objects.count())
    assert "名单导入" in first
    again = _load(django_capture_on_commit_callbacks)
    assert (Fact.objects.count(), DataImport.objects.count(), Offer.objects.count()) == counts
    assert "新增 1 项" in again  # the same import, reported, not repeated
    states = set(Fact.objects.values_list("state", flat=True))
    assert {FactState.VERIFIED, FactState.DECLARED} <= states
    data_import = DataImport.objects.get()
    assert data_import.created_count == 1 and len(data_import.problems) == 5
    offer = Offer.objects.get(organisation__name="演示·临汾高新材料有限公司")
    assert (offer.measure_id, offer.engine_max_fen) == ("lf-cx-5", 10_000_000)
