"""The applications area's background tasks (through the one task interface, jinchuang/tasks)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from jinchuang.accounts.models import Organisation
from jinchuang.applications.offers import offers_reevaluate, prefetch_for_reevaluation, record_fingerprint
from jinchuang.records.models import Fact, FactState
from jinchuang.tasks.models import Job
from jinchuang.tasks.registry import task
from jinchuang.tasks.services import enqueue, report_progress

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


REEVALUATE_BATCH = "offers.reevaluate_batch"
BATCH = 500
#: organisations re-evaluated per transaction (and per progress report) inside a batch job
BATCH_STEP = 50


@task(REEVALUATE_BATCH)
def reevaluate_batch(job: Job, payload: dict[str, Any]) -> dict[str, Any]:
    """Re-evaluate a batch of organisations (a catalog change reaches every organisation this way).

    ``BATCH_STEP`` organisations at a time: their facts, applications, offers and applicants read in four
    queries, their offers written in one transaction (each offer still in its own savepoint, so one
    refused offer costs only itself), then progress reported."""
    ids: list[int] = list(payload["organisations"])
    organisations = list(Organisation.objects.filter(pk__in=ids).order_by("pk"))
    created = 0
    for start in range(0, len(organisations), BATCH_STEP):
        step = organisations[start : start + BATCH_STEP]
        prefetched = prefetch_for_reevaluation([o.pk for o in step])
        with transaction.atomic():
            for organisation in step:
                created += len(offers_reevaluate(organisation=organisation, prefetched=prefetched))
        report_progress(job, start + len(step), len(ids))
    report_progress(job, len(ids), len(ids))
    return {"organisations": len(ids), "offers": created}


def reevaluation_enqueue_all(catalog_digest: str, batch: int = BATCH) -> int:
    """After the catalog changed: one batch job per ``batch`` organisations that hold verified facts,
    keyed by the catalog's digest (running it again for the same catalog enqueues nothing new)."""
    ids = list(
        Fact.objects.filter(state=FactState.VERIFIED)
        .values_list("organisation_id", flat=True)
        .distinct()
        .order_by("organisation_id")
    )
    jobs = 0
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        enqueue(REEVALUATE_BATCH, f"{catalog_digest}:{chunk[0]}-{chunk[-1]}", {"organisations": chunk})
        jobs += 1
    return jobs
