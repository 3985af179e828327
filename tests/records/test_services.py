"""The record's writes as the faces use them: one contract is one fact, decisions, permissions, masking."""

from __future__ import annotations

import pytest

from jinchuang.audit.actions import AuditAction
from jinchuang.audit.models import AuditLog
from jinchuang.records.errors import RecordError, RecordPermissionDenied
from jinchuang.records.models import Fact, FactState, Provenance
from jinchuang.records.services import (
    fact_declare,
    fact_enter,
    fact_reject,
    fact_supersede,
    fact_verify,
    mask_subject,
)
from tests.applications.conftest import Cast
from tests.records.conftest import contract


@pytest.mark.parametrize("typed", ["800000", "800000.00", 800000, "800,000"])
def test_one_contract_is_one_fact_however_typed(linfen: Cast, typed: object) -> None:
    first, created = fact_declare(
        organisation=linfen.organisation, event_data=contract("800000"), actor=linfen.applicant
    )
    again, created_again = fact_declare(
        organisation=linfen.organisation, event_data=contract(typed), actor=linfen.applicant
    )
    assert created and not created_again
    assert again.pk == first.pk
    assert first.fields["amount"] == 80_000_000  # fen
    assert Fact.objects.filter(organisation=linfen.organisation).count() == 1


def test_verify_reject_supersede(linfen: Cast) -> None:
    a, _ = fact_declare(organisation=linfen.organisation, event_data=contract("100000"), actor=linfen.applicant)
    b, _ = fact_declare(organisation=linfen.organisation, event_data=contract("200000"), actor=linfen.applicant)
    verified = fact_verify(fact=a, actor=linfen.agent, note="合同登记表已核对")
    assert verified.state == FactState.VERIFIED and verified.decided_by == linfen.agent
    with pytest.raises(RecordError) as err:
        fact_reject(fact=b, actor=linfen.agent, reason="  ")
    assert err.value.field == "reason"
    rejected = fact_reject(fact=b, actor=linfen.agent, reason="登记表金额不符")
    assert rejected.state == FactState.REJECTED
    with pytest.raises(RecordError):  # only declared facts may be decided
        fact_verify(fact=rejected, actor=linfen.agent)
    new = fact_supersede(fact=verified, event_data=contract("150000"), actor=linfen.applicant, reason="金额录错")
    old = Fact.objects.get(pk=a.pk)
    assert old.state == FactState.SUPERSEDED and new.supersedes_id == old.pk
    assert new.state == FactState.DECLARED and new.provenance == Provenance.DECLARED
    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert {
        a.value
        for a in (
            AuditAction.FACT_DECLARE,
            AuditAction.FACT_VERIFY,
            AuditAction.FACT_REJECT,
            AuditAction.FACT_SUPERSEDE,
        )
    } <= actions


def test_permissions(linfen: Cast) -> None:
    fact, _ = fact_declare(organisation=linfen.organisation, event_data=contract("100000"), actor=linfen.applicant)
    with pytest.raises(RecordPermissionDenied):
        fact_declare(organisation=linfen.organisation, event_data=contract("5"), actor=linfen.other_applicant)
    with pytest.raises(RecordPermissionDenied):  # serves nobody
        fact_verify(fact=fact, actor=linfen.other_agent)
    with pytest.raises(RecordPermissionDenied):  # a member cannot verify its own facts
        fact_verify(fact=fact, actor=linfen.applicant)
    with pytest.raises(RecordError) as err:
        fact_enter(organisation=linfen.organisation, event_data=contract("300000"), actor=linfen.agent, note="")
    assert err.value.field == "note"
    entered, created = fact_enter(
        organisation=linfen.organisation, event_data=contract("300000"), actor=linfen.agent, note="现场核查"
    )
    assert created and entered.state == FactState.VERIFIED and entered.provenance == Provenance.OFFICER


def test_masking(linfen: Cast) -> None:
    assert mask_subject("张三丰") == "张**"
    assert mask_subject(" 李 ") == "李"
    hire = {"type": "person_hired", "date": "2025-05-01", "degree": "phd"}
    fact, _ = fact_declare(organisation=linfen.organisation, event_data=hire, actor=linfen.applicant, subject="王小明")
    assert fact.subject == "王**"
    assert "小明" not in str(list(AuditLog.objects.values_list("after", flat=True)))
