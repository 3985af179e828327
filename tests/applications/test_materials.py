"""Uploads: PDF/JPG/PNG by extension and magic bytes, a size limit, server names; failures leave nothing."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from jinchuang.applications import materials as materials_module
from jinchuang.applications.errors import ApplicationError, TransitionPermissionDenied
from jinchuang.applications.materials import material_path, material_upload
from jinchuang.applications.models import Material
from jinchuang.applications.services import application_save_draft
from jinchuang.applications.workflow import State
from tests.applications.conftest import Cast, submit, tech_transfer_case

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n" + b"0" * 2000
PNG = b"\x89PNG\r\n\x1a\n" + b"1" * 100
JPG = b"\xff\xd8\xff\xe0" + b"2" * 100


@pytest.fixture(autouse=True)
def media(tmp_path: Path) -> Any:
    with override_settings(MEDIA_ROOT=tmp_path):
        yield tmp_path


def draft(cast: Cast) -> Any:
    return application_save_draft(
        organisation=cast.organisation,
        measure_id="jc-8",
        case_data=tech_transfer_case(),
        idempotency_key="upload",
        actor=cast.applicant,
    )


def files_in(media: Path) -> list[str]:
    directory = media / "materials"
    return sorted(os.listdir(directory)) if directory.exists() else []


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [("合同.pdf", PDF, "application/pdf"), ("a.PNG", PNG, "image/png"), ("b.jpeg", JPG, "image/jpeg")],
)
def test_accepted_files_are_stored_under_a_server_name(
    cast: Cast, media: Path, name: str, content: bytes, content_type: str
) -> None:
    material = material_upload(
        application=draft(cast), file=io.BytesIO(content), original_name=name, actor=cast.applicant
    )
    assert material.original_name == name and material.size == len(content) and material.content_type == content_type
    assert material.stored_name.startswith("materials/") and name not in material.stored_name
    path = material_path(material)
    assert path.read_bytes() == content
    assert not os.access(path, os.X_OK)
    assert files_in(media) == [path.name]  # no temporary file left behind


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("run.exe", b"MZ" + b"0" * 10, "wrong_type"),
        ("page.html", b"<html>", "wrong_type"),
        ("noextension", PDF, "wrong_type"),
        ("fake.pdf", b"MZ\x90\x00 not a pdf", "content_mismatch"),
        ("fake.png", PDF, "content_mismatch"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_wrong_files_leave_no_row_and_no_file(cast: Cast, media: Path, name: str, content: bytes, code: str) -> None:
    with pytest.raises(ApplicationError) as error:
        material_upload(application=draft(cast), file=io.BytesIO(content), original_name=name, actor=cast.applicant)
    assert error.value.code == code
    assert not Material.objects.exists()
    assert files_in(media) == []


@override_settings(JINCHUANG_MATERIAL_MAX_BYTES=1000)
def test_too_large_leaves_no_row_and_no_partial_file(cast: Cast, media: Path) -> None:
    with pytest.raises(ApplicationError) as error:
        material_upload(application=draft(cast), file=io.BytesIO(PDF), original_name="big.pdf", actor=cast.applicant)
    assert error.value.code == "too_large"
    assert not Material.objects.exists() and files_in(media) == []


def test_disk_error_leaves_no_row_and_no_partial_file(cast: Cast, media: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_replace(src: Any, dst: Any) -> None:
        Path(dst).write_bytes(b"%PDF-partial")  # the disk fills up halfway through
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        material_upload(application=draft(cast), file=io.BytesIO(PDF), original_name="a.pdf", actor=cast.applicant)
    assert not Material.objects.exists() and files_in(media) == []


def test_database_error_after_the_rename_removes_the_file(
    cast: Cast, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing_audit(**kwargs: Any) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(materials_module, "audit_record", failing_audit)
    with pytest.raises(RuntimeError):
        material_upload(application=draft(cast), file=io.BytesIO(PDF), original_name="a.pdf", actor=cast.applicant)
    assert not Material.objects.exists() and files_in(media) == []


def test_only_the_organisation_uploads_and_only_while_editable(cast: Cast) -> None:
    application = draft(cast)
    with pytest.raises(TransitionPermissionDenied):
        material_upload(
            application=application, file=io.BytesIO(PDF), original_name="a.pdf", actor=cast.other_applicant
        )
    submitted = submit(cast, key="upload")
    assert submitted.state == State.SUBMITTED
    with pytest.raises(ApplicationError) as error:
        material_upload(application=submitted, file=io.BytesIO(PDF), original_name="a.pdf", actor=cast.applicant)
    assert error.value.code == "not_editable"
