"""The exact per-case evaluator.

For every measure of the chosen valleys' documents it decides a status and an
exact amount (Decimal yuan, rounded half-up to the fen), applying in order:
conditions and validity window per event, the formula, per-award caps,
``combine: max`` between alternative rules, per-year and cumulative caps in
date order, netting of declared prior grants (就高不重复 against other
policies), then 就高不重复 between measures of one document, and finally the
instalment schedule.  Every step is recorded so the result can explain itself.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal

from jinchuang.policy import expr
from jinchuang.policy.case import Case, Event, Scalar
from jinchuang.policy.catalog import Catalog
from jinchuang.policy.i18n import active_language, gettext, gettext_noop
from jinchuang.policy.money import fen_to_yuan, format_yuan, round_fen, yuan_to_fen
from jinchuang.policy.plan import Compiled, MeasurePlan, RulePlan, measure_window, plan_for, split_fen, spread_reduction
from jinchuang.policy.results import CapHit, Failure, Instalment, Item, MeasureResult, Result, Status
from jinchuang.policy.schema import Caps, Document, EventType, Measure, MeasureKind
from jinchuang.policy.vocabulary import Valley

ZERO = Decimal("0.00")
#: the engine's own interpretation of 就高不重复 against declared prior grants (its words marked; a result gets
#: them in the active language, see :func:`jiugao_topup`)
JIUGAO_TOPUP = {
    "id": "jiugao-topup",
    "topic": gettext_noop("就高不重复(与申报人已获得的其他政策支持)"),
    "reading": gettext_noop("同一事项已获其他政策资金的, 本措施只补足高出部分(差额), 已获金额不低于本措施的不再支持"),
    "alternative": gettext_noop("已获其他政策支持的同一事项, 本措施一律不再支持"),
    "why": gettext_noop("“就高”要求申报人最终获得较高标准, “不重复”要求同一事项不重复享受; 补差额同时满足两者"),
}


def jiugao_topup() -> dict[str, str]:
    """:data:`JIUGAO_TOPUP` in the active language (the id stays)."""
    return {key: value if key == "id" else gettext(value) for key, value in JIUGAO_TOPUP.items()}


fen = round_fen
__all__ = ["evaluate", "evaluate_measure", "event_env", "fen", "measure_window"]


def yuan(value: Decimal) -> str:
    return format_yuan(value, unit=False)


def _months_between(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def event_env(case: Case, event: Event) -> dict[str, Scalar]:
    env: dict[str, Scalar] = dict(event.fields)
    applicant = case.applicant
    env["applicant_kind"] = applicant.kind.value
    env["event_year"] = Decimal(event.date.year)
    if applicant.settled_on is not None:
        env["in_valley"] = applicant.settled_on <= event.date
        env["months_in_valley"] = Decimal(_months_between(applicant.settled_on, event.date))
    for cert in applicant.certifications:
        env[f"cert_{cert}"] = True
    return env


def _missing_label(name: str, spec: EventType | None, vocabulary: Mapping[str, EventType] | None = None) -> str:
    """What is missing, in the vocabulary's words (never the field's code: people read this)."""
    if name in ("in_valley", "months_in_valley"):
        return gettext("入驻日期")
    if spec is not None and name in spec.fields:
        return spec.fields[name].label
    if name.startswith("cert_"):
        cert = vocabulary.get("certification_granted") if vocabulary is not None else None
        options = cert.fields["cert"].options if cert is not None and "cert" in cert.fields else None
        label = options.get(name[5:]) if options else None
        return gettext("资质“%(cert)s”") % {"cert": label} if label else gettext("所需资质")
    return gettext("所需信息")


class _RuleOutcome:
    __slots__ = ("failures", "first_failed", "item")

    def __init__(self, item: Item | None, failures: list[Failure], first_failed: int = 0) -> None:
        self.item = item
        self.failures = failures
        self.first_failed = first_failed

    @property
    def closeness(self) -> tuple[int, int]:
        """Fewer failures first; on a tie, the rule whose first conditions (usually the ones that
        select the kind of event, e.g. mode or board) passed is the nearer miss."""
        return (len(self.failures), -self.first_failed)


def _apply_rule(
    plan: RulePlan,
    event: Event,
    env: Mapping[str, Scalar],
    spec: EventType | None,
    window: tuple[dt.date, dt.date],
    measure_caps: Caps,
    vocabulary: Mapping[str, EventType] | None = None,
) -> _RuleOutcome:
    rule = plan.rule
    version = plan.version_for(event.date)
    failures: list[Failure] = []
    first_failed = len(rule.conditions)  # no condition failed (only the amount, if anything)
    if not window[0] <= event.date <= window[1]:
        first_failed = -1
        failures.append(
            Failure(
                gettext("事件日期 %(date)s 不在政策有效期 %(start)s 至 %(end)s 内")
                % {"date": event.date, "start": window[0], "end": window[1]},
                gettext("事件须发生在有效期内"),
                "valid_window",
            )
        )
    for position, compiled_condition in enumerate(version.conditions):
        cond = compiled_condition.condition
        if failures and first_failed == len(rule.conditions):
            first_failed = position - 1  # the condition before this one was the first to fail
        try:
            ok = bool(compiled_condition.compiled.run(env, rule.table))
        except expr.MissingField as missing:
            failures.append(
                Failure(
                    gettext("%(condition)s(缺少: %(missing)s)")
                    % {"condition": cond.text, "missing": _missing_label(missing.name, spec, vocabulary)},
                    cond.hint,
                    cond.expr,
                )
            )
            continue
        except (expr.ExpressionError, ArithmeticError) as exc:
            failures.append(
                Failure(
                    gettext("%(condition)s(无法判断: %(error)s)") % {"condition": cond.text, "error": exc},
                    cond.hint,
                    cond.expr,
                )
            )
            continue
        if not ok:
            failures.append(Failure(cond.text, cond.hint, cond.expr))
    if failures and first_failed == len(rule.conditions) and rule.conditions:
        first_failed = len(rule.conditions) - 1
    raw = ZERO
    review: tuple[Decimal, Decimal] | None = None
    formula = ""
    if rule.review_range is not None or rule.review_max is not None:
        low, high = (fen(rule.review_range[0]), fen(rule.review_range[1])) if rule.review_range else (ZERO, None)
        notes = [gettext("%(low)s–%(high)s 元") % {"low": yuan(low), "high": yuan(high)}] if high is not None else []
        if version.review_max is not None:
            ceiling = _formula_amount(version.review_max, plan, env, spec, failures, vocabulary)
            if ceiling is not None:
                high = ceiling if high is None else min(high, ceiling)
                notes.append(
                    gettext("上限 %(formula)s = %(amount)s 元")
                    % {"formula": version.review_max.text, "amount": yuan(ceiling)}
                )
        if version.review_min is not None:
            floor = _formula_amount(version.review_min, plan, env, spec, failures, vocabulary)
            if floor is not None:
                low = max(low, floor)
                notes.append(
                    gettext("下限 %(formula)s = %(amount)s 元")
                    % {"formula": version.review_min.text, "amount": yuan(floor)}
                )
        high = high if high is not None else ZERO
        review = (min(low, high), high)
        raw = high
        formula = gettext("经评审 %(notes)s") % {"notes": ", ".join(notes)}
    elif version.amount is not None:
        formula = version.amount.text
        amount = _formula_amount(version.amount, plan, env, spec, failures, vocabulary)
        raw = amount if amount is not None else ZERO
    if failures:
        return _RuleOutcome(None, failures, first_failed)
    item = Item(
        rule_id=rule.id,
        rule_label=rule.label,
        event_index=event.index,
        event_type=event.type,
        event_date=event.date,
        formula=formula,
        raw=raw,
        amount=raw,
        review_range=review,
        interpretations=tuple(rule.interpretations),
    )
    for scope, caps in ((rule.id, rule.caps), ("measure", measure_caps)):
        if caps.per_award is not None and item.amount > caps.per_award:
            limit = fen(caps.per_award)
            item.caps.append(CapHit("per_award", scope, limit, item.amount - limit))
            item.amount = limit
    return _RuleOutcome(item, [])


def _formula_amount(
    compiled: Compiled,
    plan: RulePlan,
    env: Mapping[str, Scalar],
    spec: EventType | None,
    failures: list[Failure],
    vocabulary: Mapping[str, EventType] | None = None,
) -> Decimal | None:
    """A formula's value in yuan, clamped at zero and rounded to the fen; None (and a failure) if it cannot be."""
    rule, source = plan.rule, compiled.source
    try:
        value = compiled.run(env, rule.table)
        if not isinstance(value, Decimal) or isinstance(value, bool):
            raise expr.ExpressionError(gettext("金额公式结果不是数字"))
        return fen(max(value, ZERO))
    except expr.MissingField as missing:
        label = _missing_label(missing.name, spec, vocabulary)
        if missing.name.startswith("table["):
            failures.append(
                Failure(
                    gettext("%(rule)s: 该类别不在支持范围内 (%(key)s)") % {"rule": rule.label, "key": missing.name},
                    None,
                    source,
                )
            )
        else:
            failures.append(
                Failure(
                    gettext("计算金额所需信息缺少: %(missing)s") % {"missing": label},
                    gettext("请提供 %(missing)s") % {"missing": label},
                    source,
                )
            )
    except (expr.ExpressionError, ArithmeticError) as exc:
        failures.append(Failure(gettext("金额无法计算: %(error)s") % {"error": exc}, None, source))
    return None


def _apply_running_caps(items: list[Item], scope: str, caps: Caps) -> None:
    """Per-year and cumulative caps, consumed in date order."""
    if caps.per_entity_per_year is None and caps.cumulative_per_entity is None:
        return
    per_year: dict[int, Decimal] = defaultdict(lambda: ZERO)
    total = ZERO
    for item in sorted(items, key=lambda i: (i.event_date, i.event_index)):
        year = item.event_date.year
        if caps.per_entity_per_year is not None:
            limit = fen(caps.per_entity_per_year)
            room = max(limit - per_year[year], ZERO)
            if item.amount > room:
                item.caps.append(CapHit("per_entity_per_year", scope, limit, item.amount - room))
                item.amount = room
        if caps.cumulative_per_entity is not None:
            limit = fen(caps.cumulative_per_entity)
            room = max(limit - total, ZERO)
            if item.amount > room:
                item.caps.append(CapHit("cumulative_per_entity", scope, limit, item.amount - room))
                item.amount = room
        per_year[year] += item.amount
        total += item.amount


def _schedule(plan: MeasurePlan, items: Iterable[Item], amount: Decimal) -> list[Instalment]:
    """Instalments by year: the measure's amount after netting, spread over its items (the
    reduction taken from the latest item first), each item split by its rule's exact shares."""
    chosen = [i for i in items if i.chosen and i.amount > 0]
    if not chosen or amount <= 0:
        return []
    by_year: dict[int, Decimal] = defaultdict(lambda: ZERO)
    if sum((i.amount for i in chosen), ZERO) == amount:  # nothing netted: every item keeps its amount
        kept = [(i, i.amount) for i in chosen]
    else:
        cut = spread_reduction(
            chosen, lambda i: yuan_to_fen(i.amount), lambda i: (i.event_date, i.event_index), yuan_to_fen(amount)
        )
        kept = [(i, fen_to_yuan(value)) for i, value in cut]
    for item, value in kept:
        if value <= 0:
            continue
        shares = plan.rule(item.rule_id).schedule
        if len(shares) == 1:  # one payment, in the item's year (plus its offset)
            by_year[item.event_date.year + shares[0][0]] += value
            continue
        parts = split_fen(yuan_to_fen(value), [s for _o, s in shares])
        for (offset, _share), part in zip(shares, parts, strict=True):
            by_year[item.event_date.year + offset] += fen_to_yuan(part)
    return [Instalment(year, by_year[year]) for year in sorted(by_year)]


def evaluate_measure(
    case: Case,
    doc: Document,
    measure: Measure,
    vocabulary: Mapping[str, EventType],
    explain: bool = True,
    events_by_type: Mapping[str, list[Event]] | None = None,
    envs: dict[int, dict[str, Scalar]] | None = None,
) -> MeasureResult:
    plan = plan_for(doc, measure)
    result = MeasureResult(
        measure_id=measure.id,
        document_id=doc.id,
        valley=plan.valley,
        wenhao=doc.wenhao,
        clause=measure.clause,
        title=measure.title,
        kind=plan.kind,
        category=measure.category,
        text=measure.text,
        status=Status.NOT_ELIGIBLE,
    )
    result.applicable = case.applicant.kind in plan.beneficiaries
    if plan.fixed_status is not None:
        result.status = plan.fixed_status
        result.interpretations = [dict(i) for i in plan.interpretations]
        return result
    if measure.disabled:
        result.failed = [Failure(gettext("本措施已按政策调整方案停止执行"), None, "disabled")]
        return result
    if not result.applicable:
        result.failed = [_kind_failure(measure)]
        return result
    if events_by_type is None:
        grouped: dict[str, list[Event]] = defaultdict(list)
        for e in case.events:
            grouped[e.type].append(e)
        events_by_type = grouped
    if not any(t in events_by_type for t in plan.event_types):  # nothing triggers the measure
        result.failed = [_missing_event_failure(measure, vocabulary)]
        result.interpretations = [dict(d) for d in plan.interpretations if d["id"] in plan.rule_interpretations]
        if explain:
            result.explanation = _explain(case, measure, result)
        return result
    if envs is None:
        envs = {}
    window = plan.window
    items: list[Item] = []
    best: _RuleOutcome | None = None
    for rule_plan in plan.rules:
        spec = vocabulary.get(rule_plan.rule.event)
        for event in events_by_type.get(rule_plan.rule.event, ()):
            env = envs.get(event.index)
            if env is None:
                env = envs[event.index] = event_env(case, event)
            outcome = _apply_rule(rule_plan, event, env, spec, window, measure.caps, vocabulary)
            if outcome.item is not None:
                items.append(outcome.item)
            elif best is None or outcome.closeness < best.closeness:
                best = outcome
    if measure.combine == "max":
        by_event: dict[int, list[Item]] = defaultdict(list)
        for item in items:
            by_event[item.event_index].append(item)
        for group in by_event.values():
            top = max(group, key=lambda i: (i.amount, -plan.rule(i.rule_id).position))
            for item in group:
                item.chosen = item is top
    chosen = [i for i in items if i.chosen]
    groups: dict[str, list[Item]] = defaultdict(list)
    for item in chosen:
        groups[plan.rule(item.rule_id).cap_key].append(item)
    for key, caps in plan.cap_groups:
        if key in groups:
            _apply_running_caps(groups[key], key, caps)
    _apply_running_caps(chosen, "measure", measure.caps)
    result.items = items
    used_interpretations = {i for item in chosen for i in item.interpretations}
    if not chosen:
        result.failed = best.failures if best else [_missing_event_failure(measure, vocabulary)]
        used_interpretations = set(plan.rule_interpretations)
    else:
        result.amount = sum((i.amount for i in chosen), ZERO)
        reviews = [i for i in chosen if i.review_range is not None]
        if reviews:
            result.status = Status.NEEDS_REVIEW
            low = sum((min(i.review_range[0], i.amount) for i in reviews if i.review_range), ZERO)
            fixed = sum((i.amount for i in chosen if i.review_range is None), ZERO)
            result.review_range = (low + fixed, result.amount)
        else:
            result.status = Status.ELIGIBLE
        _net_prior_grants(case, measure, result)
        result.schedule = _schedule(plan, chosen, result.amount)
    result.interpretations = [dict(d) for d in plan.interpretations if d["id"] in used_interpretations]
    if result.prior_grant_deduction > 0:
        result.interpretations.append(jiugao_topup())
    if explain:
        result.explanation = _explain(case, measure, result)
    return result


_KIND_FAILURES: dict[tuple[int, str], tuple[Measure, Failure]] = {}
_EVENT_FAILURES: dict[tuple[int, int, str], tuple[Measure, Mapping[str, EventType], Failure]] = {}


def _kind_failure(measure: Measure) -> Failure:
    """申请主体类型不符 (built once per measure object and active language; a Failure is immutable)."""
    key = (id(measure), active_language())
    cached = _KIND_FAILURES.get(key)
    if cached is None or cached[0] is not measure:
        if len(_KIND_FAILURES) > 10_000:
            _KIND_FAILURES.clear()
        allowed = gettext("、").join(gettext(b.value) for b in measure.beneficiaries)
        failure = Failure(
            gettext("申请主体类型不符: 本措施适用于 %(kinds)s") % {"kinds": allowed},
            gettext("由符合类型的主体申报"),
            "applicant_kind",
        )
        cached = _KIND_FAILURES[key] = (measure, failure)
    return cached[1]


def _missing_event_failure(measure: Measure, vocabulary: Mapping[str, EventType]) -> Failure:
    """缺少事件 (built once per measure, vocabulary object and active language)."""
    key = (id(measure), id(vocabulary), active_language())
    cached = _EVENT_FAILURES.get(key)
    if cached is None or cached[0] is not measure or cached[1] is not vocabulary:
        if len(_EVENT_FAILURES) > 10_000:
            _EVENT_FAILURES.clear()
        cached = _EVENT_FAILURES[key] = (measure, vocabulary, _build_missing_event_failure(measure, vocabulary))
    return cached[2]


def _build_missing_event_failure(measure: Measure, vocabulary: Mapping[str, EventType]) -> Failure:
    labels = []
    for rule in measure.rules:
        spec = vocabulary.get(rule.event)
        label = spec.label if spec else rule.event
        if label not in labels:
            labels.append(label)
    return Failure(
        gettext("缺少事件: %(events)s") % {"events": gettext("、").join(labels)},
        gettext("在案例中登记相应事件"),
        "events",
    )


def _net_prior_grants(case: Case, measure: Measure, result: MeasureResult) -> None:
    if measure.overlap_group is None:
        return
    grants = [
        g
        for g in case.prior_grants
        if g.matter == measure.overlap_group and not (measure.stacks_on_provincial and g.level == "provincial")
    ]
    if not grants:
        return
    prior = sum((g.amount for g in grants), ZERO)
    deduction = min(prior, result.amount)
    result.prior_grant_deduction = deduction
    result.amount -= deduction
    if result.review_range is not None:
        result.review_range = (max(result.review_range[0] - deduction, ZERO), result.amount)
    policies = gettext("、").join(g.policy for g in grants)
    result.overlap = gettext("就高不重复: 同一事项已获 %(policies)s 支持 %(prior)s 元, 本措施扣减 %(deduction)s 元") % {
        "policies": policies,
        "prior": yuan(prior),
        "deduction": yuan(deduction),
    }


def _explain(case: Case, measure: Measure, result: MeasureResult) -> list[str]:
    lines: list[str] = []
    for item in result.items:
        head = f"{item.event_date} {item.rule_label}: {item.formula}"
        if not item.chosen:
            lines.append(
                gettext("%(head)s = %(raw)s 元 (同一事件另有较高标准, 不重复计算)")
                % {"head": head, "raw": yuan(item.raw)}
            )
            continue
        caps = "; ".join(
            gettext("受%(cap)s %(limit)s 元限制, 核减 %(cut)s 元")
            % {"cap": gettext(c.as_dict()["label"]), "limit": yuan(c.limit), "cut": yuan(c.cut)}
            for c in item.caps
        )
        lines.append(
            gettext("%(head)s = %(raw)s 元") % {"head": head, "raw": yuan(item.raw)}
            + (f"; {caps}" if caps else "")
            + gettext(" → %(amount)s 元") % {"amount": yuan(item.amount)}
        )
    if result.overlap:
        lines.append(result.overlap)
    for failure in result.failed:
        lines.append(gettext("未满足: %(failure)s") % {"failure": failure.text})
    return lines


def _resolve_overlaps(results: list[MeasureResult], measures: Mapping[str, Measure]) -> None:
    """就高不重复 inside one document: one payment per matter, the highest."""
    groups: dict[tuple[str, str], list[MeasureResult]] = defaultdict(list)
    for r in results:
        group = measures[r.measure_id].overlap_group
        if group and r.status in (Status.ELIGIBLE, Status.NEEDS_REVIEW) and r.amount > 0:
            groups[(r.document_id, group)].append(r)
    for members in groups.values():
        if len(members) < 2:
            continue
        best = max(members, key=lambda r: (r.amount, r.measure_id))
        for r in members:
            if r is best:
                continue
            r.overlap = gettext(
                "就高不重复: 与 %(citation)s《%(title)s》为同一事项, "
                "按较高的 %(best)s 元支持, 本措施不再重复支持 (原 %(amount)s 元)"
            ) % {"citation": best.citation, "title": best.title, "best": yuan(best.amount), "amount": yuan(r.amount)}
            r.amount = ZERO
            r.review_range = None if r.review_range is None else (ZERO, ZERO)
            r.schedule = []
            if r.explanation:
                r.explanation.append(r.overlap)


def evaluate(
    case: Case,
    catalog: Catalog,
    valleys: Iterable[Valley] | None = None,
    explain: bool = True,
    cash_only: bool = False,
) -> Result:
    """Evaluate every measure of the chosen valleys (default: the applicant's, else all five).

    ``cash_only`` leaves out the measures that pay nothing computed (in kind, services, 一事一议,
    principles) — for bulk runs that only compare or total amounts; cash results are the same."""
    if valleys is None:
        chosen = [case.applicant.valley] if case.applicant.valley else list(Valley)
    else:
        chosen = list(valleys)
    grouped: dict[str, list[Event]] = defaultdict(list)
    for e in case.events:
        grouped[e.type].append(e)
    envs: dict[int, dict[str, Scalar]] = {}
    results: list[MeasureResult] = []
    measures: dict[str, Measure] = {}
    for valley in chosen:
        for doc in catalog.for_valley(valley):
            for measure in doc.measures:
                if cash_only and measure.kind is not MeasureKind.CASH:
                    continue
                measures[measure.id] = measure
                results.append(evaluate_measure(case, doc, measure, catalog.vocabulary, explain, grouped, envs))
    _resolve_overlaps(results, measures)
    return Result(as_of=case.as_of, valleys=[v.value for v in chosen], measures=results)
