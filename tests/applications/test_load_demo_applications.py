from io import StringIO

import pytest
from django.core.management import call_command

from jinchuang.applications.models import DepartmentHead, ServiceAgentAssignment


@pytest.mark.django_db
def test_demo_assignments_are_created_once() -> None:
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo_applications", stdout=StringIO())
    first = (ServiceAgentAssignment.objects.count(), DepartmentHead.objects.count())
    call_command("load_demo_applications", stdout=StringIO())
    assert (ServiceAgentAssignment.objects.count(), DepartmentHead.objects.count()) == first
    assert first[0] >= 5 and first[1] == 1
    enterprise = ServiceAgentAssignment.objects.get(organisation__name="演示·晋城智造科技有限公司")
    assert enterprise.agent.username == "demo_agent"
