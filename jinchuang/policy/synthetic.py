"""A seeded synthetic population: organisations of every kind in plausible proportions per valley,
with dated events, generated column-wise (a million organisations in seconds).

The proportions and rates below are assumptions for simulation, not statistics: they are chosen so
that every kind of measure is exercised at a believable frequency. Departments load their own
records instead (docs/population-format.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import polars as pl

from jinchuang.policy.population import GRANT_SCHEMA, ORG_SCHEMA, Population, column_name, field_dtype, type_schema
from jinchuang.policy.schema import EventField, EventType
from jinchuang.policy.vocabulary import OrgKind, Valley

#: share of organisations by kind (all valleys)
KIND_SHARES: dict[OrgKind, float] = {
    OrgKind.ENTERPRISE: 0.68,
    OrgKind.RESEARCH_TEAM: 0.12,
    OrgKind.UNIVERSITY: 0.03,
    OrgKind.INCUBATOR_OPERATOR: 0.03,
    OrgKind.INTERMEDIARY: 0.05,
    OrgKind.FINANCIAL_INSTITUTION: 0.03,
    OrgKind.INVESTMENT_FUND: 0.03,
    OrgKind.PERSON: 0.03,
}
#: share of organisations by valley (by the size of each city's economy, roughly)
VALLEY_SHARES: dict[Valley, float] = {
    Valley.JINCHENG: 0.21,
    Valley.JINZHONG: 0.23,
    Valley.LINFEN: 0.21,
    Valley.YANGQUAN: 0.12,
    Valley.DATONG: 0.23,
}
#: expected events per organisation per year, by kind
RATES: dict[OrgKind, dict[str, float]] = {
    OrgKind.ENTERPRISE: {
        "tech_contract_registered": 0.5,
        "person_hired": 1.6,
        "platform_approved": 0.06,
        "premium_paid": 0.15,
        "award_won": 0.04,
        "project_funded": 0.05,
        "certification_granted": 0.08,
        "listing": 0.005,
        "rd_spending": 0.2,
        "voucher_spent": 0.15,
        "equipment_purchased": 0.05,
        "procurement_contract": 0.02,
        "startup_capital": 0.03,
        "platform_assessed": 0.02,
    },
    OrgKind.RESEARCH_TEAM: {
        "person_hired": 1.2,
        "startup_capital": 0.2,
        "tech_contract_registered": 0.2,
        "award_won": 0.05,
    },
    OrgKind.UNIVERSITY: {
        "tech_contract_registered": 3.0,
        "platform_approved": 0.2,
        "platform_assessed": 0.2,
        "project_funded": 0.3,
    },
    OrgKind.INCUBATOR_OPERATOR: {"platform_approved": 0.3, "platform_assessed": 0.3, "service_revenue": 0.5},
    OrgKind.INTERMEDIARY: {"tech_contract_registered": 1.0, "service_revenue": 0.6},
    OrgKind.FINANCIAL_INSTITUTION: {"financing_provided": 1.0, "loan_loss": 0.3},
    OrgKind.INVESTMENT_FUND: {"investment_made": 1.5},
    OrgKind.PERSON: {"training_completed": 0.6},
}
OTHER_RATE = 0.02  # every other event type of the vocabulary, per organisation per year
MONEY_MEDIAN = {  # yuan
    "fee": 8_000,
    "award_amount": 200_000,
    "provincial_amount": 300_000,
    "rating_audit_fees": 150_000,
    "paid_in_capital": 1_000_000,
    "equity_value": 2_000_000,
}
WEIGHTED_OPTIONS: dict[str, dict[str, float]] = {
    "degree": {"phd": 0.1, "master": 0.3, "bachelor": 0.5, "senior_title": 0.05, "other": 0.05},
    "level": {"national": 0.05, "provincial": 0.35, "city": 0.6},
    "talent_level": {
        "none": 0.8,
        "high_level": 0.08,
        "provincial": 0.06,
        "national": 0.04,
        "academician": 0.01,
        "national_leader": 0.01,
    },
}
INT_CHOICES = {
    "contract_years": [1, 2, 3, 3, 3, 5],
    "social_insurance_months": [0, 3, 6, 12, 24, 36],
    "months": [6, 12, 24, 36],
    "held_months": [6, 12, 18, 36],
    "support_year": [1, 1, 2, 3],
    "years_established": [1, 2, 3, 4],
}
BOOL_TRUE = {"flexible": 0.1, "target_listed": 0.1}


EPOCH = dt.date(1970, 1, 1)


def _dates(name: str, start: dt.date, offsets: np.ndarray) -> pl.Series:
    return pl.Series(name, (offsets + (start - EPOCH).days).astype(np.int32)).cast(pl.Date)


def _money(rng: np.random.Generator, name: str, n: int) -> np.ndarray:
    median = MONEY_MEDIAN.get(name, 400_000)
    yuan = rng.lognormal(np.log(median), 1.1, n)
    return np.round(np.minimum(yuan, 5e9) * 100).astype(np.int64)


def _column(rng: np.random.Generator, name: str, f: EventField, n: int, kind: OrgKind) -> pl.Series:
    col = column_name(name, f.type)
    if f.type == "money":
        values: np.ndarray = _money(rng, name, n)
    elif f.type == "ratio":
        values = rng.choice(np.array([300_000, 350_000, 450_000, 500_000], dtype=np.int64), n)
    elif f.type == "int":
        values = rng.choice(np.array(INT_CHOICES.get(name, [0, 1, 2, 3, 5]), dtype=np.int64), n)
    elif f.type == "bool":
        values = rng.random(n) < BOOL_TRUE.get(name, 0.85)
    elif f.options:
        weights = WEIGHTED_OPTIONS.get(name)
        options = list(weights) if weights else list(f.options)
        probs = np.array(list(weights.values())) if weights else None
        if name == "role":
            options, probs = ["seller", "broker"] if kind is not OrgKind.ENTERPRISE else ["buyer"], None
            if kind is OrgKind.INTERMEDIARY:
                options = ["broker"]
        values = rng.choice(np.array(options), n, p=probs)
    else:
        values = np.array([""] * n)
    series = pl.Series(col, values, dtype=field_dtype(f.type))
    if not f.required:  # a few records miss optional facts
        series = pl.select(pl.when(pl.lit(pl.Series(rng.random(n) < 0.03))).then(None).otherwise(series)).to_series()
    return series.alias(col)


def generate_population(
    size: int,
    seed: int = 0,
    first_year: int = 2025,
    last_year: int = 2027,
    vocabulary: Mapping[str, EventType] | None = None,
) -> Population:
    from jinchuang.policy.catalog import default_catalog

    vocab = vocabulary or default_catalog().vocabulary
    rng = np.random.default_rng(seed)
    kinds = list(KIND_SHARES)
    kind_idx = rng.choice(len(kinds), size, p=np.array(list(KIND_SHARES.values())))
    valleys = list(VALLEY_SHARES)
    valley_idx = rng.choice(len(valleys), size, p=np.array(list(VALLEY_SHARES.values())))
    start = dt.date(first_year - 1, 1, 1)
    settle_days = rng.integers(0, 365 * 2, size)
    settled = _dates("settled_on", start, settle_days)
    orgs = pl.DataFrame(
        {
            "org_id": np.arange(size, dtype=np.int64),
            "kind": np.array([k.value for k in kinds])[kind_idx],
            "valley": np.array([v.value for v in valleys])[valley_idx],
        }
    ).with_columns(
        settled,
        pl.lit([], dtype=pl.List(pl.String)).alias("certifications"),
        (pl.lit("样本机构") + pl.col("org_id").cast(pl.String)).alias("name"),
    )
    years = last_year - first_year + 1
    day0 = dt.date(first_year, 1, 1)
    span = (dt.date(last_year, 12, 31) - day0).days + 1
    parts: dict[str, list[pl.DataFrame]] = {}
    next_index = 0
    for k_i, kind in enumerate(kinds):
        ids = np.flatnonzero(kind_idx == k_i).astype(np.int64)
        if ids.size == 0:
            continue
        rates = RATES.get(kind, {})
        for etype, spec in vocab.items():
            rate = rates.get(etype, OTHER_RATE) * years
            counts = rng.poisson(rate, ids.size)
            n = int(counts.sum())
            if n == 0:
                continue
            frame = pl.DataFrame(
                {
                    "org_id": np.repeat(ids, counts),
                    # unique within the population, hence within each organisation
                    "event_index": np.arange(next_index, next_index + n, dtype=np.int64),
                }
            )
            next_index += n
            cols = [_column(rng, name, f, n, kind) for name, f in spec.fields.items()]
            frame = frame.with_columns(_dates("date", day0, rng.integers(0, span, n)), *cols)
            parts.setdefault(etype, []).append(frame)
    by_type = {
        t: pl.concat(frames).select([pl.col(c).cast(d) for c, d in type_schema(vocab[t]).items()])
        for t, frames in parts.items()
    }
    return Population(
        orgs.select([pl.col(c).cast(t) for c, t in ORG_SCHEMA.items()]),
        None,
        pl.DataFrame(schema=GRANT_SCHEMA),
        by_type=by_type,
    )
