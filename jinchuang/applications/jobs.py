"""The applications area's background tasks (through the one task interface, jinchuang/tasks)."""

from __future__ import annotations

from typing import Any

from jinchuang.accounts.models import Organisation
from jinchuang.applications.offers import offers_reevaluate, record_fingerprint
from jinchuang.tasks.models import Job
from jinchuang.tasks.registry import task
from jinchuang.tasks.services import enqueue

REEVALUATE = "offers.reevaluate"


@task(REEVALUATE)
def reevaluate(job: Job, payload: dict[str, Any]) -> dict[str, Any]:
    organisation = Organisation.objects.filter(pk=payload["organisation"]).first()
    if organisation is None:
        return {"offers": 0}
    offers = offers_reevaluate(organisation=organisation)
    return {"offers": len(offers), "measures": [o.measure_id for o in offers]}


def reevaluation_enqueue(organisation_ids: list[int]) -> None:
    """One job per organisation and state of its record (verified facts, catalog): the same state is
    judged once however often it is announced."""
    for pk in organisation_ids:
        enqueue(REEVALUATE, f"{pk}:{record_fingerprint(pk)}", {"organisation": pk})
