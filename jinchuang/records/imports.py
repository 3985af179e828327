"""Department data import (部门数据导入): a department's list (Excel or CSV) becomes verified facts.

An officer who may import (reviewer, administrator) uploads the list, chooses the event type, names the
source and maps columns to the event (``import_start``). The key of an import is the SHA-256 of the file
with the event type, the mapping and the constants: the same file imported again with the same settings
returns the existing import and creates nothing. The job ``records.import`` (jinchuang/tasks) reads the
rows (``import_run``): a row whose 统一社会信用代码 is malformed, names no organisation of the platform,
or whose event is invalid is a problem of the report, named by row and by the file's column header; a
good row is a verified fact (provenance 部门数据导入, evidence the list, ``data_import`` the import); a
declared fact the list confirms becomes verified by the import; a verified one is counted as existing.
A job run again (a worker died) creates nothing twice: one live fact per digest.

``Fact.data_import`` names the import that created a fact or verified it.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jinchuang.accounts.models import Organisation, Role, User, unified_social_credit_code_validator
from jinchuang.audit.actions import AuditAction
from jinchuang.audit.services import audit_record, audit_snapshot
from jinchuang.policy.case import CaseError
from jinchuang.records import errors
from jinchuang.records.errors import RecordError, RecordPermissionDenied
from jinchuang.records.evidence import LISTS, evidence_path
from jinchuang.records.import_columns import (
    SUBJECT,
    USCC,
    Target,
    cell_value,
    importable_types,
    normalise_uscc,
    targets,
)
from jinchuang.records.listfiles import ListFileError, ListRow, list_summary, open_list
from jinchuang.records.models import DataImport, Evidence, Fact, FactState, ImportState, Provenance
from jinchuang.records.permissions import active_user, may_import, roles_of
from jinchuang.records.services import _create, announce, normalise_event
from jinchuang.tasks.services import Job, enqueue, report_progress, task

logger = logging.getLogger(__name__)

IMPORT_TASK = "records.import"
MAX_ROWS = 20_000
#: rows between two progress reports
PROGRESS_EVERY = 20

#: messages (translated where shown; a report's problems are stored in the platform's language)
NOT_ALLOWED = gettext_noop("只有评审人员或管理员可以导入部门名单")
NOT_A_LIST = gettext_noop("请先上传部门名单(XLSX 或 CSV 文件)")
SOURCE_REQUIRED = gettext_noop("请填写数据来源(部门与名单名称)")
MAPPING_NOT_OBJECT = gettext_noop("列对应关系须为对象: 字段 → 名单中的列名")
CONSTANTS_NOT_OBJECT = gettext_noop("固定取值须为对象: 字段 → 取值")
UNKNOWN_TARGET = gettext_noop("该事实类型没有此字段")
NOT_A_CONSTANT = gettext_noop("“%(label)s”须从名单的列中读取, 不能填固定取值")
NOT_SCALAR = gettext_noop("“%(label)s”的固定取值须为单个值")
BOTH_GIVEN = gettext_noop("“%(label)s”已对应名单中的列, 不能同时填固定取值")
USCC_MISSING = gettext_noop("缺少统一社会信用代码")
UNMATCHED = gettext_noop("平台上没有统一社会信用代码为 %(code)s 的机构")
DUPLICATE_ROW = gettext_noop("与第 %(row)s 行为同一事实, 未重复登记")
CRASHED = gettext_noop("导入过程中出现系统错误, 已中断; 已登记的事实保留, 重新导入同一名单不会重复登记")
UNREADABLE = gettext_noop("无法读取名单文件: %(why)s")
VERIFIED_BY_IMPORT = gettext_noop("部门数据导入核验: %(source)s, 第 %(row)s 行")
IMPORTED_NOTE = gettext_noop("部门数据导入: %(source)s, 第 %(row)s 行")
CONSTANT_COLUMN = gettext_noop("固定取值: %(label)s")


# --- starting an import -----------------------------------------------------------------------------
def _require_importer(actor: object) -> User:
    user = active_user(actor)
    if user is None or not may_import(user):
        raise RecordPermissionDenied(_(NOT_ALLOWED))
    return user


def _extension(evidence: Evidence) -> str:
    return evidence.stored_name.rsplit(".", 1)[-1].lower()


def list_header(evidence: Evidence) -> list[str]:
    """The header row of an uploaded list (for the mapping step); RecordError("file") when unreadable."""
    return _summary_of(evidence)[0]


def _summary_of(evidence: Evidence) -> tuple[list[str], int]:
    if evidence.organisation_id is not None or _extension(evidence) not in LISTS:
        raise RecordError("file", _(NOT_A_LIST), "not_a_list")
    try:
        return list_summary(evidence_path(evidence), _extension(evidence))
    except (ListFileError, OSError) as exc:
        why = exc.why if isinstance(exc, ListFileError) else _("文件已不在存储中")
        raise RecordError("file", errors.FILE_UNREADABLE, "file_unreadable", {"why": why}) from exc


def _clean_settings(
    event_type: str, mapping: Any, constants: Any, header: list[str]
) -> tuple[dict[str, str], dict[str, Any]]:
    """The mapping (target → column) and constants (field → value as the case format writes it),
    checked against the event type and the file's header; RecordError names ``mapping.<field>`` or
    ``constants.<field>``."""
    if not isinstance(mapping, Mapping):
        raise RecordError("mapping", _(MAPPING_NOT_OBJECT), "mapping_not_object")
    if not isinstance(constants, Mapping):
        raise RecordError("constants", _(CONSTANTS_NOT_OBJECT), "constants_not_object")
    by_name = {t.name: t for t in targets(event_type)}
    clean_mapping: dict[str, str] = {}
    for name, column in mapping.items():
        if name not in by_name:
            raise RecordError(f"mapping.{name}", _(UNKNOWN_TARGET), "unknown_field")
        if column is None or (isinstance(column, str) and not column.strip()):
            continue
        if not isinstance(column, str) or column not in header:
            raise RecordError(f"mapping.{name}", errors.COLUMN_NOT_IN_FILE, "column_not_in_file", {"column": column})
        clean_mapping[str(name)] = column
    clean_constants: dict[str, Any] = {}
    for name, raw in constants.items():
        target = by_name.get(name)
        if target is None:
            raise RecordError(f"constants.{name}", _(UNKNOWN_TARGET), "unknown_field")
        if isinstance(raw, (dict, list, tuple, set)):
            raise RecordError(f"constants.{name}", _(NOT_SCALAR) % {"label": target.label}, "invalid_constant")
        value, problem = cell_value(target, raw)
        if value is None and problem is None:
            continue
        if not target.constant_allowed:
            raise RecordError(f"constants.{name}", _(NOT_A_CONSTANT) % {"label": target.label}, "not_a_constant")
        if name in clean_mapping:
            raise RecordError(f"constants.{name}", _(BOTH_GIVEN) % {"label": target.label}, "both_given")
        if problem is not None:
            raise RecordError(f"constants.{name}", problem, "invalid_constant")
        clean_constants[str(name)] = value
    for target in by_name.values():
        if target.required and target.name not in clean_mapping and target.name not in clean_constants:
            raise RecordError(
                f"mapping.{target.name}", errors.MAPPING_MISSING, "mapping_missing", {"label": target.label}
            )
    return clean_mapping, clean_constants


def import_key(*, file_sha256: str, event_type: str, mapping: Mapping[str, str], constants: Mapping[str, Any]) -> str:
    """SHA-256 of the file with the event type, the mapping and the constants: the import's identity."""
    text = json.dumps(
        {"file": file_sha256, "type": event_type, "mapping": dict(mapping), "constants": dict(constants)},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def import_start(
    *,
    evidence: Evidence,
    event_type: str,
    mapping: Any,
    constants: Any,
    source: str,
    actor: User,
    request: HttpRequest | None = None,
) -> DataImport:
    """Check the settings against the uploaded list and queue its import (the job ``records.import``).

    The same file with the same event type, mapping and constants returns the import that exists (a
    failed one is queued again); nothing else is created."""
    user = _require_importer(actor)
    if event_type not in importable_types():
        raise RecordError("event_type", errors.UNKNOWN_TYPE, "unknown_type")
    source = (source or "").strip()
    if not source:
        raise RecordError("source", _(SOURCE_REQUIRED), "source_required")
    header, rows = _summary_of(evidence)
    clean_mapping, clean_constants = _clean_settings(event_type, mapping, constants, header)
    if rows == 0:
        raise RecordError("file", errors.NO_ROWS, "no_rows")
    if rows > MAX_ROWS:
        raise RecordError("file", errors.TOO_MANY_ROWS, "too_many_rows", {"limit": MAX_ROWS})
    key = import_key(
        file_sha256=evidence.sha256, event_type=event_type, mapping=clean_mapping, constants=clean_constants
    )
    existing = DataImport.objects.filter(key=key).first()
    if existing is not None:
        return _again_if_failed(existing, user, request)
    try:
        with transaction.atomic():
            data_import = DataImport.objects.create(
                event_type=event_type,
                mapping=clean_mapping,
                constants=clean_constants,
                source=source[:200],
                evidence=evidence,
                key=key,
                state=ImportState.QUEUED,
                rows_total=rows,
                created_by=user,
            )
            audit_record(
                actor=user,
                action=AuditAction.IMPORT_START,
                obj=data_import,
                before=None,
                after=audit_snapshot(data_import),
                request=request,
            )
            enqueue(IMPORT_TASK, str(data_import.pk), {"import": data_import.pk})
    except IntegrityError:  # a concurrent start of the same import
        return DataImport.objects.get(key=key)
    return data_import


def _again_if_failed(data_import: DataImport, user: User, request: HttpRequest | None) -> DataImport:
    with transaction.atomic():
        locked = DataImport.objects.select_for_update().get(pk=data_import.pk)
        if locked.state != ImportState.FAILED:
            return locked
        before = audit_snapshot(locked)
        locked.state = ImportState.QUEUED
        locked.finished_at = None
        locked.save(update_fields=["state", "finished_at"])
        audit_record(
            actor=user,
            action=AuditAction.IMPORT_START,
            obj=locked,
            before=before,
            after=audit_snapshot(locked),
            request=request,
        )
        enqueue(IMPORT_TASK, str(locked.pk), {"import": locked.pk}, again=True)
    return locked


# --- running an import (the job) --------------------------------------------------------------------
@dataclass
class _Outcome:
    created: int = 0
    verified: int = 0
    existing: int = 0
    rows: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)
    gained: set[int] = field(default_factory=set)  # organisations that gained verified facts
    seen: dict[tuple[int, str], int] = field(default_factory=dict)  # (organisation, digest) → first row

    def problem(self, row: int, column: str, message: str, kind: str) -> None:
        self.problems.append({"row": row, "column": column, "message": str(message), "kind": kind})


@task(IMPORT_TASK)
def _import_job(job: Job, payload: dict[str, Any]) -> dict[str, Any]:
    # the report is stored in the platform's language, whichever page's request ran the job eagerly
    with translation.override(settings.LANGUAGE_CODE):
        return import_run(data_import_id=int(payload["import"]), job=job)


def import_run(*, data_import_id: int, job: Job | None = None) -> dict[str, Any]:
    """Read the list's rows and record their facts (the job's body; safe to run again).

    A crash marks the import failed with a Chinese message (the traceback goes to the log) and ends
    the job: starting the same import again queues it again (``import_start``)."""
    data_import = DataImport.objects.select_related("evidence", "created_by").get(pk=data_import_id)
    if data_import.state == ImportState.DONE:
        return _result(data_import)
    DataImport.objects.filter(pk=data_import.pk).update(
        state=ImportState.RUNNING, rows_done=0, created_count=0, existing_count=0, problems=[], finished_at=None
    )
    data_import.refresh_from_db()
    try:
        outcome = _process(data_import, job)
    except Exception as exc:  # recorded on the import; the officer starts it again once it is fixed
        _fail(data_import, exc)
    else:
        _finish(data_import, outcome)
    data_import.refresh_from_db()
    return _result(data_import)


def _result(data_import: DataImport) -> dict[str, Any]:
    return {
        "import": data_import.pk,
        "state": data_import.state,
        "rows": data_import.rows_done,
        "created": data_import.created_count,
        "existing": data_import.existing_count,
        "problems": len(data_import.problems),
    }


def _process(data_import: DataImport, job: Job | None) -> _Outcome:
    outcome = _Outcome()
    by_name = {t.name: t for t in targets(data_import.event_type)}
    evidence = data_import.evidence
    with open_list(evidence_path(evidence), _extension(evidence)) as table:
        batch: list[ListRow] = []
        for row in table.rows:
            batch.append(row)
            if len(batch) >= PROGRESS_EVERY:
                _process_batch(data_import, by_name, batch, outcome)
                batch = []
                _progress(data_import, outcome, job)
        if batch:
            _process_batch(data_import, by_name, batch, outcome)
    return outcome


def _progress(data_import: DataImport, outcome: _Outcome, job: Job | None) -> None:
    DataImport.objects.filter(pk=data_import.pk).update(
        rows_done=outcome.rows,
        created_count=outcome.created,
        existing_count=outcome.existing,
    )
    if job is not None:
        report_progress(job, outcome.rows, max(data_import.rows_total, outcome.rows))


def _process_batch(
    data_import: DataImport, by_name: dict[str, Target], batch: list[ListRow], outcome: _Outcome
) -> None:
    uscc_column = data_import.mapping[USCC]
    codes = {normalise_uscc(row.values.get(uscc_column)) for row in batch}
    organisations = {
        o.unified_social_credit_code: o
        for o in Organisation.objects.filter(unified_social_credit_code__in=[c for c in codes if c])
    }
    for row in batch:
        outcome.rows += 1
        _process_row(data_import, by_name, row, organisations, outcome)


def _column_of(data_import: DataImport, by_name: dict[str, Target], name: str) -> str:
    if name in data_import.mapping:
        return str(data_import.mapping[name])
    target = by_name.get(name)
    if target is not None and name in data_import.constants:
        return _(CONSTANT_COLUMN) % {"label": target.label}
    return target.label if target is not None else ""


def _process_row(
    data_import: DataImport,
    by_name: dict[str, Target],
    row: ListRow,
    organisations: dict[str, Organisation],
    outcome: _Outcome,
) -> None:
    mapping: dict[str, str] = data_import.mapping
    problems_before = len(outcome.problems)
    uscc_column = mapping[USCC]
    code = normalise_uscc(row.values.get(uscc_column))
    organisation: Organisation | None = None
    if not code:
        outcome.problem(row.number, uscc_column, _(USCC_MISSING), "uscc")
    else:
        try:
            unified_social_credit_code_validator(code)
        except ValidationError as exc:
            outcome.problem(row.number, uscc_column, "; ".join(str(m) for m in exc.messages), "uscc")
        else:
            organisation = organisations.get(code)
            if organisation is None:
                outcome.problem(row.number, uscc_column, _(UNMATCHED) % {"code": code}, "unmatched")
    event: dict[str, Any] = {"type": data_import.event_type, **data_import.constants}
    subject = ""
    for name, column in mapping.items():
        if name == USCC:
            continue
        value, problem = cell_value(by_name[name], row.values.get(column))
        if problem is not None:
            outcome.problem(row.number, column, problem, "field")
        elif name == SUBJECT:
            subject = str(value or "")
        elif value is not None:
            event[name] = value
    if len(outcome.problems) == problems_before:
        try:
            normalise_event(event)
        except CaseError as exc:
            for p in exc.problems:
                outcome.problem(row.number, _column_of(data_import, by_name, p.field), p.message, "field")
    if len(outcome.problems) != problems_before or organisation is None:
        return
    try:
        _record(data_import, organisation, event, subject, row, outcome)
    except CaseError as exc:  # e.g. a date after today
        for p in exc.problems:
            outcome.problem(row.number, _column_of(data_import, by_name, p.field), p.message, "field")
    except RecordError as exc:
        outcome.problem(row.number, _column_of(data_import, by_name, exc.field), "; ".join(exc.messages), "field")


def _record(
    data_import: DataImport,
    organisation: Organisation,
    event: dict[str, Any],
    subject: str,
    row: ListRow,
    outcome: _Outcome,
) -> None:
    params = {"source": data_import.source, "row": row.number}
    with transaction.atomic():
        fact, created = _create(
            organisation=organisation,
            event_data=event,
            provenance=Provenance.IMPORTED,
            state=FactState.VERIFIED,
            actor=data_import.created_by,
            action=AuditAction.FACT_IMPORT,
            evidence=[data_import.evidence],
            subject=subject,
            source=data_import.source,
            note=_(IMPORTED_NOTE) % params,
            data_import=data_import,
        )
        first_row = outcome.seen.setdefault((organisation.pk, fact.digest), row.number)
        if first_row != row.number:
            outcome.problem(row.number, "", _(DUPLICATE_ROW) % {"row": first_row}, "duplicate")
            return
        if created or fact.data_import_id == data_import.pk:  # this import's fact (a job run again)
            if fact.provenance == Provenance.IMPORTED:
                outcome.created += 1
            else:
                outcome.verified += 1
            outcome.gained.add(organisation.pk)
            return
        locked = Fact.objects.select_for_update().get(pk=fact.pk)
        if locked.state != FactState.DECLARED:
            outcome.existing += 1
            return
        before = audit_snapshot(locked)
        locked.state = FactState.VERIFIED
        locked.decided_by = data_import.created_by
        locked.decided_at = timezone.now()
        locked.note = _(VERIFIED_BY_IMPORT) % params
        locked.data_import = data_import
        locked.save(update_fields=["state", "decided_by", "decided_at", "note", "data_import"])
        locked.evidence.add(data_import.evidence)
        audit_record(
            actor=data_import.created_by,
            action=AuditAction.FACT_VERIFY,
            obj=locked,
            before=before,
            after=audit_snapshot(locked),
        )
        outcome.verified += 1
        outcome.gained.add(organisation.pk)


def _finish(data_import: DataImport, outcome: _Outcome) -> None:
    with transaction.atomic():
        locked = DataImport.objects.select_for_update().get(pk=data_import.pk)
        before = audit_snapshot(locked)
        locked.state = ImportState.DONE
        locked.rows_total = outcome.rows
        locked.rows_done = outcome.rows
        locked.created_count = outcome.created
        locked.existing_count = outcome.existing
        locked.problems = outcome.problems
        locked.finished_at = timezone.now()
        locked.save()
        audit_record(
            actor=None, action=AuditAction.IMPORT_DONE, obj=locked, before=before, after=audit_snapshot(locked)
        )
        announce(outcome.gained, "import")


def _fail(data_import: DataImport, exc: BaseException) -> None:
    if isinstance(exc, ListFileError):
        message = _(UNREADABLE) % {"why": exc.why}
    else:
        logger.exception("import %s failed", data_import.pk)
        message = _(CRASHED)
    with transaction.atomic():
        locked = DataImport.objects.select_for_update().get(pk=data_import.pk)
        before = audit_snapshot(locked)
        locked.state = ImportState.FAILED
        locked.problems = [*locked.problems, {"row": None, "column": "", "message": message, "kind": "failed"}]
        locked.finished_at = timezone.now()
        locked.save(update_fields=["state", "problems", "finished_at"])
        audit_record(
            actor=None, action=AuditAction.IMPORT_FAILED, obj=locked, before=before, after=audit_snapshot(locked)
        )


# --- reads ------------------------------------------------------------------------------------------
def imports_visible_to(user: User) -> QuerySet[DataImport]:
    """The imports an officer may see: an administrator all, a reviewer the ones they started."""
    imports = DataImport.objects.select_related("evidence", "created_by")
    if not may_import(user):
        return imports.none()
    if Role.ADMIN in roles_of(user):
        return imports
    return imports.filter(created_by=user)


@dataclass
class ImportReport:
    data_import: DataImport
    verified_count: int  # declared facts the list confirmed (not counted in created_count)
    organisations: list[dict[str, Any]]  # {"id", "name", "facts"}: the organisations that gained facts

    @property
    def percent(self) -> int:
        total = self.data_import.rows_total
        if self.data_import.state == ImportState.DONE:
            return 100
        return min(100, self.data_import.rows_done * 100 // total) if total else 0

    @property
    def row_problems(self) -> list[dict[str, Any]]:
        return [p for p in self.data_import.problems if p.get("row") is not None]

    @property
    def failure(self) -> str:
        return "; ".join(p["message"] for p in self.data_import.problems if p.get("kind") == "failed")

    @property
    def running(self) -> bool:
        return self.data_import.state in (ImportState.QUEUED, ImportState.RUNNING)


def import_report(data_import: DataImport) -> ImportReport:
    facts = Fact.objects.filter(data_import=data_import)
    verified = facts.exclude(provenance=Provenance.IMPORTED).count()
    organisations = [
        {"id": row["organisation_id"], "name": row["organisation__name"], "facts": row["facts"]}
        for row in facts.filter(state=FactState.VERIFIED)
        .values("organisation_id", "organisation__name")
        .annotate(facts=Count("pk"))
        .order_by("organisation__name")
    ]
    return ImportReport(data_import=data_import, verified_count=verified, organisations=organisations)
