"""申报材料 uploads, under the platform's one set of upload rules (jinchuang/records/evidence.py):
PDF, JPG or PNG only (extension AND magic bytes), size-limited, stored under a server-generated name.
A failed upload leaves no row and no file, partial or whole."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jinchuang.accounts.models import User
from jinchuang.applications.conf import material_max_bytes
from jinchuang.applications.errors import ApplicationError, TransitionPermissionDenied
from jinchuang.applications.models import Application, Material
from jinchuang.applications.permissions import as_user
from jinchuang.applications.workflow import State
from jinchuang.audit.actions import AuditAction
from jinchuang.audit.services import audit_record, audit_snapshot
from jinchuang.records.evidence import DOCUMENTS, UploadError, checked_upload

MATERIALS_DIR = "materials"
NOT_EDITABLE = _("当前状态不能上传材料")
NOT_YOURS = _("只能为本机构的申报上传材料")
#: states in which the applicant may add materials
UPLOAD_STATES = frozenset({State.DRAFT, State.RETURNED})


def materials_root() -> Path:
    return Path(settings.MEDIA_ROOT) / MATERIALS_DIR


def material_path(material: Material) -> Path:
    return Path(settings.MEDIA_ROOT) / material.stored_name


def material_upload(
    *,
    application: Application,
    file: IO[bytes] | Any,
    original_name: str,
    actor: User,
    request: HttpRequest | None = None,
) -> Material:
    """Check and store one file; its row, the file's rename into place and the audit row commit together."""
    user = as_user(actor)
    if user is None or user.organisation_id != application.organisation_id:
        raise TransitionPermissionDenied(NOT_YOURS)
    if application.state not in UPLOAD_STATES:
        raise ApplicationError("file", NOT_EDITABLE, "not_editable")
    try:
        with checked_upload(
            file, original_name, accepted=DOCUMENTS, directory=MATERIALS_DIR, limit=material_max_bytes()
        ) as upload:
            with transaction.atomic(durable=True):
                material = Material.objects.create(
                    application=application,
                    stored_name=upload.stored_name,
                    original_name=upload.original_name,
                    size=upload.size,
                    sha256=upload.sha256,
                    content_type=upload.content_type,
                    uploaded_by=user,
                )
                upload.place()
                audit_record(
                    actor=user,
                    action=AuditAction.MATERIAL_UPLOAD,
                    obj=material,
                    before=None,
                    after=audit_snapshot(material),
                    request=request,
                )
    except UploadError as exc:
        raise ApplicationError(exc.field, exc.messages[0], exc.code or "upload") from exc
    return material
