"""Writes of the organisation record: facts declared, entered, verified, rejected, superseded; platform
awards; contacts. Every change writes an audit row in its transaction; a change that may alter what the
organisation is entitled to announces ``facts_changed`` after commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from jinchuang.accounts.models import Organisation, User
from jinchuang.audit.actions import AuditAction
from jinchuang.audit.services import audit_record, audit_snapshot
from jinchuang.policy.case import CaseError, FieldProblem, canonical_event_digest, event_canonical_fields, parse_event
from jinchuang.policy.catalog import default_catalog
from jinchuang.records import errors
from jinchuang.records.errors import RecordError, RecordPermissionDenied
from jinchuang.records.models import AWARD_FACT, LIVE_STATES, Contact, Evidence, Fact, FactState, Provenance
from jinchuang.records.permissions import active_user, is_member, may_officiate
from jinchuang.records.signals import facts_changed

SUBJECT_MAX = 64


def mask_subject(name: str) -> str:
    """A person's name kept minimised: the first character and one * per other character (张** )."""
    name = name.strip()
    if len(name) <= 1:
        return name
    return name[0] + "*" * (len(name) - 1)


def announce(organisation_ids: Iterable[int], reason: str) -> None:
    ids = sorted(set(organisation_ids))
    if ids:
        transaction.on_commit(lambda: facts_changed.send(sender=Fact, organisation_ids=ids, reason=reason))


def normalise_event(event_data: Any) -> tuple[str, dt.date, dict[str, Any], str, str]:
    """(type, date, canonical fields, digest, ref) of one event; CaseError names the bad fields."""
    vocabulary = default_catalog().vocabulary
    event = parse_event(event_data, vocabulary)
    fields = event_canonical_fields(event, vocabulary)
    return event.type, event.date, fields, canonical_event_digest(event.type, event.date, fields), event.ref


def _future(date: dt.date) -> None:
    if date > timezone.localdate():
        raise CaseError([FieldProblem("date", _("事实的发生日期不能晚于今天"))])


def _live_with_digest(organisation: Organisation, digest: str) -> Fact | None:
    return Fact.objects.filter(organisation=organisation, digest=digest, state__in=LIVE_STATES).first()


def _create(
    *,
    organisation: Organisation,
    event_data: Any,
    provenance: Provenance,
    state: FactState,
    actor: User | None,
    action: AuditAction,
    evidence: Sequence[Evidence] = (),
    subject: str = "",
    source: str = "",
    note: str = "",
    supersedes: Fact | None = None,
    data_import: Any = None,
    request: HttpRequest | None = None,
) -> tuple[Fact, bool]:
    """Create one fact, or return the live fact with the same digest (``created`` False)."""
    event_type, date, fields, digest, ref = normalise_event(event_data)
    _future(date)
    if len(subject) > SUBJECT_MAX:
        raise RecordError("subject", errors.SUBJECT_TOO_LONG, "subject_too_long")
    existing = _live_with_digest(organisation, digest)
    if existing is not None:
        return existing, False
    now = timezone.now()
    try:
        with transaction.atomic():
            fact = Fact.objects.create(
                organisation=organisation,
                event_type=event_type,
                date=date,
                fields=fields,
                digest=digest,
                ref=ref[:200],
                subject=mask_subject(subject),
                provenance=provenance,
                source=source[:200],
                state=state,
                supersedes=supersedes,
                data_import=data_import,
                created_by=actor,
                decided_by=actor if state == FactState.VERIFIED else None,
                decided_at=now if state == FactState.VERIFIED else None,
                note=note,
            )
            if evidence:
                fact.evidence.set(evidence)
            audit_record(actor=actor, action=action, obj=fact, before=None, after=audit_snapshot(fact), request=request)
    except IntegrityError:  # a concurrent writer recorded the same event first
        existing = _live_with_digest(organisation, digest)
        if existing is None:
            raise
        return existing, False
    return fact, True


def _require_member(actor: User, organisation: Organisation) -> User:
    user = active_user(actor)
    if user is None or not is_member(user, organisation):
        raise RecordPermissionDenied(errors.NOT_YOURS)
    return user


def _require_officer(actor: User, organisation: Organisation) -> User:
    user = active_user(actor)
    if user is None or not may_officiate(user, organisation) or is_member(user, organisation):
        raise RecordPermissionDenied(errors.NOT_SERVED)
    return user


def fact_declare(
    *,
    organisation: Organisation,
    event_data: Any,
    actor: User,
    evidence: Sequence[Evidence] = (),
    subject: str = "",
    request: HttpRequest | None = None,
) -> tuple[Fact, bool]:
    """The organisation declares one event (待核验). The same event declared again is the same fact:
    the existing one is returned (``created`` False) and its evidence gains the new files."""
    user = _require_member(actor, organisation)
    fact, created = _create(
        organisation=organisation,
        event_data=event_data,
        provenance=Provenance.DECLARED,
        state=FactState.DECLARED,
        actor=user,
        action=AuditAction.FACT_DECLARE,
        evidence=evidence,
        subject=subject,
        source=organisation.name,
        request=request,
    )
    if not created and evidence:
        fact.evidence.add(*evidence)
    return fact, created


def facts_declare_from_case(
    *, organisation: Organisation, events: Sequence[Any], actor: User, request: HttpRequest | None = None
) -> list[Fact]:
    """The events typed while applying, saved to the record as declared facts (or matched to the facts
    the record holds already: one contract is one fact). CaseError names ``events[i].field``."""
    facts: list[Fact] = []
    for i, event in enumerate(events):
        try:
            fact, _created = fact_declare(organisation=organisation, event_data=event, actor=actor, request=request)
        except CaseError as exc:
            raise CaseError(
                [FieldProblem(f"events[{i}].{p.field}".rstrip(".$"), p.message) for p in exc.problems]
            ) from exc
        facts.append(fact)
    return facts


def fact_enter(
    *,
    organisation: Organisation,
    event_data: Any,
    actor: User,
    note: str,
    evidence: Sequence[Evidence] = (),
    subject: str = "",
    request: HttpRequest | None = None,
) -> tuple[Fact, bool]:
    """An officer who serves the organisation records a fact they attest (已核验, with their note)."""
    user = _require_officer(actor, organisation)
    if not note.strip():
        raise RecordError("note", errors.NOTE_REQUIRED, "note_required")
    fact, created = _create(
        organisation=organisation,
        event_data=event_data,
        provenance=Provenance.OFFICER,
        state=FactState.VERIFIED,
        actor=user,
        action=AuditAction.FACT_ENTER,
        evidence=evidence,
        subject=subject,
        source=user.get_full_name(),
        note=note.strip(),
        request=request,
    )
    if created:
        announce([organisation.pk], "fact_entered")
    return fact, created


def _decide(
    fact: Fact, actor: User, state: FactState, note: str, action: AuditAction, request: HttpRequest | None
) -> Fact:
    user = _require_officer(actor, fact.organisation)
    with transaction.atomic():
        locked = Fact.objects.select_for_update().get(pk=fact.pk)
        if locked.state != FactState.DECLARED:
            raise RecordError("fact", errors.NOT_DECLARED, "not_declared", {"state": FactState(locked.state).label})
        before = audit_snapshot(locked)
        locked.state = state
        locked.decided_by = user
        locked.decided_at = timezone.now()
        locked.note = note.strip()
        locked.save(update_fields=["state", "decided_by", "decided_at", "note"])
        audit_record(
            actor=user, action=action, obj=locked, before=before, after=audit_snapshot(locked), request=request
        )
        announce([locked.organisation_id], action.value)
    return locked


def fact_verify(
    *, fact: Fact, actor: User, note: str = "", evidence: Sequence[Evidence] = (), request: HttpRequest | None = None
) -> Fact:
    """An officer serving the organisation verifies a declared fact (with a note; evidence optional)."""
    with transaction.atomic():
        verified = _decide(fact, actor, FactState.VERIFIED, note, AuditAction.FACT_VERIFY, request)
        if evidence:
            verified.evidence.add(*evidence)
    return verified


def fact_reject(*, fact: Fact, actor: User, reason: str, request: HttpRequest | None = None) -> Fact:
    if not reason.strip():
        raise RecordError("reason", errors.REASON_REQUIRED, "reason_required")
    return _decide(fact, actor, FactState.REJECTED, reason, AuditAction.FACT_REJECT, request)


def fact_supersede(
    *,
    fact: Fact,
    event_data: Any,
    actor: User,
    reason: str,
    evidence: Sequence[Evidence] = (),
    request: HttpRequest | None = None,
) -> Fact:
    """A correction: the live ``fact`` becomes 已更正 and a new fact replaces it, keeping the history
    (``new.supersedes``). The organisation's correction is declared again; an officer's is verified."""
    user = active_user(actor)
    organisation = fact.organisation
    if user is None:
        raise RecordPermissionDenied(errors.NOT_YOURS)
    member = is_member(user, organisation)
    if not member:
        _require_officer(user, organisation)
    if not reason.strip():
        raise RecordError("reason", errors.REASON_REQUIRED, "reason_required")
    normalise_event(event_data)  # refuse a bad correction before touching anything
    with transaction.atomic():
        locked = Fact.objects.select_for_update().get(pk=fact.pk)
        if locked.state not in LIVE_STATES:
            raise RecordError("fact", errors.NOT_LIVE, "not_live")
        before = audit_snapshot(locked)
        locked.state = FactState.SUPERSEDED
        locked.note = reason.strip()
        locked.save(update_fields=["state", "note"])
        audit_record(
            actor=user,
            action=AuditAction.FACT_SUPERSEDE,
            obj=locked,
            before=before,
            after=audit_snapshot(locked),
            request=request,
        )
        new, created = _create(
            organisation=organisation,
            event_data=event_data,
            provenance=Provenance.DECLARED if member else Provenance.OFFICER,
            state=FactState.DECLARED if member else FactState.VERIFIED,
            actor=user,
            action=AuditAction.FACT_DECLARE if member else AuditAction.FACT_ENTER,
            evidence=[*locked.evidence.all(), *evidence],
            subject=locked.subject,
            source=locked.source,
            note="" if member else reason.strip(),
            supersedes=locked,
            request=request,
        )
        if not created:
            raise RecordError(
                "event", errors.DUPLICATE_FACT, "duplicate_fact", {"label": new.event_type, "date": new.date}
            )
        announce([organisation.pk], "fact_superseded")
    return new


def award_fact_record(
    *,
    organisation: Organisation,
    award_ref: str,
    matter: str,
    amount_fen: int,
    date: dt.date,
    policy: str,
    actor: User | None,
    events: Sequence[str] = (),
) -> Fact:
    """A platform award, on the record as a verified fact: a prior grant of its overlap group (``matter``)
    for every later calculation that reads one of the events it paid for (idempotent by ``award_ref``)."""
    fields = {
        "matter": matter,
        "amount_fen": int(amount_fen),
        "policy": policy,
        "award": award_ref,
        "events": sorted(set(events)),  # the digests of the facts the award paid for
    }
    digest = canonical_event_digest(AWARD_FACT, date, fields)
    existing = _live_with_digest(organisation, digest)
    if existing is not None:
        return existing
    with transaction.atomic():
        fact = Fact.objects.create(
            organisation=organisation,
            event_type=AWARD_FACT,
            date=date,
            fields=fields,
            digest=digest,
            ref=award_ref,
            provenance=Provenance.PLATFORM,
            source=policy[:200],
            state=FactState.VERIFIED,
            created_by=actor,
            decided_by=actor,
            decided_at=timezone.now(),
        )
        audit_record(actor=actor, action=AuditAction.FACT_PLATFORM, obj=fact, before=None, after=audit_snapshot(fact))
        announce([organisation.pk], "award")
    return fact


def award_fact_withdraw(*, organisation: Organisation, award_ref: str, actor: User | None, reason: str) -> None:
    """The award was cancelled: its fact leaves the record's current facts (kept, 已驳回, with the reason)."""
    with transaction.atomic():
        for fact in Fact.objects.select_for_update().filter(
            organisation=organisation, event_type=AWARD_FACT, ref=award_ref, state__in=LIVE_STATES
        ):
            before = audit_snapshot(fact)
            fact.state = FactState.REJECTED
            fact.note = reason
            fact.decided_by = actor
            fact.decided_at = timezone.now()
            fact.save(update_fields=["state", "note", "decided_by", "decided_at"])
            audit_record(
                actor=actor, action=AuditAction.FACT_WITHDRAW, obj=fact, before=before, after=audit_snapshot(fact)
            )
        announce([organisation.pk], "award_cancelled")


def contact_save(
    *, organisation: Organisation, actor: User, name: str, phone: str, role: str = "", email: str = ""
) -> Contact:
    user = _require_member(actor, organisation)
    contact = Contact(organisation=organisation, name=name.strip(), phone=phone.strip(), role=role.strip(), email=email)
    contact.full_clean()
    with transaction.atomic():
        contact.save()
        audit_record(
            actor=user, action=AuditAction.CONTACT_SAVE, obj=contact, before=None, after=audit_snapshot(contact)
        )
    return contact
