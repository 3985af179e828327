"""Approval: never above the engine's maximum, a reason below it, caps drawn in the database."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction

from jinchuang.applications.errors import ApplicationError, CapExceededError
from jinchuang.applications.models import Application, Award, Quota, QuotaUse
from jinchuang.applications.services import application_approve, application_transition
from jinchuang.applications.workflow import State
from jinchuang.policy.vocabulary import Valley
from tests.applications.conftest import (
    Cast,
    academician_station_case,
    make_cast,
    startup_capital_case,
    submit,
    tech_transfer_case,
    walk,
)

pytestmark = pytest.mark.django_db


def ready(cast: Cast, case: dict[str, Any] | None = None, measure_id: str = "jc-8") -> Application:
    return walk(submit(cast, case, measure_id), cast, State.APPROVAL)


def test_amount_above_the_engine_maximum_is_refused_naming_the_field(cast: Cast) -> None:
    application = ready(cast)
    with pytest.raises(ApplicationError) as error:
        application_approve(application=application, amount_fen=240_000_01, reason="", actor=cast.reviewer)
    assert error.value.field == "amount_fen" and error.value.code == "amount_above_max"
    assert Application.objects.get(pk=application.pk).state == State.APPROVAL
    assert not Award.objects.exists() and not Quota.objects.exists()


def test_below_the_maximum_needs_a_reason(cast: Cast) -> None:
    application = ready(cast)
    with pytest.raises(ApplicationError) as error:
        application_approve(application=application, amount_fen=100_000_00, reason=" ", actor=cast.reviewer)
    assert error.value.field == "reason"
    approved = application_approve(
        application=application, amount_fen=100_000_00, reason="合同部分履行", actor=cast.reviewer
    )
    assert approved.state == State.PUBLIC_NOTICE
    assert approved.approved_amount_fen == 100_000_00 and approved.reason_below_max == "合同部分履行"


@pytest.mark.parametrize("amount", [0, -5, 1.5, "100", True])
def test_amount_must_be_positive_integer_fen(cast: Cast, amount: object) -> None:
    with pytest.raises(ApplicationError):
        application_approve(application=ready(cast), amount_fen=amount, reason="r", actor=cast.reviewer)  # type: ignore[arg-type]


def test_per_year_cap_holds_across_applications(cast: Cast) -> None:
    """第8条: 每家企业每年累计不超过50万元. Two 240,000 awards fit; the third gets 20,000 at most."""
    apps = [ready(cast, tech_transfer_case(str(1_200_000 + i))) for i in range(3)]
    for application in apps[:2]:
        application_approve(
            application=application, amount_fen=application.engine_max_fen, reason="", actor=cast.reviewer
        )
    with pytest.raises(CapExceededError) as error:
        application_approve(application=apps[2], amount_fen=apps[2].engine_max_fen, reason="", actor=cast.reviewer)
    assert "每年累计上限" in str(error.value.message_dict["amount_fen"])
    assert error.value.key == "jc-8:measure:per_entity_per_year:2025"
    assert Application.objects.get(pk=apps[2].pk).state == State.APPROVAL
    assert not Award.objects.filter(application=apps[2]).exists()
    quota = Quota.objects.get(key="jc-8:measure:per_entity_per_year:2025")
    assert quota.used_fen == apps[0].engine_max_fen + apps[1].engine_max_fen
    room = quota.limit_fen - quota.used_fen
    application_approve(application=apps[2], amount_fen=room, reason="年度上限所余", actor=cast.reviewer)
    quota.refresh_from_db()
    assert quota.used_fen == quota.limit_fen == 500_000_00


def test_the_same_contract_is_never_paid_twice(cast: Cast) -> None:
    """就高不重复 / no double payment: two applications over one event share one matter quota."""
    first, second = ready(cast), ready(cast)
    application_approve(application=first, amount_fen=first.engine_max_fen, reason="", actor=cast.reviewer)
    with pytest.raises(CapExceededError) as error:
        application_approve(application=second, amount_fen=1, reason="r", actor=cast.reviewer)
    assert error.value.key.startswith("matter:tech_transaction:")


def test_rejection_after_approval_gives_the_quota_back(cast: Cast) -> None:
    application = walk(submit(cast), cast, State.PUBLIC_NOTICE)
    assert Quota.objects.get(key="jc-8:measure:per_entity_per_year:2025").used_fen == 240_000_00
    application_transition(
        application=application,
        transition="reject",
        actor=cast.reviewer,
        message="公示异议成立",
        unmet_condition="第8条: 技术合同须经认定登记",
    )
    assert set(Quota.objects.values_list("used_fen", flat=True)) == {0}
    award = Award.objects.get(application=application)
    assert award.cancelled_at is not None and not award.instalments.exists()
    again = ready(cast)  # the same contract may now be applied for again
    application_approve(application=again, amount_fen=again.engine_max_fen, reason="", actor=cast.reviewer)


def test_expert_review_amount_stays_in_the_legal_range(cast: Cast) -> None:
    application = ready(cast, startup_capital_case(), "jc-3")
    with pytest.raises(ApplicationError):
        application_approve(application=application, amount_fen=500_000_01, reason="", actor=cast.reviewer)
    approved = application_approve(
        application=application, amount_fen=300_000_00, reason="专家建议", actor=cast.reviewer
    )
    assert approved.award.amount_fen == 300_000_00


def test_instalments_follow_the_measure_schedule_scaled_with_the_engines_rounding(db: None) -> None:
    datong = make_cast(Valley.DATONG)
    application = walk(submit(datong, academician_station_case(), "dt-15"), datong, State.DEPARTMENT_REVIEW)
    assert application.lead_department == "大同市委组织部"
    application = application_transition(
        application=application, transition="send_to_experts", actor=datong.admin, experts=[datong.expert]
    )
    from jinchuang.applications.review import expert_declare, expert_score_record

    expert_declare(application=application, actor=datong.expert, conflict=False)
    expert_score_record(application=application, actor=datong.expert, score=80, recommended_amount_fen=800_000_00)
    application = application_transition(
        application=application, transition="complete_expert_review", actor=datong.admin
    )
    full = application_approve(application=application, amount_fen=1_000_000_00, reason="", actor=datong.admin)
    assert [i.amount_fen for i in full.award.instalments.all()] == [333_333_33, 333_333_33, 333_333_34]
    years = [i.due_year for i in full.award.instalments.all()]
    assert years == [years[0], years[0] + 1, years[0] + 2]


def test_partial_amount_is_split_by_the_stored_exact_shares(db: None) -> None:
    """800,000 of a 分3年 award: each third of 800,000.00 rounded half up, the last takes the rest."""
    datong = make_cast(Valley.DATONG)
    application = walk(submit(datong, academician_station_case(), "dt-15"), datong, State.DEPARTMENT_REVIEW)
    assert [m["shares"] for m in application.matters] == [[[0, "1/3"], [1, "1/3"], [2, "1/3"]]]
    application = application_transition(
        application=application, transition="send_to_experts", actor=datong.admin, experts=[datong.expert]
    )
    from jinchuang.applications.review import expert_declare, expert_score_record

    expert_declare(application=application, actor=datong.expert, conflict=False)
    expert_score_record(application=application, actor=datong.expert, score=80, recommended_amount_fen=800_000_00)
    application = application_transition(
        application=application, transition="complete_expert_review", actor=datong.admin
    )
    award = application_approve(application=application, amount_fen=800_000_00, reason="专家建议", actor=datong.admin)
    assert [i.amount_fen for i in award.award.instalments.all()] == [266_666_67, 266_666_67, 266_666_66]


def test_an_approval_of_200090_over_items_of_200000_and_90_draws_each_years_cap(cast: Cast) -> None:
    """Two contracts, 1,000,000 yuan in 2025 (→ 200,000) and 450 yuan in 2026 (→ 90): the approval of
    200,090 takes 200,000 from the 2025 yearly cap and 90 from the 2026 one. The old split recovered
    shares with limit_denominator(1000), put all 200,090 in 2025 and checked the wrong year's cap."""
    case = tech_transfer_case("1000000", "2025-06-01")
    case["as_of"] = "2026-12-31"
    case["events"].append(dict(case["events"][0], date="2026-03-01", amount="450"))
    application = walk(submit(cast, case), cast, State.APPROVAL)
    assert application.engine_max_fen == 200_090_00
    approved = application_approve(application=application, amount_fen=200_090_00, reason="", actor=cast.reviewer)
    uses = {u.quota.key: u.amount_fen for u in QuotaUse.objects.filter(award=approved.award)}
    assert uses["jc-8:measure:per_entity_per_year:2025"] == 200_000_00
    assert uses["jc-8:measure:per_entity_per_year:2026"] == 90_00
    assert sorted(i.amount_fen for i in approved.award.instalments.all()) == [90_00, 200_000_00]


def test_the_application_records_the_catalog_version_it_was_judged_under(cast: Cast) -> None:
    from jinchuang.policy.catalog import default_catalog

    application = submit(cast)
    assert application.catalog_digest == default_catalog().digest
    assert len(application.catalog_digest) == 64


def test_the_check_constraint_is_the_last_line_of_defence(cast: Cast) -> None:
    quota = Quota.objects.create(organisation=cast.organisation, key="t", limit_fen=100, used_fen=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Quota.objects.filter(pk=quota.pk).update(used_fen=101)
    with pytest.raises(IntegrityError), transaction.atomic():
        Quota.objects.filter(pk=quota.pk).update(used_fen=-1)


def test_approved_amount_above_engine_max_is_refused_by_the_database(cast: Cast) -> None:
    application = submit(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(approved_amount_fen=application.engine_max_fen + 1)
