"""Department data import: a 300-row 高企 list becomes verified facts; bad rows are reported by row and column."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from jinchuang.accounts.models import Role, User
from jinchuang.audit.actions import AuditAction
from jinchuang.audit.models import AuditLog
from jinchuang.records.errors import RecordError
from jinchuang.records.evidence import LISTS, evidence_upload
from jinchuang.records.imports import IMPORT_TASK, import_key, import_report, import_run, import_start
from jinchuang.records.models import DataImport, Evidence, Fact, FactState, ImportState, Provenance
from jinchuang.records.services import _create, fact_declare
from jinchuang.tasks.services import Job, JobState, run_pending
from tests.factories import make_organisation, make_user
from tests.records.department_lists import MAPPING, DepartmentList, gaoqi_list, valid_uscc

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def reviewer() -> User:
    return make_user(roles={Role.REVIEWER: "市科技局"})


def upload(data: bytes, name: str, actor: User) -> Evidence:
    return evidence_upload(file=io.BytesIO(data), original_name=name, actor=actor, organisation=None, accepted=LISTS)


def start(evidence: Evidence, actor: User, **overrides: Any) -> DataImport:
    arguments: dict[str, Any] = {
        "evidence": evidence,
        "event_type": "certification_granted",
        "mapping": MAPPING,
        "constants": {"first_time": "是"},
        "source": "市科技局 2025年高新技术企业认定名单",
        "actor": actor,
    }
    arguments.update(overrides)
    return import_start(**arguments)


def run(data_import: DataImport) -> DataImport:
    assert run_pending() >= 1
    data_import.refresh_from_db()
    return data_import


def check_report(data_import: DataImport, department_list: DepartmentList, *, csv_file: bool) -> None:
    assert data_import.state == ImportState.DONE, data_import.problems
    assert data_import.rows_total == data_import.rows_done == len(department_list.rows)
    assert data_import.created_count == len(department_list.good)
    assert data_import.existing_count == 0
    assert data_import.finished_at is not None
    found = {(p["row"], p["column"]) for p in data_import.problems}
    expected = department_list.expected_problems(csv_file=csv_file)
    assert found == {(row, column) for row, (column, _kind) in expected.items()}
    for problem in data_import.problems:
        assert problem["message"] and problem["kind"] == expected[problem["row"]][1]
    # every matched good row holds a verified imported fact, with the list as its evidence
    facts = Fact.objects.filter(data_import=data_import).select_related("organisation")
    assert facts.count() == len(department_list.good)
    for fact in facts:
        code = fact.organisation.unified_social_credit_code
        assert fact.date == department_list.good[code]
        assert fact.state == FactState.VERIFIED and fact.provenance == Provenance.IMPORTED
        assert fact.fields == {"cert": "high_tech", "first_time": True}
        assert fact.source == "市科技局 2025年高新技术企业认定名单"
        assert list(fact.evidence.all()) == [data_import.evidence]
        assert fact.decided_by_id == data_import.created_by_id and fact.ref.startswith("GR2025")


def test_a_300_row_xlsx_list_becomes_verified_facts_and_a_report_of_every_bad_row(reviewer: User) -> None:
    department_list = gaoqi_list(300)
    data_import = start(upload(department_list.xlsx(), "2025年高企名单.xlsx", reviewer), reviewer)
    assert data_import.state == ImportState.QUEUED and data_import.rows_total == 300
    job = Job.objects.get(name=IMPORT_TASK, key=str(data_import.pk))
    data_import = run(data_import)
    check_report(data_import, department_list, csv_file=False)
    assert len(data_import.problems) == 30
    messages = {p["message"] for p in data_import.problems}
    assert any("校验位" in m for m in messages)
    assert any("平台上没有统一社会信用代码为" in m for m in messages)
    assert any("超级企业" in m and "高新技术企业" in m for m in messages)  # the options by their labels
    assert not any("high_tech" in m for m in messages)  # never a code
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.progress_done == job.progress_total == 300
    report = import_report(data_import)
    assert {o["id"] for o in report.organisations} == {
        o.pk for o in department_list.organisations if o.unified_social_credit_code in department_list.good
    }
    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert {AuditAction.IMPORT_START, AuditAction.IMPORT_DONE, AuditAction.FACT_IMPORT} <= actions


def test_a_csv_list_imports_the_same_way(reviewer: User) -> None:
    department_list = gaoqi_list(60, unmatched=3, bad_check=2, no_date=2, bad_date=2, bad_cert=2)
    data_import = run(start(upload(department_list.csv(), "gaoqi.csv", reviewer), reviewer))
    check_report(data_import, department_list, csv_file=True)


def test_the_same_file_imported_again_creates_nothing(reviewer: User) -> None:
    department_list = gaoqi_list(40, unmatched=2, bad_check=1, no_date=1, bad_date=1, bad_cert=1)
    content = department_list.xlsx()
    first = run(start(upload(content, "a.xlsx", reviewer), reviewer))
    facts, imports, jobs = Fact.objects.count(), DataImport.objects.count(), Job.objects.count()
    again = start(upload(content, "the same list.xlsx", reviewer), reviewer)  # uploaded again: same SHA-256
    assert again.pk == first.pk and again.state == ImportState.DONE
    assert run_pending() == 0
    assert (Fact.objects.count(), DataImport.objects.count(), Job.objects.count()) == (facts, imports, jobs)
    # other settings are another import: the facts exist already, nothing is created twice
    other = run(
        start(
            upload(content, "b.xlsx", reviewer),
            reviewer,
            constants={"first_time": "是"},
            mapping={**MAPPING, "ref": ""},
        )
    )
    assert other.pk != first.pk
    assert other.created_count == 0 and other.existing_count == len(department_list.good)
    assert Fact.objects.count() == facts


def test_the_key_digests_file_type_mapping_and_constants() -> None:
    base = {"file_sha256": "a" * 64, "event_type": "certification_granted", "mapping": MAPPING, "constants": {}}
    key = import_key(**base)
    assert key == import_key(**{**base, "mapping": dict(reversed(list(MAPPING.items())))})
    assert key != import_key(**{**base, "file_sha256": "b" * 64})
    assert key != import_key(**{**base, "event_type": "person_hired"})
    assert key != import_key(**{**base, "constants": {"first_time": True}})


def test_a_rerun_of_the_job_does_not_duplicate_facts(reviewer: User) -> None:
    department_list = gaoqi_list(30, unmatched=1, bad_check=1, no_date=1, bad_date=0, bad_cert=0)
    data_import = run(start(upload(department_list.xlsx(), "a.xlsx", reviewer), reviewer))
    facts = Fact.objects.count()
    # a worker died after the facts were written: the job runs the import again from the start
    DataImport.objects.filter(pk=data_import.pk).update(state=ImportState.RUNNING)
    result = import_run(data_import_id=data_import.pk)
    data_import.refresh_from_db()
    assert Fact.objects.count() == facts
    assert result["state"] == "done" and data_import.created_count == len(department_list.good)
    assert data_import.existing_count == 0 and len(data_import.problems) == 3


def test_a_declared_fact_the_list_confirms_becomes_verified(reviewer: User) -> None:
    department_list = gaoqi_list(20, unmatched=0, bad_check=0, no_date=0, bad_date=0, bad_cert=0)
    organisation = department_list.organisations[0]
    member = make_user(organisation=organisation)
    code = organisation.unified_social_credit_code
    event = {"type": "certification_granted", "date": department_list.good[code].isoformat(), "cert": "high_tech"}
    declared, _ = fact_declare(organisation=organisation, event_data={**event, "first_time": True}, actor=member)
    second = department_list.organisations[1]
    _create(  # an officer's verified fact of the same event
        organisation=second,
        event_data={
            **event,
            "date": department_list.good[second.unified_social_credit_code].isoformat(),
            "first_time": True,
        },
        provenance=Provenance.OFFICER,
        state=FactState.VERIFIED,
        actor=reviewer,
        action=AuditAction.FACT_ENTER,
    )
    data_import = run(start(upload(department_list.xlsx(), "a.xlsx", reviewer), reviewer))
    declared.refresh_from_db()
    assert declared.state == FactState.VERIFIED and declared.provenance == Provenance.DECLARED
    assert declared.data_import_id == data_import.pk and declared.decided_by_id == reviewer.pk
    assert data_import.evidence in declared.evidence.all()
    assert data_import.created_count == 18 and data_import.existing_count == 1
    report = import_report(data_import)
    assert report.verified_count == 1
    assert organisation.pk in {o["id"] for o in report.organisations}
    assert second.pk not in {o["id"] for o in report.organisations}
    assert AuditLog.objects.filter(action=AuditAction.FACT_VERIFY, object_id=str(declared.pk)).exists()


def test_constants_fill_fields_the_file_does_not_have(reviewer: User) -> None:
    organisation = make_organisation(unified_social_credit_code=valid_uscc(987_001))
    content = "统一社会信用代码,日期\n" + f"{organisation.unified_social_credit_code},2025/3/9\n"
    data_import = run(
        start(
            upload(content.encode(), "list.csv", reviewer),
            reviewer,
            mapping={"uscc": "统一社会信用代码", "date": "日期"},
            constants={"cert": "高新技术企业"},
        )
    )
    assert data_import.state == ImportState.DONE and data_import.created_count == 1, data_import.problems
    fact = Fact.objects.get(data_import=data_import)
    assert fact.date == dt.date(2025, 3, 9) and fact.fields == {"cert": "high_tech"}


def test_a_failed_row_does_not_stop_the_import_and_progress_moves(reviewer: User, monkeypatch: Any) -> None:
    department_list = gaoqi_list(50, unmatched=0, bad_check=0, no_date=0, bad_date=0, bad_cert=0)
    from jinchuang.records import imports

    seen: list[tuple[int, int]] = []
    real_progress = imports._progress

    def spy(data_import: DataImport, outcome: Any, job: Any) -> None:
        real_progress(data_import, outcome, job)
        data_import.refresh_from_db()
        seen.append((data_import.rows_done, data_import.rows_total))

    real_record = imports._record

    def flaky(data_import: DataImport, organisation: Any, event: Any, subject: str, row: Any, outcome: Any) -> None:
        if row.number == 10:
            raise RecordError("subject", "对象名称过长", "subject_too_long")
        real_record(data_import, organisation, event, subject, row, outcome)

    monkeypatch.setattr(imports, "_progress", spy)
    monkeypatch.setattr(imports, "_record", flaky)
    data_import = run(start(upload(department_list.xlsx(), "a.xlsx", reviewer), reviewer))
    assert seen == [(20, 50), (40, 50)]
    assert data_import.state == ImportState.DONE and data_import.rows_done == 50
    assert data_import.created_count == 49
    assert [(p["row"], p["message"]) for p in data_import.problems] == [(10, "对象名称过长")]


def test_a_crash_marks_the_import_failed_with_a_chinese_message(reviewer: User, monkeypatch: Any) -> None:
    department_list = gaoqi_list(10, unmatched=0, bad_check=0, no_date=0, bad_date=0, bad_cert=0)
    from jinchuang.records import imports

    def boom(*args: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(imports, "_process_batch", boom)
    data_import = run(start(upload(department_list.xlsx(), "a.xlsx", reviewer), reviewer))
    assert data_import.state == ImportState.FAILED and data_import.finished_at is not None
    report = import_report(data_import)
    assert "系统错误" in report.failure and "disk" not in report.failure
    assert AuditLog.objects.filter(action=AuditAction.IMPORT_FAILED).exists()
    # started again with the same file: queued again, and this time it finishes
    monkeypatch.undo()
    again = start(data_import.evidence, reviewer)
    assert again.pk == data_import.pk and again.state == ImportState.QUEUED
    again = run(again)
    assert again.state == ImportState.DONE and again.created_count == 10 and again.problems == []


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"event_type": "no_such_type"}, "event_type"),
        ({"event_type": "platform_award"}, "event_type"),
        ({"source": "  "}, "source"),
        ({"mapping": {"date": "认定日期", "cert": "资质"}}, "mapping.uscc"),
        ({"mapping": {"uscc": "统一社会信用代码", "cert": "资质"}}, "mapping.date"),
        ({"mapping": {**MAPPING, "cert": ""}}, "mapping.cert"),
        ({"mapping": {**MAPPING, "cert": "没有这一列"}}, "mapping.cert"),
        ({"mapping": {**MAPPING, "colour": "资质"}}, "mapping.colour"),
        ({"mapping": ["统一社会信用代码"]}, "mapping"),
        ({"constants": {"first_time": "也许"}}, "constants.first_time"),
        ({"constants": {"cert": "高新技术企业"}}, "constants.cert"),  # mapped to a column already
        ({"constants": {"uscc": valid_uscc(1)}}, "constants.uscc"),
    ],
)
def test_bad_settings_are_refused_naming_the_field(reviewer: User, overrides: dict[str, Any], field: str) -> None:
    department_list = gaoqi_list(5, unmatched=0, bad_check=0, no_date=0, bad_date=0, bad_cert=0)
    evidence = upload(department_list.csv(), "a.csv", reviewer)
    with pytest.raises(RecordError) as caught:
        start(evidence, reviewer, **overrides)
    assert caught.value.field == field
    assert any("\u4e00" <= ch <= "\u9fff" for ch in "".join(caught.value.messages))  # a Chinese message
    assert DataImport.objects.count() == 0 and Job.objects.count() == 0


def test_an_empty_list_and_a_broken_file_are_refused(reviewer: User) -> None:
    empty = upload("统一社会信用代码,认定日期,资质\n".encode(), "empty.csv", reviewer)
    with pytest.raises(RecordError) as caught:
        start(empty, reviewer, mapping={"uscc": "统一社会信用代码", "date": "认定日期", "cert": "资质"})
    assert caught.value.field == "file" and "没有数据行" in caught.value.messages[0]
    broken = upload(b"PK\x03\x04 not really a workbook", "broken.xlsx", reviewer)
    with pytest.raises(RecordError) as caught:
        start(broken, reviewer)
    assert caught.value.field == "file" and "无法读取" in caught.value.messages[0]


def test_only_reviewers_and_administrators_may_import(reviewer: User) -> None:
    department_list = gaoqi_list(5, unmatched=0, bad_check=0, no_date=0, bad_date=0, bad_cert=0)
    evidence = upload(department_list.csv(), "a.csv", reviewer)
    for role in (Role.APPLICANT, Role.SERVICE_AGENT, Role.EXPERT, Role.FINANCE):
        with pytest.raises(PermissionDenied):
            start(evidence, make_user(roles={role: ""}, password=None))
    assert DataImport.objects.count() == 0
    admin = make_user(roles={Role.ADMIN: ""}, password=None)
    assert start(evidence, admin).state == ImportState.QUEUED


def test_a_list_of_an_organisations_evidence_is_not_a_department_list(reviewer: User) -> None:
    organisation = make_organisation()
    evidence = evidence_upload(
        file=io.BytesIO("统一社会信用代码,认定日期\n".encode()),
        original_name="a.csv",
        actor=reviewer,
        organisation=organisation,
        accepted=LISTS,
    )
    with pytest.raises(RecordError) as caught:
        start(evidence, reviewer)
    assert caught.value.field == "file"
