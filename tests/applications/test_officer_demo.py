"""The officers' demo cases (applications/demo.py) made by load_demo_applications."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_officers_demo_cases_are_made_once_through_the_services() -> None:
    from jinchuang.applications.models import Application, Objection
    from jinchuang.applications.notices import Outcome, archived, public_notices_archive
    from jinchuang.applications.workflow import State

    call_command("load_demo", stdout=StringIO())
    out = StringIO()
    call_command("load_demo_applications", stdout=out)
    assert "公示归档: 公示无异议" in out.getvalue()
    first = Application.objects.count()
    call_command("load_demo_applications", stdout=StringIO())
    assert Application.objects.count() == first == 4
    outcomes = {row.outcome for row in archived(list(public_notices_archive()))}
    assert outcomes == {Outcome.CLEAN, Outcome.DISMISSED}
    waiting = Objection.objects.get(resolution="")
    assert waiting.filed_by is None and waiting.objector_phone
    expert_case = Application.objects.get(state=State.EXPERT_REVIEW)
    row = expert_case.expert_scores.get()
    assert row.expert.username == "demo_expert" and row.declared_at is None
