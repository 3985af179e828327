"""Model rows → response dicts (shaped like schemas.py). Reads only; no decisions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from jinchuang.accounts.models import User
from jinchuang.applications.api.schemas import money
from jinchuang.applications.models import Application, Award, Instalment, Material, Notification, PublicNotice
from jinchuang.applications.permissions import may_fire
from jinchuang.applications.selectors import (
    CLOCKED_STATES,
    application_clock,
    application_explanation,
    application_facts,
)
from jinchuang.applications.workflow import STATE_LABELS, State, transitions_from
from jinchuang.records.facts import FactView


def clause(application: Application) -> dict[str, Any]:
    snapshot = application.result.get("citation") if isinstance(application.result, dict) else None
    snapshot = snapshot if isinstance(snapshot, dict) else {}
    return {
        "label": application.citation or str(snapshot.get("label", "")),
        "wenhao": str(snapshot.get("wenhao", "")),
        "clause": str(snapshot.get("clause", "")),
        "text": application.clause_text or str(snapshot.get("text", "")),
        "document_id": application.document_id,
        "valley": application.valley,
    }


def _overdue(application: Application, now: dt.datetime) -> bool:
    annotated = getattr(application, "is_overdue", None)
    if annotated is not None:
        return bool(annotated)
    deadline = application.step_deadline
    return deadline is not None and deadline < now and State(application.state) in CLOCKED_STATES


def application_brief(application: Application, *, now: dt.datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    return {
        "id": application.pk,
        "number": application.number,
        "organisation": {"id": application.organisation_id, "name": application.organisation.name},
        "measure_id": application.measure_id,
        "title": application.title,
        "valley": application.valley,
        "state": application.state,
        "state_label": str(STATE_LABELS[State(application.state)]),
        "citation": clause(application),
        "lead_department": application.lead_department,
        "engine_max": money(application.engine_max_fen),
        "approved_amount": money(application.approved_amount_fen),
        "submitted_at": application.submitted_at,
        "step_deadline": application.step_deadline,
        "overdue": _overdue(application, now),
        "created_at": application.created_at,
    }


def material_out(material: Material) -> dict[str, Any]:
    return {
        "id": material.pk,
        "original_name": material.original_name,
        "size": material.size,
        "content_type": material.content_type,
        "sha256": material.sha256,
        "uploaded_at": material.uploaded_at,
        "download_url": reverse(
            "api:application_material_download", kwargs={"id": material.application_id, "mid": material.pk}
        ),
    }


def instalment_line(row: Instalment) -> dict[str, Any]:
    return {
        "id": row.pk,
        "sequence": row.sequence,
        "due_year": row.due_year,
        "amount": money(row.amount_fen),
        "paid_on": row.paid_on,
        "voucher_no": row.voucher_no,
    }


def _award(application: Application) -> dict[str, Any] | None:
    award = Award.objects.filter(application=application).first()
    if award is None:
        return None
    return {
        "amount": money(award.amount_fen),
        "approved_at": award.approved_at,
        "cancelled_at": award.cancelled_at,
        "instalments": [instalment_line(i) for i in award.instalments.order_by("sequence")],
    }


def application_detail(application: Application, *, user: User, now: dt.datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    clock = application_clock(application, now=now)
    left = clock.working_time_left
    data = application_brief(application, now=now)
    data.update(
        {
            "document_id": application.document_id,
            "catalog_digest": application.catalog_digest,
            "expert_review_required": application.expert_review_required,
            "review_range": (
                {"min": money(application.review_min_fen), "max": money(application.review_max_fen)}
                if application.review_min_fen is not None and application.review_max_fen is not None
                else None
            ),
            "schedule": [
                {"year": int(s["year"]), "amount": money(int(s["amount_fen"]))} for s in application.schedule or []
            ],
            "reason_below_max": application.reason_below_max,
            "message": application.message,
            "unmet_condition": application.unmet_condition,
            "case_data": application.case_data if isinstance(application.case_data, dict) else {},
            "clock": {
                "step": str(clock.step),
                "responsible": clock.responsible,
                "deadline": clock.deadline,
                "working_seconds_left": int(left.total_seconds()) if left is not None else None,
                "overdue": clock.overdue,
            },
            "transitions_available": [
                t.name for t in transitions_from(application.state) if may_fire(t, application, user)
            ],
            "materials": [material_out(m) for m in application.materials.all()],
            "award": _award(application),
            "facts": [_fact_out(v) for v in application_facts(application)],
            "explanation": application_explanation(application),
        }
    )
    return data


def ledger_row(row: Instalment) -> dict[str, Any]:
    award = row.award
    return {
        "id": row.pk,
        "award_id": award.pk,
        "application_id": award.application_id,
        "number": award.application.number,
        "organisation": {"id": award.organisation_id, "name": award.organisation.name},
        "unified_social_credit_code": award.organisation.unified_social_credit_code,
        "measure_id": award.measure_id,
        "title": award.application.title,
        "citation": award.application.citation,
        "lead_department": award.lead_department,
        "valley": award.valley,
        "sequence": row.sequence,
        "due_year": row.due_year,
        "amount": money(row.amount_fen),
        "paid_on": row.paid_on,
        "voucher_no": row.voucher_no,
    }


def notice_out(notice: PublicNotice) -> dict[str, Any]:
    application = notice.application
    amount = application.approved_amount_fen or 0
    return {
        "application_id": application.pk,
        "organisation": application.organisation.name,
        "measure_id": application.measure_id,
        "title": application.title,
        "valley": application.valley,
        "citation": application.citation,
        "amount": money(amount),
        "starts_at": notice.starts_at,
        "ends_at": notice.ends_at,
        "objection_url": reverse("api:application_objection_file", kwargs={"id": application.pk}),
    }


def notification_out(row: Notification) -> dict[str, Any]:
    return {
        "id": row.pk,
        "text": row.text,
        "link": row.link,
        "application_id": row.application_id,
        "created_at": row.created_at,
        "read_at": row.read_at,
    }


def _fact_out(view: FactView) -> dict[str, Any]:
    fact = view.fact
    return {
        "id": fact.pk,
        "event_type": fact.event_type,
        "label": view.label,
        "date": fact.date,
        "fields": [[label, value] for label, value in view.rows],
        "provenance": fact.provenance,
        "provenance_label": view.provenance_label,
        "state": fact.state,
        "state_label": view.state_label,
        "decided_by": fact.decided_by.get_full_name() if fact.decided_by else "",
        "decided_at": fact.decided_at,
        "note": fact.note,
        "evidence": [e.original_name for e in view.evidence],
    }
