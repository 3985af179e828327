"""申报材料 uploads: PDF, JPG or PNG only (extension AND magic bytes), size-limited, stored under a
server-generated name. A failed upload leaves no row and no file, partial or whole."""

from __future__ import annotations

import hashlib
import os
import tempfile
import uuid
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

MATERIALS_DIR = "materials"
#: extension → (content type, magic bytes at the start of the file)
ACCEPTED: dict[str, tuple[str, bytes]] = {
    "pdf": ("application/pdf", b"%PDF-"),
    "png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    "jpg": ("image/jpeg", b"\xff\xd8\xff"),
    "jpeg": ("image/jpeg", b"\xff\xd8\xff"),
}
CHUNK = 64 * 1024

WRONG_TYPE = _("只接受 PDF、JPG、PNG 文件")
CONTENT_MISMATCH = _("文件内容与扩展名不符(不是有效的 %(ext)s 文件)")
TOO_LARGE = _("文件超过大小上限 %(limit)s MB")
EMPTY = _("文件为空")
NOT_EDITABLE = _("当前状态不能上传材料")
NOT_YOURS = _("只能为本机构的申报上传材料")
#: states in which the applicant may add materials
UPLOAD_STATES = frozenset({State.DRAFT, State.RETURNED})


def materials_root() -> Path:
    return Path(settings.MEDIA_ROOT) / MATERIALS_DIR


def material_path(material: Material) -> Path:
    return Path(settings.MEDIA_ROOT) / material.stored_name


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def material_upload(
    *,
    application: Application,
    file: IO[bytes] | Any,
    original_name: str,
    actor: User,
    request: HttpRequest | None = None,
) -> Material:
    """Check and store one file. Writes to a temporary file in the target directory, then renames it
    into place inside a durable transaction; on any error the file is removed and no row remains."""
    user = as_user(actor)
    if user is None or user.organisation_id != application.organisation_id:
        raise TransitionPermissionDenied(NOT_YOURS)
    if application.state not in UPLOAD_STATES:
        raise ApplicationError("file", NOT_EDITABLE, "not_editable")
    ext = _extension(original_name)
    if ext not in ACCEPTED:
        raise ApplicationError("file", WRONG_TYPE, "wrong_type")
    content_type, magic = ACCEPTED[ext]
    limit = material_max_bytes()
    directory = materials_root()
    directory.mkdir(parents=True, exist_ok=True)
    stored_name = f"{MATERIALS_DIR}/{uuid.uuid4().hex}.{'jpg' if ext == 'jpeg' else ext}"
    final = Path(settings.MEDIA_ROOT) / stored_name
    descriptor, temp_name = tempfile.mkstemp(prefix=".upload-", suffix=".part", dir=directory)
    temp = Path(temp_name)
    try:
        digest = hashlib.sha256()
        size = 0
        head = b""
        with os.fdopen(descriptor, "wb") as out:
            while chunk := file.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise ApplicationError("file", TOO_LARGE, "too_large", {"limit": limit // (1024 * 1024)})
                if len(head) < len(magic):
                    head += chunk[: len(magic) - len(head)]
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size == 0:
            raise ApplicationError("file", EMPTY, "empty")
        if not head.startswith(magic):
            raise ApplicationError("file", CONTENT_MISMATCH, "content_mismatch", {"ext": ext.upper()})
        with transaction.atomic(durable=True):
            material = Material.objects.create(
                application=application,
                stored_name=stored_name,
                original_name=os.path.basename(original_name)[:255],
                size=size,
                sha256=digest.hexdigest(),
                content_type=content_type,
                uploaded_by=user,
            )
            os.replace(temp, final)
            os.chmod(final, 0o640)  # never executable
            audit_record(
                actor=user,
                action=AuditAction.MATERIAL_UPLOAD,
                obj=material,
                before=None,
                after=audit_snapshot(material),
                request=request,
            )
        return material
    except BaseException:
        temp.unlink(missing_ok=True)
        final.unlink(missing_ok=True)  # a fresh uuid name: whatever is there is ours, whole or partial
        raise
