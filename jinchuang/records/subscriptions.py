"""Policy subscriptions (政策订阅): an organisation asks to be told when a measure of some categories
and/or valleys is added or changes and its record may qualify for it.

- ``subscription_save``: a member sets the categories and valleys (empty lists mean all).
- ``catalog_publish``: records the catalog's measures (one fingerprint per measure) and, when something
  was added or changed, enqueues the task ``records.subscriptions_notify`` (jobs.py). The same catalog
  published again does nothing.
- ``subscriptions_notify``: for each subscription that has not seen the current catalog, the measures of
  its categories/valleys changed since the version it last saw are judged on the organisation's record;
  those it may qualify for (符合条件 / 需评审 / 尚缺条件) are announced once (``policy_news``) to the
  areas that notify people, and the subscription remembers the version.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jinchuang.accounts.models import Organisation, User
from jinchuang.audit.actions import AuditAction
from jinchuang.audit.services import audit_record, audit_snapshot
from jinchuang.policy.case import CaseError, parse_case
from jinchuang.policy.catalog import Catalog, default_catalog
from jinchuang.policy.categories import CATEGORY_LABELS
from jinchuang.policy.evaluate import evaluate
from jinchuang.policy.results import MeasureResult, Status
from jinchuang.policy.vocabulary import Valley
from jinchuang.records import errors
from jinchuang.records.errors import RecordError, RecordPermissionDenied
from jinchuang.records.models import CatalogPublication, MeasureFingerprint, Subscription
from jinchuang.records.permissions import active_user, is_member
from jinchuang.records.selectors import case_from_facts, live_facts
from jinchuang.records.signals import policy_news
from jinchuang.tasks.services import enqueue

NOTIFY_TASK = "records.subscriptions_notify"
UNKNOWN_CATEGORY = _("未知的政策类别: %(value)s")
UNKNOWN_VALLEY = _("未知的晋创谷: %(value)s")
NEWS_HEAD = _("政策更新: 以下新增或调整的政策您可能可以享受")
NEWS_ELIGIBLE = _("符合条件")
NEWS_REVIEW = _("需评审")
NEWS_MISSING = _("尚缺条件")
MAX_NEWS_ITEMS = 8
NEWS_LINK = "/calculator/"


# --- what a subscriber may choose ---------------------------------------------------------------------------


def catalog_categories(catalog: Catalog | None = None) -> list[tuple[str, str]]:
    """(code, Chinese label) of every category the catalog's measures use, in the label table's order."""
    used = {m.category for _d, m in (catalog or default_catalog()).measures()}
    ordered = [c for c in CATEGORY_LABELS if c in used] + sorted(used - set(CATEGORY_LABELS))
    return [(c, CATEGORY_LABELS.get(c, c)) for c in ordered]


def subscription_of(organisation: Organisation) -> Subscription | None:
    return Subscription.objects.filter(organisation=organisation).first()


def subscription_save(
    *, organisation: Organisation, actor: User, categories: Sequence[str], valleys: Sequence[str]
) -> Subscription:
    """A member sets what the organisation follows (every value checked; the field is named)."""
    user = active_user(actor)
    if user is None or not is_member(user, organisation):
        raise RecordPermissionDenied(errors.NOT_YOURS)
    known = {c for c, _label in catalog_categories()}
    for value in categories:
        if value not in known:
            raise RecordError("categories", str(UNKNOWN_CATEGORY % {"value": value}), "unknown_category")
    valley_codes = {v.value for v in Valley}
    for value in valleys:
        if value not in valley_codes:
            raise RecordError("valleys", str(UNKNOWN_VALLEY % {"value": value}), "unknown_valley")
    with transaction.atomic():
        subscription, created = Subscription.objects.select_for_update().get_or_create(
            organisation=organisation, defaults={"catalog_digest": _latest_digest()}
        )
        before = None if created else audit_snapshot(subscription)
        subscription.categories = sorted(set(categories))
        subscription.valleys = sorted(set(valleys))
        subscription.save()
        audit_record(
            actor=user,
            action=AuditAction.SUBSCRIPTION_SAVE,
            obj=subscription,
            before=before,
            after=audit_snapshot(subscription),
        )
    return subscription


def _latest_digest() -> str:
    """A new subscription is told about changes after the version published when it subscribed."""
    latest = CatalogPublication.objects.order_by("-pk").first()
    return latest.digest if latest is not None else ""


# --- publishing a catalog -------------------------------------------------------------------------------------


def measure_fingerprint(measure: Any, valley: str) -> str:
    """A SHA-256 of everything a measure says and computes (text, parameters, rules, caps, dates)."""
    content = {"valley": valley, "measure": measure.model_dump(mode="json")}
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def catalog_publish(*, catalog: Catalog | None = None, actor: User | None = None) -> tuple[CatalogPublication, bool]:
    """Record the catalog's measures; (publication, True) when this version is new. A new version with
    added or changed measures enqueues the notify task (keyed by the version: enqueued once)."""
    catalog = catalog or default_catalog()
    digest = catalog.digest
    with transaction.atomic():
        existing = CatalogPublication.objects.filter(digest=digest).first()
        if existing is not None:
            return existing, False
        publication = CatalogPublication.objects.create(digest=digest)
        known = {f.measure_id: f for f in MeasureFingerprint.objects.select_for_update()}
        changed: list[str] = []
        for document, measure in catalog.measures():
            fingerprint = measure_fingerprint(measure, document.valley.value)
            row = known.get(measure.id)
            if row is not None and row.fingerprint == fingerprint:
                continue
            changed.append(measure.id)
            values = {
                "fingerprint": fingerprint,
                "catalog_digest": digest,
                "publication": publication,
                "category": measure.category,
                "valley": document.valley.value,
            }
            MeasureFingerprint.objects.update_or_create(measure_id=measure.id, defaults=values)
        publication.changed = changed
        publication.save(update_fields=["changed"])
        audit_record(
            actor=actor,
            action=AuditAction.CATALOG_PUBLISH,
            obj=publication,
            before=None,
            after={"digest": digest, "changed": changed},
        )
        if changed:
            enqueue(NOTIFY_TASK, digest, {"digest": digest})
    return publication, True


# --- telling the subscribers ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class News:
    measure_id: str
    valley: str
    title: str
    citation: str
    verdict: str  # Chinese: 符合条件 / 需评审 / 尚缺条件


def published_catalog() -> Catalog:
    """The catalog subscriptions are judged against (the shipped one; tests give a reformed one)."""
    return default_catalog()


def changed_since(digest: str) -> list[MeasureFingerprint]:
    """The measures added or changed in the versions published after ``digest`` (all, for a version
    never published)."""
    seen = CatalogPublication.objects.filter(digest=digest).first() if digest else None
    rows = MeasureFingerprint.objects.all()
    if seen is not None:
        rows = rows.filter(publication__pk__gt=seen.pk)
    return list(rows)


def _wanted(subscription: Subscription, rows: Sequence[MeasureFingerprint]) -> list[MeasureFingerprint]:
    categories = set(subscription.categories or [])
    valleys = set(subscription.valleys or [])
    return [r for r in rows if (not categories or r.category in categories) and (not valleys or r.valley in valleys)]


def _verdict(result: MeasureResult) -> str | None:
    if result.status is Status.ELIGIBLE:
        return str(NEWS_ELIGIBLE)
    if result.status is Status.NEEDS_REVIEW:
        return str(NEWS_REVIEW)
    if (
        result.status is Status.NOT_ELIGIBLE
        and result.applicable
        and result.failed
        and not any(f.expr == "disabled" for f in result.failed)
    ):
        return str(NEWS_MISSING)  # the measure applies to the organisation; only conditions are missing
    return None


def news_for(organisation: Organisation, measure_ids: Sequence[str], catalog: Catalog) -> list[News]:
    """The measures among ``measure_ids`` the organisation's record may qualify for (today)."""
    if not measure_ids:
        return []
    wanted = set(measure_ids)
    valleys = sorted({d.valley for d, m in catalog.measures() if m.id in wanted}, key=lambda v: list(Valley).index(v))
    record = case_from_facts(organisation, live_facts(organisation), as_of=timezone.localdate())
    try:
        result = evaluate(parse_case(record.case_data, catalog), catalog, valleys, explain=False)
    except CaseError:
        return []  # the record cannot be judged (e.g. an incomplete identity): nothing to promise
    out = []
    for m in result.measures:
        if m.measure_id not in wanted:
            continue
        verdict = _verdict(m)
        if verdict is not None:
            out.append(News(m.measure_id, m.valley, m.title, m.citation, verdict))
    return out


def news_text(news: Sequence[News]) -> str:
    lines = [f"{n.valley} {n.title}({n.citation}): {n.verdict}" for n in news[:MAX_NEWS_ITEMS]]
    more = len(news) - MAX_NEWS_ITEMS
    return f"{NEWS_HEAD}: " + "; ".join(lines) + (f" …(+{more})" if more > 0 else "")


def subscription_notify(subscription: Subscription, *, catalog: Catalog) -> list[News]:
    """Tell one subscription about the current version once: the version is taken by a conditional
    UPDATE, so a job run twice (or two workers) sends nothing the second time."""
    digest = catalog.digest
    seen = subscription.catalog_digest
    if seen == digest:
        return []
    rows = _wanted(subscription, changed_since(seen))
    news = news_for(subscription.organisation, [r.measure_id for r in rows], catalog)
    with transaction.atomic():
        taken = Subscription.objects.filter(pk=subscription.pk, catalog_digest=seen).update(
            catalog_digest=digest, updated_at=timezone.now()
        )
        if not taken:
            return []
        audit_record(
            actor=None,
            action=AuditAction.SUBSCRIPTION_NOTIFY,
            obj=subscription,
            before={"catalog_digest": seen},
            after={"catalog_digest": digest, "measures": [n.measure_id for n in news]},
        )
        if news:
            organisation_id, text = subscription.organisation_id, news_text(news)
            transaction.on_commit(
                lambda: policy_news.send(
                    sender=Subscription, organisation_id=organisation_id, text=text, link=NEWS_LINK
                )
            )
    return news


def subscriptions_notify(*, catalog: Catalog | None = None) -> dict[str, int]:
    catalog = catalog or published_catalog()
    told = 0
    seen = 0
    for subscription in Subscription.objects.exclude(catalog_digest=catalog.digest).select_related("organisation"):
        seen += 1
        if subscription_notify(subscription, catalog=catalog):
            told += 1
    return {"subscriptions": seen, "notified": told}
