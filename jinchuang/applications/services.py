"""Writes of the application workflow: save a draft, submit once, move through the table, approve.

Every write runs in ``transaction.atomic()``, records an audit row in the same transaction and
notifies (in-app rows now, e-mail on commit). The one generic mover is
:func:`application_transition`; the table it obeys is ``workflow.TRANSITIONS``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from jinchuang.accounts.models import Organisation, Role, User
from jinchuang.applications import engine, errors
from jinchuang.applications.clock import add_working_time
from jinchuang.applications.conf import public_notice_days, step_working_hours
from jinchuang.applications.engine import engine_evaluate, fill_from_engine
from jinchuang.applications.errors import ApplicationError, TransitionNotAllowedError, TransitionPermissionDenied
from jinchuang.applications.models import Application, Award, ExpertScore, Instalment, ObjectionResolution, PublicNotice
from jinchuang.applications.notifications import notify
from jinchuang.applications.permissions import as_user, may_fire, owners_of, roles_of
from jinchuang.applications.quotas import quota_consume, quota_draws, quota_release
from jinchuang.applications.receipts import receipt_issue
from jinchuang.applications.workflow import STATE_LABELS, STEP_OWNER, Guard, State, Transition, transition_named
from jinchuang.audit.actions import AuditAction
from jinchuang.audit.services import audit_record, audit_snapshot
from jinchuang.policy.catalog import default_catalog
from jinchuang.policy.plan import split_fen
from jinchuang.records.evidence import evidence_for_stored_file
from jinchuang.records.models import Fact, FactState, Provenance
from jinchuang.records.services import award_fact_record, award_fact_withdraw

Effect = Callable[[Application, User, dict[str, Any], dt.datetime], None]


# --- submit once, drafts -----------------------------------------------------------------------
def _require_applicant(actor: User, organisation: Organisation) -> User:
    user = as_user(actor)
    if user is None or user.organisation_id != organisation.pk or Role.APPLICANT not in roles_of(user):
        raise TransitionPermissionDenied(errors.NOT_PERMITTED % {"transition": _("提交申报")})
    return user


def _same_measure(application: Application, measure_id: str) -> Application:
    if application.measure_id != measure_id:
        raise ApplicationError("idempotency_key", errors.KEY_REUSED, "key_reused", {"measure": application.measure_id})
    return application


def application_save_draft(
    *,
    organisation: Organisation,
    measure_id: str,
    case_data: dict[str, Any],
    idempotency_key: str,
    actor: User,
    request: HttpRequest | None = None,
) -> Application:
    """The autosave target: create or update the draft named by ``idempotency_key``.

    A draft that has since been submitted is returned unchanged (a late autosave changes nothing).
    """
    user = _require_applicant(actor, organisation)
    engine_measure_exists(measure_id)
    with transaction.atomic():
        application, created = Application.objects.select_for_update().get_or_create(
            organisation=organisation,
            idempotency_key=idempotency_key,
            defaults={"measure_id": measure_id, "case_data": case_data, "created_by": user, "state": State.DRAFT},
        )
        _same_measure(application, measure_id)
        if application.state != State.DRAFT or (not created and application.case_data == case_data):
            return application
        before = None if created else audit_snapshot(application)
        if not created:
            application.case_data = case_data
            application.save(update_fields=["case_data", "updated_at"])
        else:
            _enter_state(application, State.DRAFT, timezone.now())
            application.save()
        audit_record(
            actor=user,
            action=AuditAction.APPLICATION_DRAFT_SAVE,
            obj=application,
            before=before,
            after=audit_snapshot(application),
            request=request,
        )
    return application


def engine_measure_exists(measure_id: str) -> None:
    try:
        default_catalog().measure(measure_id)
    except KeyError:
        raise ApplicationError("measure_id", errors.NOT_A_MEASURE, "not_a_measure", {"measure": measure_id}) from None


def application_submit(
    *,
    organisation: Organisation,
    measure_id: str,
    case_data: dict[str, Any],
    idempotency_key: str,
    actor: User,
    request: HttpRequest | None = None,
) -> Application:
    """Submit once. A retry with the same key returns the application the first call made.

    The engine result (maximum, legal range, schedule, citation) is computed and stored; a measure
    the case is not eligible for is refused with the conditions that failed.
    """
    user = _require_applicant(actor, organisation)
    existing = Application.objects.filter(organisation=organisation, idempotency_key=idempotency_key).first()
    if existing is not None and existing.state != State.DRAFT:
        return _same_measure(existing, measure_id)
    engine_measure_exists(measure_id)
    with transaction.atomic():
        try:
            with transaction.atomic():
                application, _created = Application.objects.get_or_create(
                    organisation=organisation,
                    idempotency_key=idempotency_key,
                    defaults={"measure_id": measure_id, "case_data": case_data, "created_by": user},
                )
        except IntegrityError:  # a concurrent first call won the race: its application is the answer
            application = Application.objects.get(organisation=organisation, idempotency_key=idempotency_key)
        _same_measure(application, measure_id)
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.state != State.DRAFT:
            return application
        return application_transition(
            application=application, transition="submit", actor=user, request=request, case_data=case_data
        )


# --- the generic transition --------------------------------------------------------------------
def _enter_state(application: Application, state: State, now: dt.datetime) -> None:
    """Set the state with its responsible person/department and the step's deadline."""
    application.state = state
    application.step_started_at = now
    application.escalated_at = None
    application.escalated_to = None
    hours = step_working_hours().get(state)
    application.step_deadline = add_working_time(now, dt.timedelta(hours=hours)) if hours else None
    owner = STEP_OWNER.get(state)
    application.responsible_user = None
    application.responsible_department = ""
    if owner is None:
        return
    role = owner[0]
    if role is Role.APPLICANT:
        application.responsible_department = application.organisation.name
    elif role is Role.SERVICE_AGENT:
        agents = owners_of(application, state)
        application.responsible_user = agents[0] if agents else None
        application.responsible_department = str(Role.SERVICE_AGENT.label)
    elif role is Role.REVIEWER:
        application.responsible_department = application.lead_department
    elif role is Role.FINANCE:
        application.responsible_department = str(Role.FINANCE.label)


def _check_required(spec: Transition, data: dict[str, Any]) -> None:
    for field in spec.required:
        value = data.get(field)
        if value is None or (isinstance(value, str | list | tuple) and not value):
            raise ApplicationError(field, errors.FIELD_REQUIRED, "required")
        if isinstance(value, str) and not value.strip():
            raise ApplicationError(field, errors.FIELD_REQUIRED, "required")


def _guard_holds(guard: Guard, application: Application, now: dt.datetime) -> bool:
    if guard is Guard.NEEDS_EXPERT_REVIEW:
        return application.expert_review_required
    if guard is Guard.NO_EXPERT_REVIEW:
        return not application.expert_review_required
    if guard is Guard.EXPERTS_SCORED:
        scores = application.expert_scores.filter(recused_at__isnull=True)  # an expert who recused is off the case
        return scores.exists() and not scores.filter(score__isnull=True).exists()
    if guard is Guard.NOTICE_ENDED_CLEAN:
        notice = PublicNotice.objects.filter(application=application).first()
        if notice is None or now < notice.ends_at:
            return False
        return not notice.objections.exclude(resolution=ObjectionResolution.DISMISSED).exists()
    if guard is Guard.ALL_INSTALMENTS_PAID:
        award = Award.objects.filter(application=application).first()
        return award is not None and not award.instalments.filter(paid_on__isnull=True).exists()
    raise AssertionError(guard)


def application_transition(
    *,
    application: Application,
    transition: str,
    actor: User,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
    **data: Any,
) -> Application:
    """Fire ``transition`` on ``application`` as ``actor``: check state, permission, required fields
    and guard; run the transition's effect; write the new state, the audit row and the notices."""
    spec = transition_named(transition)
    now = now or timezone.now()
    with transaction.atomic():
        locked = Application.objects.select_for_update().select_related("organisation").get(pk=application.pk)
        state = State(locked.state)
        if state not in spec.sources:
            raise TransitionNotAllowedError(
                "state",
                errors.STATE_FORBIDS,
                "state_forbids",
                {"state": STATE_LABELS[state], "transition": spec.label},
            )
        if not may_fire(spec, locked, actor):
            raise TransitionPermissionDenied(errors.NOT_PERMITTED % {"transition": spec.label})
        user = as_user(actor)
        assert user is not None  # may_fire refuses anonymous actors
        _check_required(spec, data)
        if spec.guard is not None and not _guard_holds(spec.guard, locked, now):
            raise TransitionNotAllowedError("state", errors.GUARD_FAILED[spec.guard.value], spec.guard.value)
        before = audit_snapshot(locked)
        effect = EFFECTS.get(spec.name)
        if effect is not None:
            effect(locked, user, data, now)
        if "message" in data:
            locked.message = str(data["message"]).strip()
        _enter_state(locked, spec.target, now)
        if spec.target is State.PUBLIC_NOTICE:
            locked.step_deadline = locked.public_notice.ends_at
        locked.save()
        after = audit_snapshot(locked)
        # 审核意见: the officer's opinion on this step is kept with the transition's audit row (the history)
        opinion = str(data.get("opinion") or data.get("message") or "").strip()
        if opinion:
            after["opinion"] = opinion
        audit_record(
            actor=user,
            action=AuditAction.transition(spec.name),
            obj=locked,
            before=before,
            after=after,
            request=request,
        )
        _notify_transition(locked, spec, user)
    return locked


def _notify_transition(application: Application, spec: Transition, actor: User) -> None:
    label = STATE_LABELS[State(application.state)]
    text = _("申报《%(title)s》: %(step)s, 当前环节: %(state)s") % {
        "title": application.title or application.measure_id,
        "step": spec.label,
        "state": label,
    }
    if application.message and spec.name in {"return", "reject"}:
        text = _("%(text)s。说明: %(message)s") % {"text": text, "message": application.message}
    applicants = owners_of(application, State.RETURNED)  # the organisation's applicants
    next_owners = owners_of(application, State(application.state))
    notify(users=[u for u in [*applicants, *next_owners] if u.pk != actor.pk], text=text, application=application)


# --- effects of particular transitions ---------------------------------------------------------
def _effect_submit(application: Application, actor: User, data: dict[str, Any], now: dt.datetime) -> None:
    case_data = data.get("case_data", application.case_data)
    evaluation = engine_evaluate(
        application.organisation, application.measure_id, case_data, as_of=timezone.localdate(now), actor=actor
    )
    fill_from_engine(application, evaluation)
    application.facts.set(evaluation.facts)
    _materials_as_evidence(application, evaluation.facts)
    application.submitted_at = now
    receipt_issue(application=application, actor=actor, now=now)  # 申报编号, 查询码, 回执 (first submission)


def _materials_as_evidence(application: Application, facts: tuple[Fact, ...]) -> None:
    """The facts declared while applying keep the application's 申报材料 as their evidence (the same files)."""
    declared = [f for f in facts if f.state == FactState.DECLARED and f.provenance == Provenance.DECLARED]
    materials = list(application.materials.all())
    if not declared or not materials:
        return
    evidence = [
        evidence_for_stored_file(
            organisation=application.organisation,
            stored_name=m.stored_name,
            original_name=m.original_name,
            size=m.size,
            sha256=m.sha256,
            content_type=m.content_type,
            uploaded_by=m.uploaded_by,
        )
        for m in materials
    ]
    for fact in declared:
        fact.evidence.add(*evidence)


def _effect_resubmit(application: Application, actor: User, data: dict[str, Any], now: dt.datetime) -> None:
    if "case_data" in data:
        _effect_submit(application, actor, data, now)
    application.submitted_at = now


def _effect_send_to_experts(application: Application, actor: User, data: dict[str, Any], now: dt.datetime) -> None:
    experts: list[User] = list(data["experts"])
    for expert in experts:
        if Role.EXPERT not in roles_of(expert):
            raise ApplicationError("experts", errors.NOT_AN_EXPERT, "not_an_expert", {"user": str(expert)})
    for expert in experts:
        ExpertScore.objects.get_or_create(application=application, expert=expert)
    notify(
        users=experts,
        text=_("请评审申报《%(title)s》(%(citation)s)")
        % {"title": application.title, "citation": application.citation},
        application=application,
    )


def _effect_reject(application: Application, actor: User, data: dict[str, Any], now: dt.datetime) -> None:
    application.unmet_condition = str(data["unmet_condition"]).strip()
    _cancel_award(application, now)


def _effect_withdraw(application: Application, actor: User, data: dict[str, Any], now: dt.datetime) -> None:
    _cancel_award(application, now)


def _cancel_award(application: Application, now: dt.datetime) -> None:
    award = Award.objects.filter(application=application, cancelled_at__isnull=True).first()
    if award is None:
        return
    award.cancelled_at = now
    award.save(update_fields=["cancelled_at"])
    award.instalments.filter(paid_on__isnull=True).delete()
    quota_release(award=award)
    award_fact_withdraw(
        organisation=application.organisation, award_ref=award_ref(award), actor=None, reason=_("奖励已撤销")
    )


def award_ref(award: Award) -> str:
    return f"award-{award.pk}"


def require_facts_verified(application: Application) -> None:
    """Refuse approval while a fact the application relies on is not verified (待核验 or 已驳回)."""
    pending = [f for f in application.facts.all() if f.state != FactState.VERIFIED]
    if pending:
        vocabulary = default_catalog().vocabulary
        labels = _("、").join(
            f"{vocabulary[f.event_type].label if f.event_type in vocabulary else f.event_type}({f.date}, "
            f"{FactState(f.state).label})"
            for f in pending
        )
        raise ApplicationError("facts", errors.FACTS_UNVERIFIED, "facts_unverified", {"facts": labels})


def _effect_approve(application: Application, actor: User, data: dict[str, Any], now: dt.datetime) -> None:
    amount_fen = data["amount_fen"]
    reason = str(data.get("reason", "") or "").strip()
    _validate_amount(application, amount_fen, reason)
    require_facts_verified(application)
    award = Award.objects.create(
        application=application,
        organisation=application.organisation,
        measure_id=application.measure_id,
        lead_department=application.lead_department,
        valley=application.valley,
        amount_fen=amount_fen,
        approved_at=now,
        approved_by=actor,
    )
    quota_consume(organisation=application.organisation, award=award, draws=quota_draws(application, amount_fen))
    _create_instalments(application, award, now)
    application.approved_amount_fen = amount_fen
    application.reason_below_max = reason
    PublicNotice.objects.create(
        application=application, starts_at=now, ends_at=now + dt.timedelta(days=public_notice_days())
    )
    _award_on_record(application, award, now)


def _award_on_record(application: Application, award: Award, now: dt.datetime) -> None:
    """The award becomes a fact of the organisation's record: a prior grant of the measure's overlap
    group (就高不重复) for the events it paid, in every later calculation of any valley's documents."""
    found = engine.catalog_measure(application.measure_id)
    matter = found[1].overlap_group if found is not None else None
    if found is None or not matter:
        return
    doc = found[0]
    award_fact_record(
        organisation=application.organisation,
        award_ref=award_ref(award),
        matter=matter,
        amount_fen=award.amount_fen,
        date=timezone.localdate(now),
        policy=f"{doc.title} {application.citation}".strip(),
        actor=award.approved_by,
        events=[str(m["event_key"]) for m in application.matters if m.get("event_key")],
    )


def _validate_amount(application: Application, amount_fen: Any, reason: str) -> None:
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int):
        raise ApplicationError("amount_fen", errors.AMOUNT_NOT_INTEGER, "amount_not_integer")
    if amount_fen <= 0:
        raise ApplicationError("amount_fen", errors.AMOUNT_NOT_POSITIVE, "amount_not_positive")
    maximum = application.engine_max_fen
    if amount_fen > maximum:
        params = {"amount": errors.yuan(amount_fen), "max": errors.yuan(maximum)}
        raise ApplicationError("amount_fen", errors.AMOUNT_ABOVE_MAX, "amount_above_max", params)
    if application.review_min_fen is not None and amount_fen < application.review_min_fen:
        params = {"amount": errors.yuan(amount_fen), "min": errors.yuan(application.review_min_fen)}
        raise ApplicationError("amount_fen", errors.AMOUNT_BELOW_RANGE, "amount_below_range", params)
    if amount_fen < maximum and not reason:
        raise ApplicationError("reason", errors.REASON_REQUIRED, "reason_required", {"max": errors.yuan(maximum)})


def _create_instalments(application: Application, award: Award, now: dt.datetime) -> None:
    """The approved amount split over the paying items exactly (in proportion to their net amounts),
    each item's part split by the exact instalment shares stored at submission; instalments fall in
    the item's year plus the share's offset, counted from the year of approval."""
    approval_year = timezone.localtime(now).year
    matters = [m for m in application.matters if int(m["net_fen"]) > 0]
    by_year: dict[int, int] = defaultdict(int)
    if not matters:
        by_year[approval_year] = award.amount_fen
    else:
        found = engine.catalog_measure(application.measure_id)
        doc, measure = found if found is not None else (None, None)
        for matter, part in zip(matters, engine.matter_parts(matters, award.amount_fen), strict=True):
            shares = engine.matter_shares(matter, doc, measure)
            for (offset, _share), piece in zip(shares, split_fen(part, [s for _o, s in shares]), strict=True):
                by_year[int(matter["event_year"]) + offset] += piece
    first_year = min(by_year)
    rows = [
        Instalment(award=award, due_year=approval_year + year - first_year, amount_fen=amount)
        for year, amount in sorted(by_year.items())
        if amount > 0
    ]
    for sequence, row in enumerate(rows, start=1):
        row.sequence = sequence
    Instalment.objects.bulk_create(rows)


EFFECTS: dict[str, Effect] = {
    "submit": _effect_submit,
    "resubmit": _effect_resubmit,
    "send_to_experts": _effect_send_to_experts,
    "approve": _effect_approve,
    "reject": _effect_reject,
    "withdraw": _effect_withdraw,
}


def application_approve(
    *,
    application: Application,
    amount_fen: int,
    reason: str,
    actor: User,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
    opinion: str = "",
) -> Application:
    """Fix the amount (≤ the engine's maximum; a reason when below it), draw it from every cap's
    quota row in the database, create the award, its instalments and the 公示."""
    _validate_amount(application, amount_fen, str(reason or "").strip())
    require_facts_verified(application)
    default_catalog()  # load the catalog before the transaction takes the write lock
    return application_transition(
        application=application,
        transition="approve",
        actor=actor,
        request=request,
        now=now,
        amount_fen=amount_fen,
        reason=reason,
        opinion=opinion,
    )
