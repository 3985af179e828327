"""A refused 申报材料 upload shows its Chinese message beside the file field (.field.has-error, p.field-error),
through HTMX (the block alone) and without JavaScript (the form page again); nothing is kept."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jinchuang.applications.models import Application, Material
from tests.applications.web.conftest import Cast, case_post, startup_case

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HTMX = {"HTTP_HX_REQUEST": "true"}
FIELD = re.compile(r'<div class="field( has-error)?">\s*<label for="upload-file">.*?</div>', re.S)


def _draft(cast: Cast, client: Client) -> Application:
    client.post("/applications/apply/jc-3/draft/", case_post(startup_case(), idempotency_key="k-upload-errors"))
    return Application.objects.get(organisation=cast.organisation, idempotency_key="k-upload-errors")


def _file_field(html: str) -> tuple[bool, str]:
    """(marked as an error, the field's HTML) of the upload form's file field."""
    match = FIELD.search(html)
    assert match, "the upload form has its file field"
    return bool(match.group(1)), match.group(0)


def _files(media_root: Path) -> list[Path]:
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


REFUSALS = [
    pytest.param({"file": ("run.exe", b"MZ\x90\x00")}, "只接受 PDF、JPG、PNG 文件", id="wrong-type"),
    pytest.param({"file": ("scan.pdf", b"<html></html>")}, "文件内容与扩展名不符", id="content-mismatch"),
    pytest.param({"file": ("empty.pdf", b"")}, "文件为空", id="empty-file"),
    pytest.param({"file": ("big.png", PNG + b"\x00" * 4096)}, "文件超过大小上限", id="too-large"),
    pytest.param({}, "请选择要上传的文件", id="no-file"),
]


def _post(client: Client, pk: int, files: dict[str, tuple[str, bytes]], **headers: Any) -> Any:
    data = {key: SimpleUploadedFile(name, content) for key, (name, content) in files.items()}
    return client.post(f"/applications/{pk}/materials/", data, **headers)


@pytest.mark.parametrize(("files", "message"), REFUSALS)
def test_htmx_refusal_returns_the_block_with_the_message_beside_the_field(
    cast: Cast, media_root: Path, settings: Any, files: dict[str, tuple[str, bytes]], message: str
) -> None:
    settings.JINCHUANG_MATERIAL_MAX_BYTES = 1024
    client = cast.client(cast.applicant)
    draft = _draft(cast, client)
    response = _post(client, draft.pk, files, **HTMX)
    assert response.status_code == 200  # htmx swaps only 2xx responses into #materials
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="materials"') and "<html" not in html  # the block, not a page
    has_error, field = _file_field(html)
    assert has_error, "the file field is marked .has-error"
    assert re.search(rf'<p class="field-error"[^>]*>[^<]*{re.escape(message)}', field)
    assert 'aria-invalid="true"' in field
    assert not Material.objects.exists() and _files(media_root) == []


@pytest.mark.parametrize(("files", "message"), REFUSALS)
def test_plain_post_refusal_renders_the_form_again_with_the_message_beside_the_field(
    cast: Cast, media_root: Path, settings: Any, files: dict[str, tuple[str, bytes]], message: str
) -> None:
    settings.JINCHUANG_MATERIAL_MAX_BYTES = 1024
    client = cast.client(cast.applicant)
    draft = _draft(cast, client)
    response = _post(client, draft.pk, files)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="apply-form"' in html  # the form page, with the draft's facts
    assert 'value="2000000"' in html  # startup_case's 实缴资本 kept in its field
    has_error, field = _file_field(html)
    assert has_error and message in field and 'class="field-error"' in field
    summary = re.search(r'data-testid="form-errors">(.*?)</div>', html, re.S)
    assert summary and f"申报材料: {message}" in summary.group(1)  # the summary names the field in words
    assert not Material.objects.exists() and _files(media_root) == []


def test_accepted_upload_through_htmx_lists_the_file_and_clears_the_error(cast: Cast, media_root: Path) -> None:
    client = cast.client(cast.applicant)
    draft = _draft(cast, client)
    refused = _post(client, draft.pk, {"file": ("run.exe", b"MZ")}, **HTMX).content.decode()
    assert _file_field(refused)[0]
    response = _post(client, draft.pk, {"file": ("营业执照.pdf", PDF)}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "已上传: 营业执照.pdf" in html and ">营业执照.pdf</a>" in html
    has_error, field = _file_field(html)
    assert not has_error and "field-error" not in field
    assert Material.objects.filter(application=draft).count() == 1 and len(_files(media_root)) == 1


def test_a_field_without_error_is_not_marked(cast: Cast) -> None:
    client = cast.client(cast.applicant)
    draft = _draft(cast, client)
    has_error, field = _file_field(client.get(f"/applications/{draft.pk}/edit/").content.decode())
    assert not has_error and "field-error" not in field and "每个文件不超过 10.0\xa0MB" in field


def test_htmx_refusal_after_submission_says_so_without_an_upload_field(cast: Cast, media_root: Path) -> None:
    client = cast.client(cast.applicant)
    draft = _draft(cast, client)
    client.post("/applications/apply/jc-3/submit/", case_post(startup_case(), idempotency_key="k-upload-errors"))
    html = _post(client, draft.pk, {"file": ("late.pdf", PDF)}, **HTMX).content.decode()
    assert "当前状态不能上传材料" in html and 'name="file"' not in html
    assert not Material.objects.exists() and _files(media_root) == []
