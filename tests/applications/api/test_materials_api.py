"""Uploads through the API: accepted types only, 400 naming ``file``, no row and no file on failure;
downloads as attachments with nosniff; 404 for other organisations' materials."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jinchuang.applications.models import Material
from jinchuang.applications.workflow import State
from tests.applications.api.conftest import api_for, release
from tests.applications.conftest import Cast, submit, walk

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def returned_application(cast: Cast) -> Any:
    """Materials may be added to a case sent back for more information (退回补正)."""
    application = walk(submit(cast), cast, State.INITIAL_REVIEW)
    api_for(cast.agent).post(f"/applications/{application.pk}/transitions/return", {"message": "请补充材料"})
    application.refresh_from_db()
    assert application.state == State.RETURNED
    return application


def test_upload_then_download_as_an_attachment(cast: Cast, media: Path) -> None:
    application = returned_application(cast)
    api = api_for(cast.applicant)
    uploaded = api.upload(f"/applications/{application.pk}/materials", "合同.pdf", PDF)
    assert uploaded.status_code == 201, uploaded.content
    data = uploaded.json()
    assert data["original_name"] == "合同.pdf"
    assert data["content_type"] == "application/pdf"
    assert data["size"] == len(PDF)
    listed = api.get(f"/applications/{application.pk}/materials").json()
    assert [m["id"] for m in listed] == [data["id"]]
    download = api.client.get(data["download_url"], headers={"Authorization": f"Bearer {api.token}"})
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download.getvalue() == PDF
    release(download)
    stored = Material.objects.get(pk=data["id"]).stored_name
    assert "合同" not in stored and stored.endswith(".pdf")  # a server-generated name
    # the service agent and the department may read it too
    by_agent = api_for(cast.agent).get(f"/applications/{application.pk}/materials/{data['id']}")
    assert by_agent.status_code == 200
    release(by_agent)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("script.exe", b"MZ\x90\x00", "wrong_type"),
        ("page.html", b"<html><script>alert(1)</script>", "wrong_type"),
        ("fake.pdf", b"<html>not a pdf</html>", "content_mismatch"),
        ("fake.png", PDF, "content_mismatch"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_a_refused_file_names_the_field_and_leaves_nothing(
    cast: Cast, media: Path, name: str, content: bytes, code: str
) -> None:
    application = returned_application(cast)
    response = api_for(cast.applicant).upload(f"/applications/{application.pk}/materials", name, content)
    assert response.status_code == 400, response.content
    assert response.json()["error"] == code
    assert response.json()["errors"][0]["field"] == "file"
    assert Material.objects.count() == 0
    assert files_under(media) == []


def test_too_large_is_refused_with_no_partial_file(cast: Cast, media: Path, settings: Any) -> None:
    settings.JINCHUANG_MATERIAL_MAX_BYTES = 1024
    application = returned_application(cast)
    big = b"%PDF-" + b"0" * 300_000
    response = api_for(cast.applicant).upload(f"/applications/{application.pk}/materials", "big.pdf", big)
    assert response.status_code == 400
    assert response.json()["error"] == "too_large"
    assert Material.objects.count() == 0
    assert files_under(media) == []


def test_a_disk_error_is_503_with_no_row_and_no_file(cast: Cast, media: Path, monkeypatch: Any) -> None:
    application = returned_application(cast)

    def broken_replace(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("jinchuang.records.evidence.os.replace", broken_replace)
    response = api_for(cast.applicant).upload(f"/applications/{application.pk}/materials", "a.png", PNG)
    assert response.status_code == 503
    assert response.json()["errors"][0]["field"] == "file"
    assert Material.objects.count() == 0
    assert files_under(media) == []


def test_a_submitted_case_takes_no_uploads_and_others_cannot_touch_it(cast: Cast, media: Path) -> None:
    application = submit(cast)
    path = f"/applications/{application.pk}/materials"
    assert api_for(cast.applicant).upload(path, "a.pdf", PDF).json()["error"] == "not_editable"
    assert api_for(cast.other_applicant).upload(path, "a.pdf", PDF).status_code == 404
    assert api_for(cast.agent).upload(path, "a.pdf", PDF).status_code in (400, 403)
    assert Material.objects.count() == 0 and files_under(media) == []


def test_another_enterprise_gets_404_on_the_material_and_ids_do_not_cross(cast: Cast, media: Path) -> None:
    application = returned_application(cast)
    uploaded = api_for(cast.applicant).upload(f"/applications/{application.pk}/materials", "a.pdf", PDF).json()
    url = f"/applications/{application.pk}/materials/{uploaded['id']}"
    outsider = api_for(cast.other_applicant)
    assert outsider.get(url).status_code == 404
    assert outsider.get(f"/applications/{application.pk}/materials").status_code == 404
    # the material id under another (visible) application is not found either
    other = submit(cast)
    assert api_for(cast.applicant).get(f"/applications/{other.pk}/materials/{uploaded['id']}").status_code == 404
    # a file gone from the disk answers 404, not 500
    for path in files_under(media):
        path.unlink()
    assert api_for(cast.applicant).get(url).status_code == 404
