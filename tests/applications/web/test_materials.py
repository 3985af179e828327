"""申报材料: accepted uploads are downloaded as attachments only; failed ones leave no row and no file."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jinchuang.applications.models import Application, Material
from tests.applications.web.conftest import Cast, case_post, startup_case

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _draft(cast: Cast, client: Client) -> Application:
    client.post("/applications/apply/jc-3/draft/", case_post(startup_case(), idempotency_key="k-materials"))
    return Application.objects.get(organisation=cast.organisation, idempotency_key="k-materials")


def _files(media_root: Path) -> list[Path]:
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


def test_upload_then_download_as_attachment(cast: Cast, media_root: Path) -> None:
    client = cast.client(cast.applicant)
    draft = _draft(cast, client)
    upload = SimpleUploadedFile("营业执照.pdf", PDF, content_type="application/pdf")
    response = client.post(f"/applications/{draft.pk}/materials/", {"file": upload}, follow=True)
    assert "已上传: 营业执照.pdf" in response.content.decode()
    material = Material.objects.get(application=draft)
    assert len(_files(media_root)) == 1
    download = client.get(f"/applications/{draft.pk}/materials/{material.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    # the 服务专员 may download once submitted; another enterprise may not even see it
    assert (
        cast.client(cast.other_applicant).get(f"/applications/{draft.pk}/materials/{material.pk}/").status_code == 404
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("scan.pdf", b"<html><script>alert(1)</script></html>", "文件内容与扩展名不符"),  # wrong magic bytes
        ("photo.png", PDF, "文件内容与扩展名不符"),
        ("run.exe", b"MZ\x90\x00", "只接受 PDF、JPG、PNG 文件"),
        ("page.html", b"<html></html>", "只接受 PDF、JPG、PNG 文件"),
        ("empty.pdf", b"", "文件为空"),
    ],
)
def test_rejected_upload_leaves_no_row_and_no_file(
    cast: Cast, media_root: Path, name: str, content: bytes, message: str
) -> None:
    client = cast.client(cast.applicant)
    draft = _draft(cast, client)
    upload = SimpleUploadedFile(name, content)
    response = client.post(f"/applications/{draft.pk}/materials/", {"file": upload}, follow=True)
    html = response.content.decode()
    assert "申报材料" in html and message in html  # the error names the field, in Chinese
    assert not Material.objects.exists()
    assert _files(media_root) == []


def test_too_large_upload_leaves_no_row_and_no_file(cast: Cast, media_root: Path, settings: object) -> None:
    settings.JINCHUANG_MATERIAL_MAX_BYTES = 1024  # type: ignore[attr-defined]
    client = cast.client(cast.applicant)
    draft = _draft(cast, client)
    upload = SimpleUploadedFile("big.png", PNG + b"\x00" * 300_000, content_type="image/png")
    response = client.post(f"/applications/{draft.pk}/materials/", {"file": upload}, follow=True)
    assert "申报材料: 文件超过大小上限" in response.content.decode()
    assert not Material.objects.exists()
    assert _files(media_root) == []


def test_upload_without_a_file_is_explained(cast: Cast) -> None:
    client = cast.client(cast.applicant)
    draft = _draft(cast, client)
    response = client.post(f"/applications/{draft.pk}/materials/", {}, follow=True)
    assert "申报材料: 请选择要上传的文件" in response.content.decode()


def test_no_upload_after_submission(cast: Cast, media_root: Path) -> None:
    client = cast.client(cast.applicant)
    draft = _draft(cast, client)
    client.post("/applications/apply/jc-3/submit/", case_post(startup_case(), idempotency_key="k-materials"))
    upload = SimpleUploadedFile("late.pdf", PDF)
    response = client.post(f"/applications/{draft.pk}/materials/", {"file": upload}, follow=True)
    assert "当前状态不能上传材料" in response.content.decode()
    assert not Material.objects.exists() and _files(media_root) == []
