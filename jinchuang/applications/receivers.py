"""How the applications area reacts to the organisation record, and what scope it gives officers there."""

from __future__ import annotations

from typing import Any

from jinchuang.accounts.models import Organisation, Role, User
from jinchuang.applications.jobs import reevaluation_enqueue
from jinchuang.applications.models import Application, ServiceAgentAssignment
from jinchuang.applications.notifications import notify
from jinchuang.applications.permissions import reviewer_departments
from jinchuang.policy.vocabulary import Valley
from jinchuang.records.permissions import register_served
from jinchuang.records.signals import facts_changed, policy_news


def served_organisations(user: User) -> set[int]:
    """The organisations an officer serves on the record: a 服务专员's assigned organisations; a
    reviewer's: the organisations of the valley whose city department they work for (晋城市科技局 →
    晋城), and any with an application to one of the reviewer's departments."""
    ids = set(ServiceAgentAssignment.objects.filter(agent=user).values_list("organisation_id", flat=True))
    departments = reviewer_departments(user)
    if departments:
        valleys = [v.value for v in Valley if any(d.startswith(v.value) for d in departments)]
        ids |= set(Organisation.objects.filter(valley__in=valleys).values_list("pk", flat=True))
        ids |= set(
            Application.objects.filter(lead_department__in=departments).values_list("organisation_id", flat=True)
        )
    return ids


def on_facts_changed(sender: Any, organisation_ids: list[int], reason: str, **kwargs: Any) -> None:
    reevaluation_enqueue([pk for pk in organisation_ids if Organisation.objects.filter(pk=pk).exists()])


def on_policy_news(sender: Any, organisation_id: int, text: str, link: str, **kwargs: Any) -> None:
    """A catalog change the organisation subscribed to: its applicant members get a message."""
    members = User.objects.filter(organisation_id=organisation_id, is_active=True, roles__role=Role.APPLICANT)
    notify(users=members.distinct(), text=text, link=link)


def connect() -> None:
    register_served(served_organisations)
    facts_changed.connect(on_facts_changed, dispatch_uid="applications.reevaluate_offers")
    policy_news.connect(on_policy_news, dispatch_uid="applications.policy_news")
