"""Reads of the record as the pages and the API present it: who may see which record, the record's
identity, contacts (phones masked), certifications, people, the facts timeline with labels and
formatted values, and the organisations an officer serves with their facts 待核验."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from jinchuang.accounts.choices import org_kind_label, valley_label
from jinchuang.accounts.models import Organisation, User, mask_phone
from jinchuang.records.eventfields import event_type_label, fact_field_rows
from jinchuang.records.models import Evidence, Fact, FactState, Provenance
from jinchuang.records.permissions import (
    OFFICER_ROLES,
    active_user,
    is_member,
    may_import,
    may_officiate,
    may_read,
    roles_of,
    served_organisation_ids,
)
from jinchuang.records.selectors import fact_timeline


def organisation_for_reader(user: User, organisation_id: int) -> Organisation | None:
    """The organisation if ``user`` may read its record, else None (the caller answers 404)."""
    if active_user(user) is None:
        return None
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None or not may_read(user, organisation):
        return None
    return organisation


def fact_for_reader(user: User, fact_id: int) -> Fact | None:
    if active_user(user) is None:
        return None
    fact = Fact.objects.select_related("organisation").filter(pk=fact_id).first()
    if fact is None or not may_read(user, fact.organisation):
        return None
    return fact


def evidence_for_reader(user: User, evidence_id: int) -> Evidence | None:
    """A file the user may download: their organisation's, or one of an organisation they serve; a
    department's list (no organisation) only for those who may import lists."""
    if active_user(user) is None:
        return None
    evidence = Evidence.objects.select_related("organisation").filter(pk=evidence_id).first()
    if evidence is None:
        return None
    if evidence.organisation is None:
        return evidence if may_import(user) else None
    return evidence if may_read(user, evidence.organisation) else None


def is_officer_for(user: User, organisation: Organisation) -> bool:
    """May act as an officer on this record (verify, reject, enter): serves it and is not its member."""
    return (
        active_user(user) is not None
        and not is_member(user, organisation)
        and bool(roles_of(user) & OFFICER_ROLES)
        and may_officiate(user, organisation)
    )


@dataclass
class FactView:
    fact: Fact
    label: str
    rows: list[tuple[str, str]]
    provenance_label: str
    state_label: str
    evidence: list[Evidence]
    history: list[Fact] = field(default_factory=list)  # the facts this one corrected, newest first

    @property
    def is_declared(self) -> bool:
        return self.fact.state == FactState.DECLARED

    @property
    def is_live(self) -> bool:
        return self.fact.is_live


def fact_view(fact: Fact) -> FactView:
    return FactView(
        fact=fact,
        label=event_type_label(fact.event_type),
        rows=fact_field_rows(fact.event_type, fact.fields),
        provenance_label=str(Provenance(fact.provenance).label),
        state_label=str(FactState(fact.state).label),
        evidence=list(fact.evidence.all()),
    )


def identity_rows(organisation: Organisation) -> dict[str, Any]:
    return {
        "name": organisation.name,
        "uscc": organisation.unified_social_credit_code,
        "kind": org_kind_label(organisation.kind),
        "valley": valley_label(organisation.valley),
        "settled_on": organisation.settled_on,
    }


def contacts_masked(organisation: Organisation) -> list[dict[str, str]]:
    return [
        {"name": c.name, "role": c.role, "phone": mask_phone(c.phone)} for c in organisation.contacts.order_by("pk")
    ]


@dataclass
class RecordView:
    organisation: Organisation
    identity: dict[str, Any]
    contacts: list[dict[str, str]]
    certifications: list[FactView]
    people: list[FactView]
    timeline: list[FactView]  # live facts and rejected ones, newest first; corrected ones under their successor
    declared_count: int
    timeline_total: int = 0  # the whole timeline's length (``timeline`` may show only the newest)
    facts: list[Fact] = field(default_factory=list)  # every fact read, for the entitlements


def _newest(timeline: list[Fact], limit: int) -> list[Fact]:
    """The newest ``limit`` entries, and every fact still 待核验 (an officer must find those), in order."""
    return [f for n, f in enumerate(timeline) if n < limit or f.state == FactState.DECLARED]


def record_view(organisation: Organisation, *, limit: int | None = None) -> RecordView:
    """The record page's content: one query for every fact, with its evidence; ``limit`` keeps the
    newest entries of the timeline only (certifications and people are always whole). Only the facts
    shown are turned into their display form."""
    facts = list(fact_timeline(organisation))
    successor: dict[int, int] = {f.supersedes_id: f.pk for f in facts if f.supersedes_id is not None}
    history: dict[int, list[Fact]] = {}
    timeline: list[Fact] = []
    for f in facts:
        if f.state == FactState.SUPERSEDED and f.pk in successor:
            top = successor[f.pk]
            while top in successor:  # a correction corrected again: show under the newest
                top = successor[top]
            history.setdefault(top, []).append(f)
            continue
        timeline.append(f)
    views: dict[int, FactView] = {}

    def view(f: Fact) -> FactView:
        if f.pk not in views:
            views[f.pk] = fact_view(f)
            views[f.pk].history = history.get(f.pk, [])
        return views[f.pk]

    shown = timeline if limit is None else _newest(timeline, limit)
    return RecordView(
        organisation=organisation,
        identity=identity_rows(organisation),
        contacts=contacts_masked(organisation),
        certifications=[
            view(f) for f in timeline if f.event_type == "certification_granted" and f.state == FactState.VERIFIED
        ],
        people=[view(f) for f in timeline if f.event_type == "person_hired" and f.is_live],
        timeline=[view(f) for f in shown],
        declared_count=sum(1 for f in facts if f.state == FactState.DECLARED),
        timeline_total=len(timeline),
        facts=facts,
    )


def served_organisations(user: User) -> QuerySet[Organisation] | None:
    """The organisations an officer serves, each with ``declared_count`` (facts 待核验), most waiting
    first; None for a user who is no officer."""
    if active_user(user) is None or not roles_of(user) & OFFICER_ROLES:
        return None
    ids = served_organisation_ids(user)
    rows = Organisation.objects.all() if ids is None else Organisation.objects.filter(pk__in=ids)
    if user.organisation_id is not None:
        rows = rows.exclude(pk=user.organisation_id)
    return rows.annotate(declared_count=Count("facts", filter=Q(facts__state=FactState.DECLARED))).order_by(
        "-declared_count", "name", "pk"
    )
