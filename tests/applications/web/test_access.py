"""Role × URL: an enterprise gets 404 (never 403) on another enterprise's application, materials and
ledger rows; anonymous visitors are sent to log in; a reviewer sees only their department's queue."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jinchuang.applications.materials import material_upload
from jinchuang.applications.models import Application
from jinchuang.applications.services import application_approve, application_save_draft, application_transition
from tests.applications.web.conftest import Cast, startup_case, submitted, tech_case
from tests.factories import verify_facts

pytestmark = pytest.mark.django_db


def _approved(cast: Cast) -> Application:
    assert cast.organisation is not None
    draft = application_save_draft(
        organisation=cast.organisation,
        measure_id="jc-8",
        case_data=tech_case(),
        idempotency_key="k-access",
        actor=cast.applicant,
    )
    material_upload(
        application=draft, file=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"), original_name="a.pdf", actor=cast.applicant
    )
    application = application_transition(
        application=draft, transition="submit", actor=cast.applicant, case_data=tech_case()
    )
    for name in ("accept", "pass_initial_review"):
        application = application_transition(application=application, transition=name, actor=cast.agent)
    application = application_transition(
        application=application, transition="pass_department_review", actor=cast.reviewer
    )
    verify_facts(application, cast.agent)
    return application_approve(application=application, amount_fen=24_000_000, reason="", actor=cast.reviewer)


def _urls(application: Application) -> dict[str, tuple[str, str]]:
    material = application.materials.get()
    pk = application.pk
    return {
        "detail": ("get", f"/applications/{pk}/"),
        "edit": ("get", f"/applications/{pk}/edit/"),
        "material": ("get", f"/applications/{pk}/materials/{material.pk}/"),
        "upload": ("post", f"/applications/{pk}/materials/"),
        "act-withdraw": ("post", f"/applications/{pk}/act/withdraw/"),
        "act-approve": ("post", f"/applications/{pk}/act/approve/"),
        "score": ("post", f"/applications/{pk}/score/"),
        "resubmit": ("post", f"/applications/{pk}/resubmit/"),
        "ledger-of-org": ("get", f"/applications/ledger/?organisation={application.organisation_id}"),
        "export-of-org": ("get", f"/applications/ledger/export.xlsx?organisation={application.organisation_id}"),
        "pay": ("post", f"/applications/instalments/{application.award.instalments.get().pk}/pay/"),
    }


def test_another_enterprise_gets_404_everywhere(cast: Cast) -> None:
    application = _approved(cast)
    client = cast.client(cast.other_applicant)
    for name, (method, url) in _urls(application).items():
        response = getattr(client, method)(url)
        assert response.status_code == 404, (name, response.status_code)


def test_a_reviewer_of_another_department_gets_404(cast: Cast) -> None:
    application = _approved(cast)
    client = cast.client(cast.other_reviewer)
    for name, (method, url) in _urls(application).items():
        if name.startswith(("ledger", "export", "pay")):
            continue
        assert getattr(client, method)(url).status_code == 404, name


def test_owner_and_staff_can_open_it(cast: Cast) -> None:
    application = _approved(cast)
    urls = _urls(application)
    for user in (cast.applicant, cast.agent, cast.reviewer, cast.finance):
        client = cast.client(user)
        assert client.get(urls["detail"][1]).status_code == 200
        download = client.get(urls["material"][1])
        assert download.status_code == 200
        b"".join(download.streaming_content)  # type: ignore[attr-defined]  # finish the stream, keep the DB connection
    for user in (cast.applicant, cast.reviewer, cast.finance):
        html = cast.client(user).get(urls["ledger-of-org"][1]).content.decode()
        assert cast.organisation.name in html


def test_anonymous_is_sent_to_login(cast: Cast) -> None:
    application = _approved(cast)
    client = Client()
    for name, (method, url) in _urls(application).items():
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/login/" in response["Location"], name
    for url in ("/applications/", "/applications/queue/", "/applications/ledger/", "/applications/notifications/"):
        assert client.get(url).status_code == 302


def test_public_notice_is_public(cast: Cast) -> None:
    application = _approved(cast)
    html = Client().get("/applications/public-notice/").content.decode()
    assert f'data-testid="notice-{application.pk}"' in html


def test_queues_by_role(cast: Cast) -> None:
    application = submitted(cast.applicant, startup_case())
    row = f'data-testid="queue-row-{application.pk}"'
    assert row in cast.client(cast.agent).get("/applications/queue/").content.decode()
    assert row not in cast.client(cast.reviewer).get("/applications/queue/").content.decode()  # not yet theirs
    assert row not in cast.client(cast.other_applicant).get("/applications/queue/").content.decode()
    assert row in cast.client(cast.applicant).get("/applications/queue/").content.decode()
