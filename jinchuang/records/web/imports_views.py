"""Department data import pages (部门数据导入) under /records/imports/: the list of imports, the upload,
the column mapping, and an import's page (a progress bar HTMX polls every second, then the report).

Only officers who may import (reviewers, administrators) see these pages (403 otherwise); an import
another officer started answers 404 (an administrator sees every import)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from jinchuang.accounts.models import User
from jinchuang.records.errors import RecordError
from jinchuang.records.evidence import LISTS, evidence_upload
from jinchuang.records.import_columns import Target, importable_types, suggested_mapping, targets
from jinchuang.records.imports import import_report, import_start, imports_visible_to, list_header
from jinchuang.records.models import DataImport, Evidence
from jinchuang.records.permissions import may_import

FILE_REQUIRED = gettext_lazy("请选择要上传的名单文件")
TYPE_REQUIRED = gettext_lazy("请选择事实类型")
SOURCE_REQUIRED = gettext_lazy("请填写数据来源(部门与名单名称)")
ALREADY_IMPORTED = gettext_lazy("这份名单已按相同设置导入过, 以下是那次导入的结果, 没有重复登记。")
BOOL_CHOICES = (("是", gettext_lazy("是")), ("否", gettext_lazy("否")))


def _importer(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not may_import(user):
        raise PermissionDenied(_("只有评审人员或管理员可以导入部门名单"))
    return user


def _errors(exc: ValidationError) -> dict[str, str]:
    return {field: "; ".join(str(m) for m in messages_) for field, messages_ in exc.message_dict.items()}


@require_GET
@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    imports = imports_visible_to(_importer(request))[:100]
    return render(request, "records/imports_list.html", {"imports": imports})


def _new_page(request: HttpRequest, errors: dict[str, str], status: int = 200) -> HttpResponse:
    values = request.POST if request.method == "POST" else request.GET
    context = {
        "types": importable_types(),
        "event_type": values.get("event_type", "certification_granted"),
        "source": values.get("source", ""),
        "errors": errors,
    }
    return render(request, "records/imports_new.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def import_new(request: HttpRequest) -> HttpResponse:
    """Step 1: the file, its event type and its source."""
    user = _importer(request)
    if request.method != "POST":
        return _new_page(request, {})
    errors: dict[str, str] = {}
    event_type = request.POST.get("event_type", "")
    source = request.POST.get("source", "").strip()
    upload = request.FILES.get("file")
    if event_type not in importable_types():
        errors["event_type"] = str(TYPE_REQUIRED)
    if not source:
        errors["source"] = str(SOURCE_REQUIRED)
    if upload is None:
        errors["file"] = str(FILE_REQUIRED)
    if errors or upload is None:
        return _new_page(request, errors, status=400)
    try:
        evidence = evidence_upload(
            file=upload, original_name=upload.name or "", actor=user, organisation=None, accepted=LISTS, request=request
        )
        list_header(evidence)
    except RecordError as exc:
        return _new_page(request, _errors(exc), status=400)
    query = urlencode({"event_type": event_type, "source": source})
    return redirect(f"{reverse('record_imports:mapping', args=[evidence.pk])}?{query}")


def _target_rows(
    event_type: str, header: list[str], chosen: dict[str, str], constants: dict[str, str], errors: dict[str, str]
) -> list[dict[str, Any]]:
    rows = []
    for target in targets(event_type):
        rows.append(
            {
                "target": target,
                "column": chosen.get(target.name, ""),
                "constant": constants.get(target.name, ""),
                "choices": _constant_choices(target),
                "error": errors.get(f"mapping.{target.name}") or errors.get(f"constants.{target.name}", ""),
            }
        )
    return rows


def _constant_choices(target: Target) -> list[tuple[str, str]] | None:
    if target.type == "bool":
        return [(str(v), str(label)) for v, label in BOOL_CHOICES]
    if target.options is not None:
        return [(label, label) for label in target.options.values()]
    return None


@require_http_methods(["GET", "POST"])
@login_required
def import_mapping(request: HttpRequest, evidence_id: int) -> HttpResponse:
    """Step 2: which column holds what (selects pre-filled from the header), constants, then start."""
    user = _importer(request)
    evidence = get_object_or_404(Evidence, pk=evidence_id, organisation__isnull=True, uploaded_by=user)
    values = request.POST if request.method == "POST" else request.GET
    event_type = values.get("event_type", "")
    if event_type not in importable_types():
        messages.error(request, str(TYPE_REQUIRED))
        return redirect("record_imports:new")
    try:
        header = list_header(evidence)
    except RecordError as exc:
        messages.error(request, "; ".join(_errors(exc).values()))
        return redirect("record_imports:new")
    source = values.get("source", "").strip()
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST" and request.POST.get("step") == "start":
        chosen = {t.name: request.POST.get(f"map-{t.name}", "") for t in targets(event_type)}
        constants = {t.name: request.POST.get(f"const-{t.name}", "") for t in targets(event_type) if t.constant_allowed}
        try:
            data_import = import_start(
                evidence=evidence,
                event_type=event_type,
                mapping=chosen,
                constants={k: v for k, v in constants.items() if v.strip()},
                source=source,
                actor=user,
                request=request,
            )
        except RecordError as exc:
            errors = _errors(exc)
            status = 400
        else:
            if data_import.evidence_id != evidence.pk:
                messages.info(request, str(ALREADY_IMPORTED))
            return redirect("record_imports:detail", pk=data_import.pk)
    else:
        chosen = suggested_mapping(event_type, header)
        constants = {}
    context = {
        "evidence": evidence,
        "event_type": event_type,
        "event_label": importable_types()[event_type],
        "types": importable_types(),
        "source": source,
        "header": header,
        "rows": _target_rows(event_type, header, chosen, constants, errors),
        "errors": errors,
    }
    return render(request, "records/imports_mapping.html", context, status=status)


def _visible(request: HttpRequest, pk: int) -> DataImport:
    data_import = imports_visible_to(_importer(request)).filter(pk=pk).first()
    if data_import is None:
        raise Http404
    return data_import


def _detail_context(data_import: DataImport) -> dict[str, Any]:
    label = importable_types().get(data_import.event_type, data_import.event_type)
    return {"data_import": data_import, "report": import_report(data_import), "event_label": label}


@require_GET
@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "records/imports_detail.html", _detail_context(_visible(request, pk)))


@require_GET
@login_required
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The fragment HTMX polls: the progress bar while queued or running, then the report."""
    return render(request, "records/imports_status.html", _detail_context(_visible(request, pk)))
