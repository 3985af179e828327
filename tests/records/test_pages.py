"""The record's pages: a member's own record, an officer in scope, out of scope (404), another member
(404), declaring with errors beside the field, the same fact twice, verify / reject / correct, English."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse

from jinchuang.accounts.models import User
from jinchuang.records.evidence import evidence_upload
from jinchuang.records.models import Contact, Fact, FactState
from jinchuang.records.services import fact_declare, fact_enter
from tests.applications.conftest import Cast
from tests.records.conftest import contract, high_tech

PDF = b"%PDF-1.4\n% evidence\n"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _text(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def test_member_sees_own_record_with_entitlements(linfen: Cast) -> None:
    org = linfen.organisation
    Contact.objects.create(organisation=org, name="刘经理", phone="13812345678")
    fact_enter(organisation=org, event_data=high_tech(), actor=linfen.agent, note="认定名单")
    fact_declare(organisation=org, event_data=contract("800000"), actor=linfen.applicant)
    page = _text(_client(linfen.applicant).get(reverse("records:mine")))
    assert org.name in page
    assert "138****5678" in page and "13812345678" not in page
    assert "高新技术企业" in page  # certification (verified)
    assert "800,000.00 元" in page  # money in yuan
    assert 'data-testid="qualified-lf-cx-5"' in page and "100,000.00" in page
    assert "待核验" in page and "工作人员录入" in page
    assert "records:" not in page and "tech_contract_registered" not in page  # no codes


def test_officer_in_scope_out_of_scope_and_other_member(linfen: Cast) -> None:
    url = reverse("records:organisation", args=[linfen.organisation.pk])
    page = _client(linfen.agent).get(url)
    assert page.status_code == 200 and 'data-testid="enter-link"' in _text(page)
    assert _client(linfen.other_agent).get(url).status_code == 404
    assert _client(linfen.other_applicant).get(url).status_code == 404
    assert _client(linfen.admin).get(url).status_code == 200
    assert _client(linfen.applicant).get(url).status_code == 302  # own: the member's page
    assert _client(linfen.other_agent).get(reverse("records:enter", args=[linfen.organisation.pk])).status_code == 404


def test_declare_form_errors_beside_field_and_duplicate(linfen: Cast) -> None:
    client = _client(linfen.applicant)
    form = _text(client.get(reverse("records:declare"), {"type": "tech_contract_registered"}))
    assert ('name="ev-amount"' in form and "合同成交额" in form) or "金额" in form
    bad = client.post(
        reverse("records:declare"),
        {"type": "tech_contract_registered", "date": "2025-06-01", "ev-amount": "abc", "ev-mode": "transfer"},
    )
    assert bad.status_code == 400
    assert 'class="field-error"' in _text(bad) and not Fact.objects.exists()
    ok = {
        "type": "tech_contract_registered",
        "date": "2025-06-01",
        "ev-amount": "800000",
        "ev-mode": "transfer",
        "ev-role": "buyer",
        "evidence": io.BytesIO(PDF),
    }
    ok["evidence"].name = "合同.pdf"  # type: ignore[attr-defined]
    assert client.post(reverse("records:declare"), ok).status_code == 302
    fact = Fact.objects.get()
    assert fact.state == FactState.DECLARED and fact.evidence.count() == 1
    again = client.post(
        reverse("records:declare"),
        {
            "type": "tech_contract_registered",
            "date": "2025-06-01",
            "ev-amount": "800,000",
            "ev-mode": "transfer",
            "ev-role": "buyer",
        },
        follow=True,
    )
    assert "无需重复申报" in _text(again) and Fact.objects.count() == 1
    wrong = client.post(
        reverse("records:declare"),
        {"type": "certification_granted", "date": "2025-06-01", "ev-cert": "high_tech", "evidence": io.BytesIO(b"MZ")},
    )
    assert wrong.status_code == 400 and "PDF" in _text(wrong)


def test_evidence_download_access(linfen: Cast) -> None:
    evidence = evidence_upload(
        file=io.BytesIO(PDF), original_name="证书.pdf", actor=linfen.applicant, organisation=linfen.organisation
    )
    url = reverse("records:evidence", args=[evidence.pk])
    response = _client(linfen.applicant).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    officer = _client(linfen.agent).get(url)
    assert officer.status_code == 200
    assert b"".join(officer.streaming_content) == PDF  # type: ignore[attr-defined]
    assert _client(linfen.other_applicant).get(url).status_code == 404
    assert _client(linfen.other_agent).get(url).status_code == 404


def test_officer_verifies_rejects_and_member_corrects(linfen: Cast) -> None:
    org = linfen.organisation
    a, _ = fact_declare(organisation=org, event_data=contract("100000"), actor=linfen.applicant)
    b, _ = fact_declare(organisation=org, event_data=contract("200000"), actor=linfen.applicant)
    officer = _client(linfen.agent)
    officer_page = _text(officer.get(reverse("records:organisation", args=[org.pk])))
    assert f'data-testid="verify-{a.pk}"' in officer_page and f'data-testid="reject-{b.pk}"' in officer_page
    assert 'name="csrfmiddlewaretoken"' in officer_page
    assert f'data-testid="verify-{a.pk}"' not in _text(_client(linfen.applicant).get(reverse("records:mine")))
    assert officer.post(reverse("records:verify", args=[a.pk]), {"note": "已核对"}).status_code == 302
    missing = officer.post(reverse("records:reject", args=[b.pk]), {"reason": ""}, follow=True)
    assert "请填写驳回理由" in _text(missing)
    officer.post(reverse("records:reject", args=[b.pk]), {"reason": "金额不符"})
    assert Fact.objects.get(pk=a.pk).state == FactState.VERIFIED
    assert Fact.objects.get(pk=b.pk).state == FactState.REJECTED
    assert _client(linfen.other_agent).post(reverse("records:verify", args=[a.pk])).status_code == 404
    served = _text(officer.get(reverse("records:served")))
    assert org.name in served

    member = _client(linfen.applicant)
    url = reverse("records:correct", args=[a.pk])
    assert 'value="100000.00"' in _text(member.get(url))
    no_reason = member.post(
        url, {"date": "2025-06-01", "ev-amount": "120000", "ev-mode": "transfer", "ev-role": "buyer"}
    )
    assert no_reason.status_code == 400 and "请填写更正理由" in _text(no_reason)
    member.post(
        url,
        {"date": "2025-06-01", "ev-amount": "120000", "ev-mode": "transfer", "ev-role": "buyer", "reason": "金额录错"},
    )
    new = Fact.objects.get(supersedes=a)
    assert new.fields["amount"] == 12_000_000
    page = _text(member.get(reverse("records:mine")))
    assert f'data-testid="fact-history-{new.pk}"' in page and "金额录错" in page


@pytest.mark.parametrize("path", ["records:mine", "records:declare"])
def test_english_page_renders_english(linfen: Cast, path: str) -> None:
    client = _client(linfen.applicant)
    client.cookies["django_language"] = "en"
    page = _text(client.get(reverse(path), HTTP_ACCEPT_LANGUAGE="en"))
    assert "Organisation record" in page
    assert "机构档案" not in page
