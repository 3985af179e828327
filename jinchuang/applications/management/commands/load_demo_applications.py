"""Demo rows the application workflow needs: the 服务专员 serving the demo organisations and the head of
the demo department (escalations of overdue cases go to them), then the officers' demo cases
(``applications/demo.py``: an archived 公示 without objection, one with an objection dismissed, one under
公示 with an objection waiting, one in 专家评审 for the rubric). Idempotent; run after ``load_demo``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from jinchuang.accounts.models import Organisation, User
from jinchuang.applications.demo import officer_demo_load
from jinchuang.applications.departments import normalise_department
from jinchuang.applications.models import DepartmentHead, ServiceAgentAssignment
from jinchuang.policy.vocabulary import OrgKind

DEMO_AGENT = "demo_agent"
DEMO_HEAD = "demo_reviewer"
DEMO_DEPARTMENT = "晋城市科学技术局"


class Command(BaseCommand):
    help = "为演示机构分配服务专员, 并设置演示部门负责人 (可重复运行)"

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            agent = User.objects.get(username=DEMO_AGENT)
            head = User.objects.get(username=DEMO_HEAD)
        except User.DoesNotExist as exc:
            raise CommandError("请先运行 load_demo") from exc
        with transaction.atomic():
            served = 0
            for organisation in Organisation.objects.filter(name__startswith="演示·").exclude(
                kind=OrgKind.GOVERNMENT
            ):
                _, created = ServiceAgentAssignment.objects.get_or_create(
                    organisation=organisation, defaults={"agent": agent}
                )
                served += created
            DepartmentHead.objects.get_or_create(
                department=normalise_department(DEMO_DEPARTMENT), defaults={"user": head}
            )
        self.stdout.write(
            f"服务专员 {agent.get_full_name()} 服务演示机构 (新增 {served} 个); "
            f"{DEMO_DEPARTMENT} 负责人: {head.get_full_name()}"
        )
        for line in officer_demo_load():
            self.stdout.write(line)
