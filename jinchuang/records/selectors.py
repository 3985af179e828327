"""Reads of the organisation record: its facts, and the case the engine judges, built from them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jinchuang.accounts.models import Organisation
from jinchuang.policy.case import event_data_from_canonical
from jinchuang.policy.catalog import default_catalog
from jinchuang.policy.money import fen_to_yuan
from jinchuang.records.models import AWARD_FACT, LIVE_STATES, Contact, Fact, FactState

if TYPE_CHECKING:
    from jinchuang.records.entitlements import Entitlements


def live_facts(organisation: Organisation | int) -> QuerySet[Fact]:
    """The organisation's current facts (declared or verified), oldest event first."""
    return (
        Fact.objects.filter(organisation=organisation, state__in=LIVE_STATES)
        .order_by("date", "pk")
        .select_related("decided_by", "created_by")
        .prefetch_related("evidence")
    )


def live_facts_by_organisation(organisation_ids: Iterable[int]) -> dict[int, list[Fact]]:
    """The current facts of several organisations at once (one query), each list in the order of
    :func:`live_facts`; an organisation without any has an empty list. For batch work (re-evaluating
    many organisations) that reads facts only: no related rows are loaded."""
    ids = list(organisation_ids)
    out: dict[int, list[Fact]] = {pk: [] for pk in ids}
    for fact in Fact.objects.filter(organisation_id__in=ids, state__in=LIVE_STATES).order_by(
        "organisation_id", "date", "pk"
    ):
        out[fact.organisation_id].append(fact)
    return out


def fact_timeline(organisation: Organisation) -> QuerySet[Fact]:
    """Every fact of the organisation, live or not (rejected, superseded), newest first."""
    return (
        Fact.objects.filter(organisation=organisation)
        .order_by("-created_at", "-pk")
        .select_related("decided_by", "created_by", "supersedes", "data_import")
        .prefetch_related("evidence")
    )


@dataclass
class RecordCase:
    """A case in the case format built from the record, with the fact behind each event and grant."""

    case_data: dict[str, Any]
    event_facts: list[Fact] = field(default_factory=list)  # event index → fact
    grant_facts: list[Fact] = field(default_factory=list)

    @property
    def facts(self) -> list[Fact]:
        return [*self.event_facts, *self.grant_facts]

    def unverified(self) -> list[Fact]:
        return [f for f in self.facts if f.state != FactState.VERIFIED]


def identity(organisation: Organisation) -> dict[str, Any]:
    """The applicant part of a case: the record's kind, valley and 入驻日期 — never what was typed."""
    applicant: dict[str, Any] = {"kind": organisation.kind, "valley": organisation.valley, "name": organisation.name}
    if organisation.settled_on is not None:
        applicant["settled_on"] = organisation.settled_on.isoformat()
    return applicant


def award_prior_grant(fact: Fact) -> dict[str, Any]:
    """A platform award fact as a prior grant of its overlap group (就高不重复 without typing)."""
    return {
        "matter": fact.fields["matter"],
        "amount": str(fen_to_yuan(int(fact.fields["amount_fen"]))),
        "date": fact.date.isoformat(),
        "policy": fact.fields.get("policy") or fact.source,
        "level": "city",
    }


def case_from_facts(
    organisation: Organisation,
    facts: Iterable[Fact],
    *,
    as_of: dt.date,
    event_types: Sequence[str] | None = None,
    verified_only: bool = False,
    extra_events: Sequence[dict[str, Any]] = (),
    extra_grants: Sequence[dict[str, Any]] = (),
) -> RecordCase:
    """The case the engine judges for ``organisation`` on ``as_of`` from ``facts`` (live ones only; events
    after ``as_of`` are left out, they have not happened yet on that date). ``event_types`` keeps only the
    events a measure reads; award facts become prior grants whatever the types. ``extra_events`` are
    hypothetical events (what-if), added after the record's; ``extra_grants`` grants from other policies
    the applicant declares."""
    vocabulary = default_catalog().vocabulary
    wanted = set(event_types) if event_types is not None else None
    facts = list(facts)
    digests = {f.digest for f in facts if f.event_type != AWARD_FACT and (wanted is None or f.event_type in wanted)}
    events: list[dict[str, Any]] = []
    event_facts: list[Fact] = []
    grants: list[dict[str, Any]] = []
    grant_facts: list[Fact] = []
    for fact in facts:
        if fact.state not in LIVE_STATES or fact.date > as_of:
            continue
        if verified_only and fact.state != FactState.VERIFIED:
            continue
        if fact.event_type == AWARD_FACT:
            paid = set(fact.fields.get("events") or ())
            # an award is a prior grant for the events it paid (any, when it names none)
            if fact.fields.get("matter") and (not paid or paid & digests):
                grants.append(award_prior_grant(fact))
                grant_facts.append(fact)
            continue
        if wanted is not None and fact.event_type not in wanted:
            continue
        if fact.event_type not in vocabulary:
            continue  # a type the catalog no longer has: kept on the record, not judged
        events.append(event_data_from_canonical(fact.event_type, fact.date, fact.fields, vocabulary, fact.ref))
        event_facts.append(fact)
    case = {
        "as_of": as_of.isoformat(),
        "applicant": identity(organisation),
        "events": [*events, *extra_events],
        "prior_grants": [*grants, *extra_grants],
    }
    return RecordCase(case_data=case, event_facts=event_facts, grant_facts=grant_facts)


def record_case(
    organisation: Organisation,
    *,
    as_of: dt.date,
    event_types: Sequence[str] | None = None,
    verified_only: bool = False,
    extra_events: Sequence[dict[str, Any]] = (),
    extra_grants: Sequence[dict[str, Any]] = (),
) -> RecordCase:
    return case_from_facts(
        organisation,
        live_facts(organisation),
        as_of=as_of,
        event_types=event_types,
        verified_only=verified_only,
        extra_events=extra_events,
        extra_grants=extra_grants,
    )


def facts_by_ids(ids: Iterable[int]) -> list[Fact]:
    return list(Fact.objects.filter(pk__in=list(ids)).select_related("decided_by").prefetch_related("evidence"))


@dataclass(frozen=True)
class CompletenessItem:
    label: str
    done: bool


@dataclass(frozen=True)
class RecordCompleteness:
    """How far the record is filled in: the parts the calculator and the officers read (workbench)."""

    items: list[CompletenessItem]

    @property
    def done(self) -> int:
        return sum(1 for item in self.items if item.done)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100

    @property
    def missing(self) -> list[str]:
        return [item.label for item in self.items if not item.done]


def record_completeness(organisation: Organisation) -> RecordCompleteness:
    """The record's identity (统一社会信用代码, 入驻日期), its contacts and its facts: what is there."""
    facts = Fact.objects.filter(organisation=organisation, state__in=LIVE_STATES)
    items = [
        (_("统一社会信用代码"), bool(organisation.unified_social_credit_code)),
        (_("入驻日期"), organisation.settled_on is not None),
        (_("联系人"), Contact.objects.filter(organisation=organisation).exists()),
        (_("至少一条事实(资质、人才、项目等)"), facts.exists()),
        (_("事实均已核验"), facts.exists() and not facts.filter(state=FactState.DECLARED).exists()),
    ]
    return RecordCompleteness([CompletenessItem(str(label), done) for label, done in items])


def record_entitlements(organisation: Organisation) -> Entitlements:
    """What the record entitles the organisation to today (see :mod:`jinchuang.records.entitlements`)."""
    from jinchuang.records.entitlements import entitlements_of  # it reads this module: imported when called

    return entitlements_of(organisation)
