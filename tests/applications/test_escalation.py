"""Overdue cases are highlighted in queues and escalated once to the department head."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from jinchuang.applications.escalation import applications_escalate_overdue
from jinchuang.applications.models import Application, Notification
from jinchuang.applications.selectors import application_clock, overdue_applications, queue_for
from jinchuang.applications.services import application_transition
from jinchuang.applications.workflow import State
from jinchuang.audit.models import AuditLog
from tests.applications.conftest import Cast, submit, walk

pytestmark = pytest.mark.django_db


def deadline(application: Application) -> dt.datetime:
    assert application.step_deadline is not None
    return application.step_deadline


def test_each_step_gets_a_deadline_in_working_hours(cast: Cast) -> None:
    application = submit(cast)
    clock = application_clock(application, now=application.step_started_at)
    assert clock.state == State.SUBMITTED and clock.responsible == cast.agent.get_full_name()
    assert clock.working_time_left == dt.timedelta(hours=4)  # 半日结 to accept
    assert not clock.overdue


def test_overdue_cases_are_escalated_once_to_the_department_head(cast: Cast) -> None:
    application = walk(submit(cast), cast, State.DEPARTMENT_REVIEW)
    later = deadline(application) + dt.timedelta(minutes=1)
    assert list(overdue_applications(now=later)) == [application]
    queue = queue_for(cast.reviewer, now=later)
    from jinchuang.accounts.models import Role

    assert [(a.pk, a.is_overdue) for a in queue[Role.REVIEWER]] == [(application.pk, True)]
    escalated = applications_escalate_overdue(now=later)
    assert [a.pk for a in escalated] == [application.pk]
    application.refresh_from_db()
    assert application.escalated_to == cast.head and application.escalated_at == later
    assert Notification.objects.filter(user=cast.head, text__contains="超时督办").count() == 1
    assert applications_escalate_overdue(now=later + dt.timedelta(hours=1)) == []  # idempotent
    assert AuditLog.objects.filter(action="applications.escalate").count() == 1


def test_moving_on_clears_the_escalation(cast: Cast) -> None:
    application = walk(submit(cast), cast, State.DEPARTMENT_REVIEW)
    applications_escalate_overdue(now=deadline(application) + dt.timedelta(minutes=1))
    application = application_transition(
        application=application, transition="pass_department_review", actor=cast.reviewer
    )
    assert application.escalated_at is None and application.escalated_to is None


def test_without_a_head_the_administrator_is_told(cast: Cast) -> None:
    application = submit(cast)  # 受理 by the 服务专员: no department head
    applications_escalate_overdue(now=deadline(application) + dt.timedelta(minutes=1))
    application.refresh_from_db()
    assert application.escalated_to == cast.admin


def test_the_command_is_idempotent(cast: Cast) -> None:
    application = submit(cast)
    Application.objects.filter(pk=application.pk).update(step_deadline=timezone.now() - dt.timedelta(hours=1))
    out = StringIO()
    call_command("escalate_overdue", stdout=out)
    call_command("escalate_overdue", stdout=out)
    assert out.getvalue().split() == ["escalated", "1", "escalated", "0"]


def test_terminal_and_waiting_states_are_never_overdue(cast: Cast) -> None:
    application = submit(cast)
    Application.objects.filter(pk=application.pk).update(
        state=State.RETURNED, step_deadline=timezone.now() - dt.timedelta(days=3)
    )
    assert not overdue_applications().exists()
