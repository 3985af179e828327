"""Department data import pages: upload → mapping (pre-filled from the header) → progress → report."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jinchuang.accounts.models import Role, User
from jinchuang.records.models import DataImport
from jinchuang.tasks.services import run_pending
from tests.factories import make_user
from tests.records.department_lists import gaoqi_list

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def reviewer() -> User:
    return make_user(roles={Role.REVIEWER: "市科技局"}, password=None)


def client_for(user: User, language: str = "zh-hans") -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


def selected(html: str, name: str) -> str | None:
    """The selected option's value of the select ``name``."""
    block = re.search(rf'<select name="{re.escape(name)}".*?</select>', html, re.S)
    assert block is not None, name
    option = re.search(r'<option value="([^"]*)" selected>', block.group(0))
    return option.group(1) if option else None


def upload_step(client: Client, content: bytes, name: str = "2025年高企名单.xlsx") -> Any:
    return client.post(
        "/records/imports/new/",
        {
            "file": SimpleUploadedFile(name, content),
            "event_type": "certification_granted",
            "source": "市科技局 2025年高新技术企业认定名单",
        },
    )


def test_upload_mapping_progress_and_report(reviewer: User) -> None:
    department_list = gaoqi_list(40, unmatched=2, bad_check=1, no_date=1, bad_date=1, bad_cert=1)
    client = client_for(reviewer)
    assert client.get("/records/imports/new/").status_code == 200
    content = department_list.xlsx()
    response = upload_step(client, content)
    assert response.status_code == 302
    mapping_url = response["Location"]
    assert mapping_url.startswith("/records/imports/new/") and "event_type=certification_granted" in mapping_url
    page = client.get(mapping_url)
    html = page.content.decode()
    assert page.status_code == 200
    # pre-filled where a header equals the field's label (资质) or a usual name (认定日期, 证书编号)
    assert selected(html, "map-uscc") == "统一社会信用代码"
    assert selected(html, "map-date") == "认定日期"
    assert selected(html, "map-cert") == "资质"
    assert selected(html, "map-ref") == "证书编号"
    assert selected(html, "map-first_time") is None
    assert "高新技术企业" in html and "high_tech" not in html  # options by their labels
    form = {
        "step": "start",
        "event_type": "certification_granted",
        "source": "市科技局 2025年高新技术企业认定名单",
        "map-uscc": "统一社会信用代码",
        "map-date": "认定日期",
        "map-cert": "资质",
        "map-ref": "证书编号",
        "const-first_time": "是",
    }
    response = client.post(mapping_url, form)
    assert response.status_code == 302
    data_import = DataImport.objects.get()
    assert response["Location"] == f"/records/imports/{data_import.pk}/"
    # queued: the page polls its progress fragment every second
    html = client.get(response["Location"]).content.decode()
    assert f'hx-get="/records/imports/{data_import.pk}/progress/"' in html and 'hx-trigger="every 1s"' in html
    assert 'data-state="queued"' in html and "0 / 40" in html
    assert run_pending() >= 1
    fragment = client.get(f"/records/imports/{data_import.pk}/progress/").content.decode()
    assert 'data-state="done"' in fragment and "hx-get" not in fragment
    html = client.get(f"/records/imports/{data_import.pk}/").content.decode()
    assert re.search(rf'data-testid="count-created">\s*{len(department_list.good)}<', html)
    for row, (column, _kind) in department_list.expected_problems().items():
        match = re.search(rf'data-testid="problem-{row}"><td class="num">{row}</td><td>([^<]*)</td>', html)
        assert match is not None and match.group(1) == column, row
    for organisation in department_list.organisations:
        link = f'href="/records/{organisation.pk}/"'
        assert (link in html) == (organisation.unified_social_credit_code in department_list.good)
    listing = client.get("/records/imports/").content.decode()
    assert "市科技局 2025年高新技术企业认定名单" in listing
    assert f'data-testid="import-state-{data_import.pk}">已完成' in listing

    # the same file again, the same settings: the earlier import, nothing new
    again = upload_step(client, content, "again.xlsx")
    response = client.post(again["Location"], form, follow=True)
    assert DataImport.objects.count() == 1
    assert response.redirect_chain[-1][0] == f"/records/imports/{data_import.pk}/"
    assert "已按相同设置导入过" in response.content.decode()


def test_errors_are_shown_beside_their_field(reviewer: User) -> None:
    department_list = gaoqi_list(5, unmatched=0, bad_check=0, no_date=0, bad_date=0, bad_cert=0)
    client = client_for(reviewer)
    response = client.post("/records/imports/new/", {"event_type": "certification_granted", "source": ""})
    html = response.content.decode()
    assert response.status_code == 400 and 'data-testid="error-file"' in html and 'data-testid="error-source"' in html
    response = upload_step(client, b"%PDF-1.4 not a list", "list.pdf")
    assert response.status_code == 400 and "只接受 CSV、XLSX 文件" in response.content.decode()
    mapping_url = upload_step(client, department_list.csv(), "a.csv")["Location"]
    response = client.post(
        mapping_url,
        {"step": "start", "event_type": "certification_granted", "source": "名单", "map-uscc": "统一社会信用代码"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert re.search(r'data-testid="error-date">请为“发生日期”选择名单中的列<', html)
    assert DataImport.objects.count() == 0


def test_only_reviewers_and_administrators_see_the_pages(reviewer: User) -> None:
    department_list = gaoqi_list(5, unmatched=0, bad_check=0, no_date=0, bad_date=0, bad_cert=0)
    client = client_for(reviewer)
    mapping_url = upload_step(client, department_list.csv(), "a.csv")["Location"]
    form = {
        "step": "start",
        "event_type": "certification_granted",
        "source": "名单",
        "map-uscc": "统一社会信用代码",
        "map-date": "认定日期",
        "map-cert": "资质",
    }
    detail = client.post(mapping_url, form)["Location"]
    urls = ["/records/imports/", "/records/imports/new/", mapping_url, detail, f"{detail}progress/"]
    for role in (Role.APPLICANT, Role.SERVICE_AGENT, Role.EXPERT, Role.FINANCE):
        other = client_for(make_user(roles={role: ""}, password=None))
        for url in urls:
            assert other.get(url).status_code == 403, (role, url)
    anonymous = Client()
    for url in urls:
        assert anonymous.get(url).status_code == 302
    another_reviewer = client_for(make_user(roles={Role.REVIEWER: "市工信局"}, password=None))
    assert another_reviewer.get(detail).status_code == 404  # another officer's import
    assert another_reviewer.get(mapping_url).status_code == 404  # another officer's upload
    assert 'data-testid="imports"' in another_reviewer.get("/records/imports/").content.decode()
    admin = client_for(make_user(roles={Role.ADMIN: ""}, password=None))
    assert admin.get(detail).status_code == 200


def test_the_pages_speak_english(reviewer: User) -> None:
    client = client_for(reviewer, "en")
    html = client.get("/records/imports/new/").content.decode()
    assert "Import a list" in html and "Department data import" in html and "导入名单" not in html
    html = client.get("/records/imports/").content.decode()
    assert "No list has been imported yet." in html
