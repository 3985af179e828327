"""The upload rules, for every file the platform keeps (申报材料, evidence of facts, department lists):
accepted types only (extension AND content), size-limited, stored under a server-generated name, never
executable; a failed upload leaves no row and no file, partial or whole.

``checked_upload`` writes and checks the file and yields it; the caller creates its row inside a
durable transaction and calls ``place()`` there, which renames the file into place."""

from __future__ import annotations

import hashlib
import os
import tempfile
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jinchuang.accounts.models import Organisation, User
from jinchuang.audit.actions import AuditAction
from jinchuang.audit.services import audit_record, audit_snapshot
from jinchuang.records.errors import RecordError
from jinchuang.records.models import Evidence

#: extension → (content type, magic bytes at the start of the file; b"" = text, checked as UTF-8)
DOCUMENTS: dict[str, tuple[str, bytes]] = {
    "pdf": ("application/pdf", b"%PDF-"),
    "jpg": ("image/jpeg", b"\xff\xd8\xff"),
    "jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    "png": ("image/png", b"\x89PNG\r\n\x1a\n"),
}
LISTS: dict[str, tuple[str, bytes]] = {
    "csv": ("text/csv", b""),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"),
}
CHUNK = 64 * 1024
DEFAULT_LIMIT = 10 * 1024 * 1024

WRONG_TYPE = _("只接受 %(types)s 文件")
CONTENT_MISMATCH = _("文件内容与扩展名不符(不是有效的 %(ext)s 文件)")
TOO_LARGE = _("文件超过大小上限 %(limit)s MB")
EMPTY = _("文件为空")
NOT_TEXT = _("CSV 文件须为 UTF-8 编码的文本")


class UploadError(RecordError):
    pass


@dataclass
class Upload:
    stored_name: str
    original_name: str
    size: int
    sha256: str
    content_type: str
    temp: Path
    final: Path

    def place(self) -> None:
        """Rename the checked file into place (call inside the transaction that creates its row)."""
        os.replace(self.temp, self.final)
        os.chmod(self.final, 0o640)  # never executable


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _types_label(accepted: Mapping[str, tuple[str, bytes]]) -> str:
    return str(_("、")).join(dict.fromkeys("JPG" if e == "jpeg" else e.upper() for e in accepted))


@contextmanager
def checked_upload(
    file: IO[bytes] | Any,
    original_name: str,
    *,
    accepted: Mapping[str, tuple[str, bytes]] = DOCUMENTS,
    directory: str = "evidence",
    limit: int = DEFAULT_LIMIT,
    field: str = "file",
) -> Iterator[Upload]:
    ext = _extension(original_name)
    if ext not in accepted:
        raise UploadError(field, WRONG_TYPE, "wrong_type", {"types": _types_label(accepted)})
    content_type, magic = accepted[ext]
    root = Path(settings.MEDIA_ROOT) / directory
    root.mkdir(parents=True, exist_ok=True)
    stored_name = f"{directory}/{uuid.uuid4().hex}.{'jpg' if ext == 'jpeg' else ext}"
    final = Path(settings.MEDIA_ROOT) / stored_name
    descriptor, temp_name = tempfile.mkstemp(prefix=".upload-", suffix=".part", dir=root)
    temp = Path(temp_name)
    try:
        digest = hashlib.sha256()
        size = 0
        head = b""
        with os.fdopen(descriptor, "wb") as out:
            while chunk := file.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise UploadError(field, TOO_LARGE, "too_large", {"limit": limit // (1024 * 1024)})
                if len(head) < max(len(magic), 4096):
                    head += chunk[: max(len(magic), 4096) - len(head)]
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size == 0:
            raise UploadError(field, EMPTY, "empty")
        if magic and not head.startswith(magic):
            raise UploadError(field, CONTENT_MISMATCH, "content_mismatch", {"ext": ext.upper()})
        if not magic and not _is_text(temp):
            raise UploadError(field, NOT_TEXT, "not_text")
        yield Upload(
            stored_name=stored_name,
            original_name=os.path.basename(original_name)[:255],
            size=size,
            sha256=digest.hexdigest(),
            content_type=content_type,
            temp=temp,
            final=final,
        )
    except BaseException:
        temp.unlink(missing_ok=True)
        final.unlink(missing_ok=True)  # a fresh uuid name: whatever is there is ours, whole or partial
        raise
    temp.unlink(missing_ok=True)  # placed already, or the caller chose not to keep it


def _is_text(path: Path) -> bool:
    data = path.read_bytes()
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


def evidence_path(evidence: Evidence) -> Path:
    return Path(settings.MEDIA_ROOT) / evidence.stored_name


def evidence_upload(
    *,
    file: IO[bytes] | Any,
    original_name: str,
    actor: User,
    organisation: Organisation | None,
    accepted: Mapping[str, tuple[str, bytes]] = DOCUMENTS,
    field: str = "file",
    request: HttpRequest | None = None,
) -> Evidence:
    """Check and keep one evidence file (audited). ``organisation`` None: a department's list."""
    with checked_upload(file, original_name, accepted=accepted, field=field) as upload:
        with transaction.atomic():
            evidence = Evidence.objects.create(
                organisation=organisation,
                stored_name=upload.stored_name,
                original_name=upload.original_name,
                size=upload.size,
                sha256=upload.sha256,
                content_type=upload.content_type,
                uploaded_by=actor,
            )
            upload.place()
            audit_record(
                actor=actor,
                action=AuditAction.EVIDENCE_UPLOAD,
                obj=evidence,
                before=None,
                after=audit_snapshot(evidence),
                request=request,
            )
    return evidence


def evidence_for_stored_file(
    *,
    organisation: Organisation,
    stored_name: str,
    original_name: str,
    size: int,
    sha256: str,
    content_type: str,
    uploaded_by: User,
) -> Evidence:
    """The evidence row for a file already stored under the upload rules (e.g. an application's 申报材料),
    pointing to the same file — nothing is copied; found again by its stored name."""
    evidence, created = Evidence.objects.get_or_create(
        stored_name=stored_name,
        defaults={
            "organisation": organisation,
            "original_name": original_name,
            "size": size,
            "sha256": sha256,
            "content_type": content_type,
            "uploaded_by": uploaded_by,
        },
    )
    if created:
        audit_record(
            actor=uploaded_by,
            action=AuditAction.EVIDENCE_UPLOAD,
            obj=evidence,
            before=None,
            after=audit_snapshot(evidence),
        )
    return evidence
