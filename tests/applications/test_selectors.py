"""Queues per role, per-record visibility, the ledger and the public notices."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from jinchuang.accounts.models import Role
from jinchuang.applications.payments import instalment_pay
from jinchuang.applications.selectors import (
    application_get_for_user,
    applications_visible_to,
    ledger_rows,
    public_notices_current,
    queue_for,
)
from jinchuang.applications.services import application_transition
from jinchuang.applications.workflow import State
from tests.applications.conftest import Cast, startup_capital_case, submit, walk

pytestmark = pytest.mark.django_db


def test_each_role_sees_what_waits_for_it(cast: Cast) -> None:
    waiting_agent = submit(cast)
    waiting_department = walk(submit(cast), cast, State.DEPARTMENT_REVIEW)
    expert_case = walk(submit(cast, startup_capital_case(), "jc-3"), cast, State.DEPARTMENT_REVIEW)
    expert_case = application_transition(
        application=expert_case, transition="send_to_experts", actor=cast.reviewer, experts=[cast.expert]
    )
    assert {a.pk for a in queue_for(cast.agent)[Role.SERVICE_AGENT]} == {waiting_agent.pk}
    assert {a.pk for a in queue_for(cast.reviewer)[Role.REVIEWER]} == {waiting_department.pk, expert_case.pk}
    assert list(queue_for(cast.other_reviewer)[Role.REVIEWER]) == []
    assert list(queue_for(cast.datong_reviewer)[Role.REVIEWER]) == []
    assert list(queue_for(cast.other_agent)[Role.SERVICE_AGENT]) == []
    assert [a.pk for a in queue_for(cast.expert)[Role.EXPERT]] == [expert_case.pk]
    assert len(queue_for(cast.applicant)[Role.APPLICANT]) == 3
    assert list(queue_for(cast.other_applicant)[Role.APPLICANT]) == []
    assert queue_for(None) == {}


def test_another_enterprise_gets_404(cast: Cast) -> None:
    application = submit(cast)
    assert application_get_for_user(user=cast.applicant, pk=application.pk) == application
    for outsider in (cast.other_applicant, cast.other_reviewer, cast.other_agent, cast.expert, None):
        with pytest.raises(Http404):
            application_get_for_user(user=outsider, pk=application.pk)
    assert application in applications_visible_to(cast.agent)
    assert application in applications_visible_to(cast.finance)


def test_ledger_and_finance_queue(cast: Cast) -> None:
    application = walk(submit(cast), cast, State.PUBLIC_NOTICE)
    assert [n.application_id for n in public_notices_current()] == [application.pk]
    later = application.public_notice.ends_at + dt.timedelta(seconds=1)
    application = application_transition(
        application=application, transition="end_public_notice", actor=cast.reviewer, now=later
    )
    due = list(queue_for(cast.finance, now=later)[Role.FINANCE])
    assert [i.award.application_id for i in due] == [application.pk]
    assert ledger_rows(user=cast.applicant).count() == 1
    assert ledger_rows(user=cast.other_applicant).count() == 0
    assert ledger_rows(user=cast.reviewer, department="晋城市科技局").count() == 1
    assert ledger_rows(user=cast.other_reviewer).count() == 0
    assert ledger_rows(user=cast.finance, valley="晋城", year=due[0].due_year, measure_id="jc-8").count() == 1
    instalment_pay(instalment=due[0], paid_on=dt.date(2026, 1, 5), voucher_no="PZ-9", actor=cast.finance)
    application.refresh_from_db()
    assert application.state == State.PAID
    assert list(queue_for(cast.finance)[Role.FINANCE]) == []
