"""Record rows and entitlements → response dicts (shaped like schemas.py). Reads only."""

from __future__ import annotations

from typing import Any

from jinchuang.accounts.choices import org_kind_label, valley_label
from jinchuang.accounts.models import Organisation
from jinchuang.records.api.schemas import money_of_yuan
from jinchuang.records.entitlements import Entitlements
from jinchuang.records.facts import FactView, RecordView, contacts_masked, fact_view


def fact(view: FactView) -> dict[str, Any]:
    f = view.fact
    return {
        "id": f.pk,
        "type": f.event_type,
        "type_label": view.label,
        "date": f.date,
        "fields": dict(f.fields),
        "display": [{"label": label, "text": text} for label, text in view.rows],
        "ref": f.ref,
        "subject": f.subject,
        "provenance": f.provenance,
        "provenance_label": view.provenance_label,
        "state": f.state,
        "state_label": view.state_label,
        "source": f.source,
        "evidence": [
            {"id": e.pk, "name": e.original_name, "size": e.size, "content_type": e.content_type} for e in view.evidence
        ],
        "decided_by": f.decided_by.get_full_name() if f.decided_by is not None else None,
        "decided_at": f.decided_at,
        "note": f.note,
        "supersedes": f.supersedes_id,
        "created_at": f.created_at,
    }


def organisation(org: Organisation) -> dict[str, Any]:
    return {
        "id": org.pk,
        "name": org.name,
        "unified_social_credit_code": org.unified_social_credit_code,
        "kind": org.kind,
        "kind_label": org_kind_label(org.kind),
        "valley": org.valley,
        "valley_label": valley_label(org.valley),
        "settled_on": org.settled_on,
    }


def all_facts(record: RecordView) -> list[FactView]:
    """Every fact, newest first: the timeline with each correction's history after it."""
    out: list[FactView] = []
    for view in record.timeline:
        out.append(view)
        out.extend(fact_view(f) for f in view.history)
    return out


def facts_list(record: RecordView, views: list[FactView]) -> dict[str, Any]:
    return {"count": len(views), "declared_count": record.declared_count, "items": [fact(v) for v in views]}


def record(record: RecordView, views: list[FactView]) -> dict[str, Any]:
    return {
        "organisation": organisation(record.organisation),
        "contacts": contacts_masked(record.organisation),
        "declared_count": record.declared_count,
        "facts": [fact(v) for v in views],
    }


def entitlements(e: Entitlements) -> dict[str, Any]:
    return {
        "as_of": e.as_of,
        "valley": e.valley,
        "problem": e.problem,
        "qualified": [
            {
                "measure": q.measure_id,
                "title": q.title,
                "citation": q.citation,
                "status": q.status.value,
                "status_label": q.status_label,
                "amount": money_of_yuan(q.amount) if q.amount is not None else None,
                "review_range": (
                    {"low": money_of_yuan(q.review_range[0]), "high": money_of_yuan(q.review_range[1])}
                    if q.review_range is not None
                    else None
                ),
                "facts": [f.pk for f in q.facts],
                "depends_on_unverified": q.depends_on_unverified,
                "overlap": q.overlap,
            }
            for q in e.qualified
        ],
        "nearest_misses": [
            {
                "measure": m.measure_id,
                "title": m.title,
                "citation": m.citation,
                "missing": [{"text": x.text, "hint": x.hint} for x in m.missing],
            }
            for m in e.nearest_misses
        ],
        "services": [
            {"measure": s.measure_id, "title": s.title, "citation": s.citation, "status_label": s.status_label}
            for s in e.services
        ],
        "totals": {
            "eligible": money_of_yuan(e.total),
            "unverified": money_of_yuan(e.unverified_total),
            "review_ceiling": money_of_yuan(e.review_ceiling),
        },
    }
