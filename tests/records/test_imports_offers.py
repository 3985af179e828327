"""An imported 高企 list makes the 临汾 enterprises it names eligible for lf-cx-5 (10 万元): the import
announces them (facts_changed) and the applications area creates 免申即享 offers by itself.

Rests on the applications area's offer re-evaluation on facts_changed (offers.reevaluate)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from jinchuang.accounts.models import Role
from jinchuang.applications.models import Offer
from jinchuang.records.evidence import LISTS, evidence_upload
from jinchuang.records.imports import import_start
from jinchuang.records.models import ImportState
from tests.factories import make_user
from tests.records.department_lists import MAPPING, gaoqi_list

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.JINCHUANG_TASKS_EAGER = True


def test_an_imported_list_creates_lf_cx_5_offers_for_the_eligible_organisations(
    django_capture_on_commit_callbacks: Any,
) -> None:
    department_list = gaoqi_list(30, unmatched=2, bad_check=1, no_date=1, bad_date=1, bad_cert=1)
    reviewer = make_user(roles={Role.REVIEWER: "市科技局"}, password=None)
    evidence = evidence_upload(
        file=io.BytesIO(department_list.xlsx()),
        original_name="gaoqi.xlsx",
        actor=reviewer,
        organisation=None,
        accepted=LISTS,
    )
    with django_capture_on_commit_callbacks(execute=True):
        data_import = import_start(
            evidence=evidence,
            event_type="certification_granted",
            mapping=MAPPING,
            constants={"first_time": "是"},
            source="市科技局 2025年高新技术企业认定名单",
            actor=reviewer,
        )
    data_import.refresh_from_db()
    assert data_import.state == ImportState.DONE and data_import.created_count == len(department_list.good)
    eligible = {o.pk for o in department_list.organisations if o.unified_social_credit_code in department_list.good}
    offers = Offer.objects.filter(measure_id="lf-cx-5")
    assert {o.organisation_id for o in offers} == eligible
    assert {o.engine_max_fen for o in offers} == {10_000_000}
