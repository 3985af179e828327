"""The vectorised evaluator: the same catalog, compiled to Polars, for whole populations.

It must agree with :mod:`jinchuang.policy.evaluate` to the fen (a property test checks it on
100,000 generated cases).  Numbers are exact scaled integers: every numeric expression carries a
decimal scale known at compile time (money columns are fen, scale 2; ``0.20`` is 20 at scale 2;
a product's scale is the sum of its factors'), so no float and no Polars Decimal rounding is
involved.  "Missing" follows the exact evaluator: a variable that is absent makes the expression
raise, except where ``and``/``or``/``if`` would not have evaluated it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from jinchuang.policy import expr
from jinchuang.policy.catalog import Catalog
from jinchuang.policy.money import yuan_to_fen
from jinchuang.policy.plan import MeasurePlan, RulePlan, Version, plan_for
from jinchuang.policy.population import Population, column_name, field_dtype
from jinchuang.policy.schema import Caps, Document, EventType, Measure, MeasureKind
from jinchuang.policy.vocabulary import Valley

MAX_SCALE = 8
CASH = MeasureKind.CASH


class VectorisationError(ValueError):
    """An expression uses something the vectorised evaluator cannot do exactly."""


@dataclass(frozen=True)
class Compiled:
    value: pl.Expr
    missing: pl.Expr  # True where the exact evaluator would raise MissingField
    kind: str  # num | str | bool
    scale: int = 0


def _const_scaled(value: Decimal) -> tuple[int, int]:
    _sign, _digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    scale = max(-exponent, 0)
    return int(value.scaleb(scale)), scale


def _rescale(c: Compiled, scale: int) -> pl.Expr:
    if c.kind != "num":
        raise VectorisationError("需要数字")
    if scale == c.scale:
        return c.value
    factor: pl.Expr = c.value * (10 ** (scale - c.scale))
    return factor


def _truthy(c: Compiled) -> pl.Expr:
    if c.kind == "bool":
        return c.value
    if c.kind == "num":
        return c.value != 0
    return c.value.str.len_chars() > 0


FALSE = pl.lit(False)


class Compiler:
    """Compiles expression trees for one event type's frame."""

    def __init__(self, spec: EventType, table: Mapping[str, Decimal] | None) -> None:
        self.spec = spec
        self.table = table

    def var(self, name: str) -> Compiled:
        if name in self.spec.fields:
            ftype = self.spec.fields[name].type
            col = pl.col(column_name(name, ftype))
            kind = {"money": "num", "ratio": "num", "int": "num", "bool": "bool"}.get(ftype, "str")
            scale = {"money": 2, "ratio": 6}.get(ftype, 0)
            return Compiled(col, col.is_null(), kind, scale)
        if name == "applicant_kind":
            return Compiled(pl.col("kind"), pl.col("kind").is_null(), "str")
        if name == "event_year":
            return Compiled(pl.col("date").dt.year().cast(pl.Int64), FALSE, "num")
        if name == "in_valley":
            return Compiled(pl.col("settled_on") <= pl.col("date"), pl.col("settled_on").is_null(), "bool")
        if name == "months_in_valley":
            s, d = pl.col("settled_on"), pl.col("date")
            months = ((d.dt.year() - s.dt.year()) * 12 + d.dt.month() - s.dt.month()).cast(pl.Int64)
            months = months - (d.dt.day() < s.dt.day()).cast(pl.Int64)
            return Compiled(pl.max_horizontal(months, pl.lit(0, pl.Int64)), s.is_null(), "num")
        if name.startswith("cert_"):
            has = pl.col("certifications").list.contains(name[5:]).fill_null(False)
            return Compiled(has, ~has, "bool")
        raise VectorisationError(f"未知变量 {name}")

    def compile(self, node: expr.Node) -> Compiled:
        if isinstance(node, expr.Const):
            v = node.value
            if isinstance(v, bool):
                return Compiled(pl.lit(v), FALSE, "bool")
            if isinstance(v, Decimal):
                value, scale = _const_scaled(v)
                return Compiled(pl.lit(value, pl.Int64), FALSE, "num", scale)
            if isinstance(v, str):
                return Compiled(pl.lit(v), FALSE, "str")
            return Compiled(pl.lit(None), pl.lit(True), "str")  # None: always missing
        if isinstance(node, expr.Var):
            return self.var(node.name)
        if isinstance(node, expr.BinOp):
            a, b = self.compile(node.left), self.compile(node.right)
            missing = a.missing | b.missing
            if node.op == "*":
                if a.scale + b.scale > MAX_SCALE:
                    raise VectorisationError("小数位过多")
                return Compiled(_rescale(a, a.scale) * _rescale(b, b.scale), missing, "num", a.scale + b.scale)
            if node.op in "+-":
                s = max(a.scale, b.scale)
                x, y = _rescale(a, s), _rescale(b, s)
                return Compiled(x + y if node.op == "+" else x - y, missing, "num", s)
            raise VectorisationError("向量化求值不支持除法")
        if isinstance(node, expr.Neg):
            a = self.compile(node.operand)
            return Compiled(-_rescale(a, a.scale), a.missing, "num", a.scale)
        if isinstance(node, expr.Compare):
            return self._compare(node)
        if isinstance(node, expr.InSet):
            a = self.compile(node.value)
            if a.kind == "num":
                opts = [
                    _const_scaled(o)[0] * 10 ** (a.scale - _const_scaled(o)[1])
                    for o in node.options
                    if isinstance(o, Decimal) and _const_scaled(o)[1] <= a.scale
                ]
            else:
                opts = [o for o in node.options if isinstance(o, str | bool)]
            inside = a.value.is_in(opts).fill_null(False)
            return Compiled(~inside if node.negate else inside, a.missing, "bool")
        if isinstance(node, expr.BoolOp):
            return self._boolop(node)
        if isinstance(node, expr.Not):
            a = self.compile(node.operand)
            return Compiled(~_truthy(a), a.missing, "bool")
        if isinstance(node, expr.Call):
            parts = [self.compile(x) for x in node.args]
            s = max(p.scale for p in parts)
            values = [_rescale(p, s) for p in parts]
            fn = pl.min_horizontal if node.func == "min" else pl.max_horizontal
            return Compiled(fn(*values), pl.any_horizontal(*[p.missing for p in parts]), "num", s)
        if isinstance(node, expr.Lookup):
            key = self.compile(node.key)
            if self.table is None:
                raise VectorisationError("没有 table")
            scaled = {k: _const_scaled(v) for k, v in self.table.items()}
            s = max((sc for _, sc in scaled.values()), default=0)
            mapping = {k: v * 10 ** (s - sc) for k, (v, sc) in scaled.items()}
            looked = key.value.replace_strict(mapping, default=None, return_dtype=pl.Int64)
            return Compiled(looked, key.missing | looked.is_null(), "num", s)
        if isinstance(node, expr.IfElse):
            t, b, o = self.compile(node.test), self.compile(node.body), self.compile(node.orelse)
            test = _truthy(t)
            scale = 0
            if b.kind == "num" or o.kind == "num":
                scale = max(b.scale, o.scale)
                body, other = _rescale(b, scale), _rescale(o, scale)
            else:
                body, other = b.value, o.value
            picked = pl.when(test).then(body).otherwise(other)
            missing = t.missing | pl.when(test).then(b.missing).otherwise(o.missing)
            return Compiled(picked, missing.fill_null(True), b.kind if b.kind == o.kind else "num", scale)
        raise VectorisationError(f"不支持的表达式 {node!r}")

    def _compare(self, node: expr.Compare) -> Compiled:
        a, b = self.compile(node.left), self.compile(node.right)
        missing = a.missing | b.missing
        if a.kind == "num" and b.kind == "num":
            s = max(a.scale, b.scale)
            x, y = _rescale(a, s), _rescale(b, s)
        elif a.kind == b.kind:
            if node.op not in ("==", "!="):
                raise VectorisationError("字符串/布尔值只能比较相等")
            x, y = a.value, b.value
        else:  # different kinds: == is False, != is True in the exact evaluator
            if node.op not in ("==", "!="):
                raise VectorisationError("类型不同的比较")
            return Compiled(pl.lit(node.op == "!="), missing, "bool")
        ops = {"==": x == y, "!=": x != y, "<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}
        return Compiled(ops[node.op], missing, "bool")

    def _boolop(self, node: expr.BoolOp) -> Compiled:
        parts = [self.compile(o) for o in node.operands]
        truth = [_truthy(p) for p in parts]
        is_and = node.op == "and"
        value = pl.all_horizontal(*truth) if is_and else pl.any_horizontal(*truth)
        # operand k is evaluated only while the previous ones did not decide the result
        missing: pl.Expr = FALSE
        reached: pl.Expr = pl.lit(True)
        for p, t in zip(parts, truth, strict=True):
            missing = missing | (reached & p.missing)
            reached = reached & ~p.missing & (t if is_and else ~t)
        return Compiled(value, missing, "bool")


def _fen(c: Compiled) -> pl.Expr:
    """Clamp at zero, then round half up to the fen (scale 2)."""
    v = pl.max_horizontal(_rescale(c, c.scale), pl.lit(0, pl.Int64))
    if c.scale > 2:
        q = 10 ** (c.scale - 2)
        rounded: pl.Expr = (v + q // 2) // q
        return rounded
    widened: pl.Expr = v * 10 ** (2 - c.scale)
    return widened


def _fen_const(value: Decimal) -> int:
    return yuan_to_fen(value)


@dataclass
class VectorResult:
    measures: pl.DataFrame  # org_id, measure_id, document_id, valley, status, amount_fen, review_min_fen
    payments: pl.DataFrame  # org_id, measure_id, valley, year, amount_fen


def _rule_items(
    plan: RulePlan, frame: pl.LazyFrame, spec: EventType, window: tuple[dt.date, dt.date], measure_caps: Caps
) -> pl.LazyFrame:
    """The rule's items, one version of its parameters per date range (usually one)."""
    parts = []
    versions = plan.versions
    for n, version in enumerate(versions):
        start = window[0] if n == 0 else max(window[0], version.since)
        end = window[1] if n == len(versions) - 1 else min(window[1], versions[n + 1].since - dt.timedelta(days=1))
        if start > end:
            continue
        parts.append(_version_items(plan, version, frame, spec, (start, end), measure_caps))
    if not parts:
        return _version_items(plan, versions[0], frame.filter(pl.lit(False)), spec, window, measure_caps)
    return parts[0] if len(parts) == 1 else pl.concat(parts)


def _version_items(
    plan: RulePlan,
    version: Version,
    frame: pl.LazyFrame,
    spec: EventType,
    window: tuple[dt.date, dt.date],
    measure_caps: Caps,
) -> pl.LazyFrame:
    rule = plan.rule
    comp = Compiler(spec, rule.table)
    ok = pl.col("date").is_between(pl.lit(window[0]), pl.lit(window[1]))
    for cond in version.conditions:
        c = comp.compile(cond.compiled.node)
        ok = ok & ~c.missing & _truthy(c).fill_null(False)
    if plan.reviewed:
        fixed = rule.review_range
        amount: pl.Expr | None = pl.lit(_fen_const(fixed[1]), pl.Int64) if fixed else None
        review_min = pl.lit(_fen_const(fixed[0]) if fixed else 0, pl.Int64)
        is_review = pl.lit(True)
        if version.review_max is not None:
            ceiling = comp.compile(version.review_max.node)
            ok = ok & ~ceiling.missing
            amount = _fen(ceiling) if amount is None else pl.min_horizontal(amount, _fen(ceiling))
        if version.review_min is not None:
            floor = comp.compile(version.review_min.node)
            ok = ok & ~floor.missing
            review_min = pl.max_horizontal(review_min, _fen(floor))
        assert amount is not None
    else:
        assert version.amount is not None
        c = comp.compile(version.amount.node)
        if c.kind != "num":
            raise VectorisationError(f"{rule.id}: 金额公式不是数字")
        ok = ok & ~c.missing
        amount = _fen(c)
        review_min = pl.lit(0, pl.Int64)
        is_review = pl.lit(False)
    for caps in (rule.caps, measure_caps):
        if caps.per_award is not None:
            amount = pl.min_horizontal(amount, pl.lit(_fen_const(caps.per_award), pl.Int64))
    out = frame.filter(ok.fill_null(False)).select(
        "org_id",
        "event_index",
        "date",
        pl.lit(plan.position, pl.Int64).alias("rule_idx"),
        amount.cast(pl.Int64).alias("amount_fen"),
        is_review.alias("is_review"),
        review_min.alias("review_min_fen"),
    )
    return out


def _running_caps(items: pl.LazyFrame, caps: Caps, keys: Sequence[str]) -> pl.LazyFrame:
    """Per-year then cumulative caps, consumed in date order within ``keys``.

    The items are sorted, so each group is a run of rows: a running total that restarts at every
    group start replaces a hash-grouped window (much faster for a million organisations). With
    C the running total, an item pays min(C, limit) - min(C_before, limit) — the greedy consumption
    of the exact evaluator.
    """
    if caps.per_entity_per_year is None and caps.cumulative_per_entity is None:
        return items
    items = items.sort([*keys, "date", "event_index", "rule_idx"])
    for limit, extra in ((caps.per_entity_per_year, ["year"]), (caps.cumulative_per_entity, [])):
        if limit is None:
            continue
        by = [*keys, *extra]
        starts = pl.any_horizontal([pl.col(k) != pl.col(k).shift(1) for k in by]).fill_null(True)
        amount = pl.col("amount_fen")
        running = amount.cum_sum()
        before_group = pl.when(starts).then(running - amount).otherwise(None).forward_fill()
        within = running - before_group
        capped = pl.min_horizontal(within, pl.lit(_fen_const(limit), pl.Int64))
        items = (
            items.with_columns(capped.alias("_c"), starts.alias("_s"))
            .with_columns(
                (pl.col("_c") - pl.when(pl.col("_s")).then(0).otherwise(pl.col("_c").shift(1))).alias("amount_fen")
            )
            .drop("_c", "_s")
        )
    return items


def _measure_items(
    plan: MeasurePlan, by_type: Mapping[str, pl.DataFrame], vocabulary: Mapping[str, EventType]
) -> pl.LazyFrame | None:
    """The measure's awards (one row per chosen rule × event) after every cap, as a lazy query."""
    measure = plan.measure
    kinds = [k.value for k in measure.beneficiaries]
    parts = []
    for rule_plan in plan.rules:
        rule = rule_plan.rule
        frame = by_type.get(rule.event)
        if frame is None or frame.height == 0:
            continue
        eligible = frame.lazy().filter(pl.col("kind").is_in(kinds))
        part = _rule_items(rule_plan, eligible, vocabulary[rule.event], plan.window, measure.caps)
        parts.append(part.with_columns(pl.lit(rule_plan.cap_key).alias("cap_key")))
    if not parts:
        return None
    items = pl.concat(parts).with_columns(pl.col("date").dt.year().alias("year"))
    if measure.combine == "max":
        items = items.sort(["org_id", "event_index", "amount_fen", "rule_idx"], descending=[False, False, True, False])
        items = items.unique(["org_id", "event_index"], keep="first", maintain_order=True)
    group_caps = dict(plan.cap_groups)
    if len(group_caps) > 1:
        items = pl.concat(
            [
                _running_caps(items.filter(pl.col("cap_key") == key), caps, ["org_id"])
                for key, caps in group_caps.items()
            ]
        )
    else:
        items = _running_caps(items, next(iter(group_caps.values())), ["org_id"])
    return _running_caps(items, measure.caps, ["org_id"])


def _payments(plan: MeasurePlan, items: pl.DataFrame, totals: pl.DataFrame, reduced: bool) -> pl.DataFrame:
    """Instalments by year; where the measure's total was reduced after the caps (prior grants,
    就高不重复) the reduction is cut from the latest items first, as the exact evaluator does."""
    items = items.filter(pl.col("amount_fen") > 0)
    if not reduced:
        items = items.with_columns(pl.col("amount_fen").alias("value"))
    else:
        items = items.join(totals.select("org_id", "amount_fen").rename({"amount_fen": "_final"}), on="org_id")
        items = items.sort(["org_id", "date", "event_index", "rule_idx"], descending=[False, True, True, False])
        excess = pl.col("amount_fen").sum().over("org_id") - pl.col("_final")
        before = pl.col("amount_fen").cum_sum().over("org_id") - pl.col("amount_fen")
        cut = pl.min_horizontal(pl.max_horizontal(excess - before, pl.lit(0)), pl.col("amount_fen"))
        items = items.with_columns((pl.col("amount_fen") - cut).alias("value")).filter(pl.col("value") > 0)
    rows = []
    for rule_plan in plan.rules:
        shares = rule_plan.schedule
        part = items.filter(pl.col("rule_idx") == rule_plan.position)
        if part.height == 0:
            continue
        if len(shares) == 1:
            rows.append(part.select("org_id", pl.col("year").cast(pl.Int32), pl.col("value").alias("amount_fen")))
            continue
        paid = pl.lit(0, pl.Int64)
        for n, (offset, f) in enumerate(shares):
            if n == len(shares) - 1:
                amount = pl.col("value") - paid
            else:  # plan.share_fen, column-wise: round_half_up(value_fen * p / q)
                amount = (pl.col("value") * f.numerator * 2 + f.denominator) // (2 * f.denominator)
                paid = paid + amount
            rows.append(
                part.select(
                    "org_id",
                    (pl.col("year") + offset).cast(pl.Int32).alias("year"),
                    amount.alias("amount_fen"),
                )
            )
    if not rows:
        return pl.DataFrame(schema={"org_id": pl.Int64, "year": pl.Int32, "amount_fen": pl.Int64})
    return pl.concat(rows).group_by(["org_id", "year"]).agg(pl.col("amount_fen").sum())


MEASURE_SCHEMA = {
    "org_id": pl.Int64,
    "measure_id": pl.String,
    "document_id": pl.String,
    "valley": pl.String,
    "status": pl.String,
    "amount_fen": pl.Int64,
    "review_min_fen": pl.Int64,
    "overlap_group": pl.String,
}


def evaluate_population(
    population: Population,
    catalog: Catalog,
    as_of: dt.date,
    valleys: Iterable[Valley] | None = None,
    payments: bool = True,
) -> VectorResult:
    """Every cash measure of the chosen valleys for every organisation.

    ``measures`` holds one row per (organisation, measure) that is eligible or needs review
    (absent means not eligible); ``payments`` the instalments by year.
    """
    chosen = list(valleys) if valleys is not None else list(Valley)
    docs = [d for v in chosen for d in catalog.for_valley(v)]
    by_type_name = _frames_by_type(population, catalog, docs, as_of)
    grants = population.prior_grants
    measure_rows: list[pl.DataFrame] = []
    payment_rows: list[pl.DataFrame] = []
    queries: list[tuple[Document, Measure, pl.LazyFrame]] = []
    for doc in docs:
        for measure in doc.measures:
            if measure.kind is CASH and not measure.disabled:
                query = _measure_items(plan_for(doc, measure), by_type_name, catalog.vocabulary)
                if query is not None:
                    queries.append((doc, measure, query))
    collected = pl.collect_all([q for _, _, q in queries])  # all measures at once, in parallel
    computed = {m.id: frame for (_, m, _), frame in zip(queries, collected, strict=True)}
    netted: set[str] = set()
    for doc in docs:
        doc_rows = []
        doc_items: dict[str, tuple[Measure, pl.DataFrame]] = {}
        for measure in doc.measures:
            items = computed.get(measure.id)
            if items is None or items.height == 0:
                continue
            totals = items.group_by("org_id").agg(
                pl.col("amount_fen").sum(),
                pl.col("is_review").any().alias("any_review"),
                pl.when(pl.col("is_review"))
                .then(pl.min_horizontal("review_min_fen", "amount_fen"))
                .otherwise(pl.col("amount_fen"))
                .sum()
                .alias("review_min_fen"),
            )
            totals, was_netted = _net_prior_grants(measure, totals, grants)
            if was_netted:
                netted.add(measure.id)
            doc_items[measure.id] = (measure, items)
            doc_rows.append(
                totals.select(
                    "org_id",
                    pl.lit(measure.id).alias("measure_id"),
                    pl.lit(doc.id).alias("document_id"),
                    pl.lit(doc.valley.value).alias("valley"),
                    pl.when(pl.col("any_review"))
                    .then(pl.lit("needs_review"))
                    .otherwise(pl.lit("eligible"))
                    .alias("status"),
                    "amount_fen",
                    "review_min_fen",
                    pl.lit(measure.overlap_group, pl.String).alias("overlap_group"),
                )
            )
        if not doc_rows:
            continue
        frame = pl.concat(doc_rows)
        internal_overlaps = _has_internal_overlaps(doc)
        if internal_overlaps:
            frame = _resolve_overlaps(frame)
        measure_rows.append(frame)
        if payments:
            for measure_id, (measure, items) in doc_items.items():
                totals = frame.filter(pl.col("measure_id") == measure_id)
                reduced = internal_overlaps or measure.id in netted
                pay = _payments(plan_for(doc, measure), items, totals, reduced)
                payment_rows.append(
                    pay.select(
                        "org_id",
                        pl.lit(measure_id).alias("measure_id"),
                        pl.lit(doc.valley.value).alias("valley"),
                        "year",
                        "amount_fen",
                    )
                )
    measures = pl.concat(measure_rows) if measure_rows else pl.DataFrame(schema=MEASURE_SCHEMA)
    pay_schema = {
        "org_id": pl.Int64,
        "measure_id": pl.String,
        "valley": pl.String,
        "year": pl.Int32,
        "amount_fen": pl.Int64,
    }
    pays = pl.concat(payment_rows) if payment_rows else pl.DataFrame(schema=pay_schema)
    return VectorResult(measures=measures.drop("overlap_group"), payments=pays.filter(pl.col("amount_fen") > 0))


def _has_internal_overlaps(doc: Document) -> bool:
    groups = [m.overlap_group for m in doc.measures if m.overlap_group and m.kind is MeasureKind.CASH]
    return len(groups) != len(set(groups))


def _frames_by_type(
    population: Population, catalog: Catalog, docs: list[Document], as_of: dt.date
) -> dict[str, pl.DataFrame]:
    """One narrow frame per event type the chosen documents read: its own fields plus the applicant's."""
    rules = [r for d in docs for m in d.measures if m.kind is MeasureKind.CASH for r in m.rules]
    types = sorted({r.event for r in rules})
    needs_certs = any(
        name.startswith("cert_") for r in rules for source in r.expressions() for name in expr.names(expr.parse(source))
    )
    org_cols = ["kind", "settled_on", *(["certifications"] if needs_certs else [])]
    orgs = population.organisations
    # organisations numbered 0..n-1 (the usual case) are attached by position, not by a hash join
    dense = orgs.height > 0 and bool(orgs.select((pl.col("org_id") == pl.int_range(pl.len())).all()).item())
    frames = {}
    for etype in types:
        frame = population.by_type.get(etype)
        if frame is None or frame.height == 0:
            continue
        spec = catalog.vocabulary[etype]
        cols = [column_name(n, f.type) for n, f in spec.fields.items()]
        missing = [
            pl.lit(None, dtype=field_dtype(f.type)).alias(column_name(n, f.type))
            for n, f in spec.fields.items()
            if column_name(n, f.type) not in frame.columns
        ]
        frame = (
            frame.filter(pl.col("date") <= as_of).with_columns(missing).select("org_id", "event_index", "date", *cols)
        )
        ids = frame.get_column("org_id")
        if dense and frame.height and ids.min() >= 0 and ids.max() < orgs.height:  # type: ignore[operator]
            frames[etype] = frame.with_columns([orgs.get_column(c).gather(ids) for c in org_cols])
        else:
            frames[etype] = frame.join(orgs.select("org_id", *org_cols), on="org_id", how="inner")
    return frames


def _net_prior_grants(measure: Measure, totals: pl.DataFrame, grants: pl.DataFrame) -> tuple[pl.DataFrame, bool]:
    if measure.overlap_group is None or grants.height == 0:
        return totals, False
    relevant = grants.filter(pl.col("matter") == measure.overlap_group)
    if measure.stacks_on_provincial:
        relevant = relevant.filter(pl.col("level").fill_null("") != "provincial")
    if relevant.height == 0:
        return totals, False
    prior = relevant.group_by("org_id").agg(pl.col("amount_fen").sum().alias("_prior"))
    out = totals.join(prior, on="org_id", how="left").with_columns(pl.col("_prior").fill_null(0))
    deduction = pl.min_horizontal("_prior", "amount_fen")
    netted = out.with_columns(
        (pl.col("amount_fen") - deduction).alias("amount_fen"),
        pl.when(pl.col("any_review"))
        .then(pl.max_horizontal(pl.col("review_min_fen") - deduction, pl.lit(0)))
        .otherwise(pl.col("review_min_fen") - deduction)
        .alias("review_min_fen"),
    ).drop("_prior")
    return netted, True


def _resolve_overlaps(frame: pl.DataFrame) -> pl.DataFrame:
    """就高不重复 inside one document: per organisation and overlap group, only the highest pays."""
    grouped = pl.col("overlap_group").is_not_null() & (pl.col("amount_fen") > 0)
    key = ["org_id", "overlap_group"]
    rank = pl.struct("amount_fen", "measure_id").rank("ordinal", descending=True).over(key)
    loses = grouped & (pl.when(grouped).then(rank).otherwise(None) > 1).fill_null(False)
    return frame.with_columns(
        pl.when(loses).then(0).otherwise(pl.col("amount_fen")).alias("amount_fen"),
        pl.when(loses).then(0).otherwise(pl.col("review_min_fen")).alias("review_min_fen"),
        pl.col("overlap_group").alias("overlap_group"),
        loses.alias("_lost"),
    ).drop("_lost")
