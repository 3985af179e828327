"""Submit once: the engine's result is stored; a retried submit returns the same application."""

from __future__ import annotations

import pytest

from jinchuang.applications.errors import ApplicationError, TransitionPermissionDenied
from jinchuang.applications.models import Application
from jinchuang.applications.services import application_save_draft, application_submit
from jinchuang.applications.workflow import State
from tests.applications.conftest import (
    SETTLED_ON,
    Cast,
    academician_station_case,
    startup_capital_case,
    submit,
    tech_transfer_case,
)

pytestmark = pytest.mark.django_db


def test_submit_stores_the_engine_result_and_the_clause(cast: Cast) -> None:
    application = submit(cast)
    assert application.state == State.SUBMITTED
    assert application.engine_max_fen == 240_000_00  # 1,200,000 × 20 %
    assert application.review_min_fen is None
    assert application.citation == "晋市政办〔2024〕39号 第8条"
    assert "技术" in application.clause_text
    assert application.lead_department == "晋城市科技局"
    assert application.submitted_at is not None
    assert application.step_deadline is not None and application.responsible_user == cast.agent
    assert application.result["status"] == "eligible"


def test_review_range_is_stored_for_expert_review_measures(cast: Cast) -> None:
    application = submit(cast, startup_capital_case(), measure_id="jc-3")
    assert (application.review_min_fen, application.review_max_fen) == (0, 500_000_00)
    assert application.engine_max_fen == 500_000_00
    assert application.expert_review_required


def test_a_retried_submit_returns_the_same_application(cast: Cast) -> None:
    first = submit(cast, key="retry-me")
    again = submit(cast, key="retry-me")
    assert again.pk == first.pk
    assert Application.objects.filter(organisation=cast.organisation).count() == 1


def test_a_key_reused_for_another_measure_is_refused(cast: Cast) -> None:
    submit(cast, key="k")
    with pytest.raises(ApplicationError) as error:
        submit(cast, startup_capital_case(), measure_id="jc-3", key="k")
    assert error.value.field == "idempotency_key"


def test_not_eligible_is_refused_with_the_failed_conditions(cast: Cast) -> None:
    with pytest.raises(ApplicationError) as error:
        submit(cast, startup_capital_case(selected=False), measure_id="jc-3")
    assert error.value.code == "not_eligible"
    assert "经遴选" in str(error.value.message_dict["case_data"])
    assert not Application.objects.exists()


def test_non_cash_measures_and_unknown_measures_are_refused(cast: Cast) -> None:
    with pytest.raises(ApplicationError) as service:
        submit(cast, measure_id="jc-1")
    assert service.value.code == "not_cash"
    with pytest.raises(ApplicationError) as unknown:
        submit(cast, measure_id="xx-99")
    assert unknown.value.field == "measure_id"


def test_the_applicant_is_the_organisations_record_whatever_the_case_says(cast: Cast) -> None:
    case = tech_transfer_case()
    case["applicant"].update({"kind": "university", "valley": "大同", "settled_on": "2020-01-01"})
    application = submit(cast, case)
    assert application.case_data["applicant"]["kind"] == "enterprise"
    assert application.case_data["applicant"]["valley"] == "晋城"
    assert application.case_data["applicant"]["settled_on"] == SETTLED_ON.isoformat()


def test_without_settled_on_on_record_the_in_valley_conditions_fail_saying_so(db: None) -> None:
    from tests.applications.conftest import make_cast

    unsettled = make_cast(settled_on=None)
    with pytest.raises(ApplicationError) as error:
        submit(unsettled, tech_transfer_case())  # the case types settled_on 2025-01-10: ignored
    assert error.value.code == "not_eligible"
    assert "入驻日期" in str(error.value.message_dict["case_data"])


def test_only_the_organisations_applicants_submit(cast: Cast) -> None:
    for actor in (cast.other_applicant, cast.agent, cast.reviewer, None):
        with pytest.raises(TransitionPermissionDenied):
            application_submit(
                organisation=cast.organisation,
                measure_id="jc-8",
                case_data=tech_transfer_case(),
                idempotency_key="x",
                actor=actor,
            )


def test_drafts_autosave_then_submit_with_the_same_key(cast: Cast) -> None:
    draft = application_save_draft(
        organisation=cast.organisation,
        measure_id="jc-8",
        case_data={"partial": True},
        idempotency_key="form-1",
        actor=cast.applicant,
    )
    assert draft.state == State.DRAFT
    again = application_save_draft(
        organisation=cast.organisation,
        measure_id="jc-8",
        case_data=tech_transfer_case(),
        idempotency_key="form-1",
        actor=cast.applicant,
    )
    assert again.pk == draft.pk and again.case_data == tech_transfer_case()
    submitted = submit(cast, key="form-1")
    assert submitted.pk == draft.pk and submitted.state == State.SUBMITTED
    late_autosave = application_save_draft(
        organisation=cast.organisation,
        measure_id="jc-8",
        case_data={"partial": True},
        idempotency_key="form-1",
        actor=cast.applicant,
    )
    assert late_autosave.state == State.SUBMITTED and late_autosave.case_data == submitted.case_data


def test_a_failed_submit_of_a_draft_leaves_the_draft(cast: Cast) -> None:
    application_save_draft(
        organisation=cast.organisation,
        measure_id="jc-3",
        case_data=startup_capital_case(selected=False),
        idempotency_key="d",
        actor=cast.applicant,
    )
    with pytest.raises(ApplicationError):
        submit(cast, startup_capital_case(selected=False), measure_id="jc-3", key="d")
    assert Application.objects.get(idempotency_key="d").state == State.DRAFT


def test_schedule_from_the_measure_is_stored(db: None) -> None:
    from jinchuang.policy.vocabulary import Valley
    from tests.applications.conftest import make_cast

    datong = make_cast(Valley.DATONG)
    application = submit(datong, academician_station_case(), measure_id="dt-15")
    assert [s["amount_fen"] for s in application.schedule] == [333_333_33, 333_333_33, 333_333_34]
