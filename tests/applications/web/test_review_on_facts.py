"""Review on facts: the review pages show every fact an application relies on (provenance, evidence,
state, who verified it) and the engine's explanation in Chinese; officers verify or reject facts there;
approval is refused while a relied-on fact is not verified; the award becomes a prior grant."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jinchuang.applications.errors import ApplicationError
from jinchuang.applications.materials import material_upload
from jinchuang.applications.models import Application
from jinchuang.applications.services import (
    application_approve,
    application_save_draft,
    application_submit,
    application_transition,
)
from jinchuang.applications.workflow import State
from jinchuang.records.models import AWARD_FACT, Fact, FactState, Provenance
from jinchuang.records.selectors import record_case
from tests.applications.web.conftest import Cast, submitted, tech_case

pytestmark = pytest.mark.django_db


def _to_approval(cast: Cast) -> Application:
    application = submitted(cast.applicant, tech_case(), "jc-8")
    for name in ("accept", "pass_initial_review"):
        application = application_transition(application=application, transition=name, actor=cast.agent)
    return application_transition(application=application, transition="pass_department_review", actor=cast.reviewer)


def test_the_typed_contract_is_a_declared_fact_of_the_record_that_the_application_rests_on(cast: Cast) -> None:
    application = _to_approval(cast)
    (fact,) = application.facts.all()
    assert (fact.event_type, fact.provenance, fact.state) == (
        "tech_contract_registered",
        Provenance.DECLARED,
        "declared",
    )
    assert fact.fields["amount"] == 120_000_000  # fen: stored normalised
    assert fact.organisation_id == cast.organisation.pk


def test_approval_is_refused_while_a_relied_on_fact_is_unverified_then_allowed(cast: Cast) -> None:
    application = _to_approval(cast)
    with pytest.raises(ApplicationError) as refused:
        application_approve(
            application=application, amount_fen=application.engine_max_fen, reason="", actor=cast.reviewer
        )
    assert refused.value.field == "facts" and refused.value.code == "facts_unverified"
    assert "技术合同认定登记" in str(refused.value.messages[0])
    application.refresh_from_db()
    assert (
        application.state == State.APPROVAL and not hasattr(application, "award")
    ) or application.approved_amount_fen is None
    page = cast.client(cast.reviewer).get(f"/applications/{application.pk}/").content.decode()
    assert 'data-testid="facts-pending"' in page


def test_a_rejected_fact_blocks_approval_too(cast: Cast) -> None:
    application = _to_approval(cast)
    fact = application.facts.get()
    agent = cast.client(cast.agent)
    response = agent.post(
        f"/applications/{application.pk}/facts/{fact.pk}/reject/", {"reason": "合同未登记"}, follow=True
    )
    assert "事实已驳回" in response.content.decode()
    fact.refresh_from_db()
    assert fact.state == FactState.REJECTED and fact.note == "合同未登记"
    with pytest.raises(ApplicationError) as refused:
        application_approve(
            application=application, amount_fen=application.engine_max_fen, reason="", actor=cast.reviewer
        )
    assert refused.value.code == "facts_unverified"


def test_the_reviewer_sees_the_fact_its_provenance_and_the_explanation_without_code(cast: Cast) -> None:
    application = _to_approval(cast)
    fact = application.facts.get()
    page = cast.client(cast.reviewer).get(f"/applications/{application.pk}/").content.decode()
    assert f'data-testid="fact-{fact.pk}"' in page
    assert "技术合同认定登记" in page and "机构申报" in page and "待核验" in page
    assert "1,200,000.00" in page  # the amount as money, not fen
    explanation = page.split('data-testid="explanation"', 1)[1].split("</ol>", 1)[0]
    assert "240,000.00" in explanation and "技术合同认定登记" in explanation
    assert "amount" not in explanation and "*" not in explanation  # no expression shown


def test_the_agent_verifies_on_the_review_page_and_the_approval_goes_through(cast: Cast) -> None:
    application = _to_approval(cast)
    fact = application.facts.get()
    reviewer = cast.client(cast.reviewer)
    refused = reviewer.post(f"/applications/{application.pk}/act/approve/", {"amount": "240000"}, follow=True)
    assert "依据的事实" in refused.content.decode() and "尚未核验" in refused.content.decode()
    assert Application.objects.get(pk=application.pk).state == State.APPROVAL
    # an officer who does not serve the organisation cannot verify (404), the applicant neither
    assert (
        cast.client(cast.other_reviewer).post(f"/applications/{application.pk}/facts/{fact.pk}/verify/").status_code
        == 404
    )
    cast.client(cast.applicant).post(f"/applications/{application.pk}/facts/{fact.pk}/verify/", {"note": "自己核验"})
    assert Fact.objects.get(pk=fact.pk).state == FactState.DECLARED
    agent = cast.client(cast.agent)
    page = agent.get(f"/applications/{application.pk}/").content.decode()
    assert f'data-testid="fact-verify-{fact.pk}"' in page
    agent.post(f"/applications/{application.pk}/facts/{fact.pk}/verify/", {"note": "已核对合同登记证明原件"})
    fact.refresh_from_db()
    assert fact.state == FactState.VERIFIED and fact.decided_by == cast.agent
    page = reviewer.get(f"/applications/{application.pk}/").content.decode()
    assert "已核对合同登记证明原件" in page and "李专员" in page
    reviewer.post(f"/applications/{application.pk}/act/approve/", {"amount": "240000"})
    assert Application.objects.get(pk=application.pk).state == State.PUBLIC_NOTICE


def test_the_award_is_a_prior_grant_of_later_calculations_and_the_same_contract_pays_nothing_again(cast: Cast) -> None:
    application = _to_approval(cast)
    fact = application.facts.get()
    cast.client(cast.agent).post(f"/applications/{application.pk}/facts/{fact.pk}/verify/", {"note": "核对"})
    application_approve(application=application, amount_fen=application.engine_max_fen, reason="", actor=cast.reviewer)
    award_fact = Fact.objects.get(organisation=cast.organisation, event_type=AWARD_FACT)
    assert award_fact.state == FactState.VERIFIED and award_fact.provenance == Provenance.PLATFORM
    assert award_fact.fields["amount_fen"] == 24_000_000 and fact.digest in award_fact.fields["events"]
    record = record_case(cast.organisation, as_of=timezone.localdate(), event_types=["tech_contract_registered"])
    assert record.case_data["prior_grants"] == [
        {
            "matter": "tech_transaction",
            "amount": "240000.00",
            "date": award_fact.date.isoformat(),
            "policy": award_fact.fields["policy"],
            "level": "city",
        }
    ]
    with pytest.raises(ApplicationError) as again:
        application_submit(
            organisation=cast.organisation,
            measure_id="jc-8",
            case_data=tech_case(),
            idempotency_key="second-time",
            actor=cast.applicant,
        )
    assert again.value.code == "nothing_to_pay"
    assert "就高不重复" in str(again.value.messages[0])


def test_the_materials_of_the_application_are_the_evidence_of_the_facts_declared_with_it(
    cast: Cast, media_root: Any
) -> None:
    draft = application_save_draft(
        organisation=cast.organisation,
        measure_id="jc-8",
        case_data=tech_case(),
        idempotency_key="k-evidence",
        actor=cast.applicant,
    )
    material_upload(
        application=draft,
        file=SimpleUploadedFile("合同.pdf", b"%PDF-1.4 contract"),
        original_name="技术合同登记证明.pdf",
        actor=cast.applicant,
    )
    application = application_transition(
        application=draft, transition="submit", actor=cast.applicant, case_data=tech_case()
    )
    fact = application.facts.get()
    (evidence,) = fact.evidence.all()
    assert evidence.original_name == "技术合同登记证明.pdf"
    assert evidence.stored_name == application.materials.get().stored_name  # the same file, not a copy
    page = cast.client(cast.agent).get(f"/applications/{application.pk}/").content.decode()
    assert "技术合同登记证明.pdf" in page.split(f'data-testid="fact-evidence-{fact.pk}"', 1)[1].split("</dd>", 1)[0]
    download = cast.client(cast.agent).get(f"/records/evidence/{evidence.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 contract"  # type: ignore[attr-defined]
    download.close()
