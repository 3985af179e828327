"""The seeded generator of the shared workload and the exact reference.

Enterprises with 5 employees each; about 60% have one platform approval (national / provincial / city)
and about half one registered technology contract (some with technology equity, some of a mode that
does not qualify).  Every employee is one hire (degree, contract years, months of social insurance).

The generator uses only the standard library's ``random.Random(seed)`` and Polars, so the same seed
gives the same population on every machine and in both virtual environments.  Money is integer fen.

The reference (:func:`reference`) is plain Python integer arithmetic in fen, written from the
measures' text, independently of both engines.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

import polars as pl

EMPLOYEES_PER_ENTERPRISE = 5
AS_OF = dt.date(2025, 12, 31)
YEAR = "2025"
SETTLED_ON = dt.date(2024, 6, 1)
PLATFORM_DATE = dt.date(2025, 3, 1)
CONTRACT_DATE = dt.date(2025, 6, 1)
HIRE_DATE = dt.date(2025, 2, 1)
VALLEY = "晋城"  # the valley of bench/workload/benchmark.yaml

LEVELS = ("national", "provincial", "city")
MODES = ("commissioned_development", "transfer", "exclusive_license", "equity", "service", "consulting")
QUALIFYING_MODES = frozenset({"commissioned_development", "transfer", "exclusive_license", "equity"})
DEGREES = ("phd", "master", "bachelor", "other")

# the measures, in fen, written once from the text
PLATFORM_FEN = {"national": 100_000_000, "provincial": 50_000_000, "city": 10_000_000}
TECH_CAP_FEN = 50_000_000
MONTHLY_FEN = {"phd": 500_000, "master": 300_000, "bachelor": 150_000}
MONTHS = 36
MEASURES = ("bm-platform", "bm-tech", "bm-talent")


@dataclass(frozen=True)
class Workload:
    """One enterprise per row of ``enterprises``; ``employees`` has EMPLOYEES_PER_ENTERPRISE rows each,
    ordered by (org_id, slot)."""

    enterprises: pl.DataFrame  # org_id, platform_level, tech_mode, tech_amount_fen, tech_equity_fen
    employees: pl.DataFrame  # org_id, slot, degree, contract_years, social_insurance_months

    @property
    def size(self) -> int:
        return self.enterprises.height


def generate(n: int, seed: int = 20250401) -> Workload:
    rng = random.Random(seed)
    platform = rng.choices((None, *LEVELS), weights=(40, 10, 20, 30), k=n)
    mode = rng.choices((None, *MODES), weights=(50, 8, 12, 6, 14, 6, 4), k=n)
    # transaction amounts from 1,000.00 to 5,000,000.00 yuan, to the fen (so the 20% rounds and the cap binds)
    amount = [rng.randrange(100_000, 500_000_001) if m is not None else 0 for m in mode]
    equity = [rng.randrange(100_000, 800_000_001) if m == "equity" else 0 for m in mode]
    enterprises = pl.DataFrame(
        {
            "org_id": pl.Series(range(n), dtype=pl.Int64),
            "platform_level": pl.Series(platform, dtype=pl.String),
            "tech_mode": pl.Series(mode, dtype=pl.String),
            "tech_amount_fen": pl.Series(amount, dtype=pl.Int64),
            "tech_equity_fen": pl.Series(equity, dtype=pl.Int64),
        }
    )
    m = n * EMPLOYEES_PER_ENTERPRISE
    employees = pl.DataFrame(
        {
            "org_id": pl.Series(range(n), dtype=pl.Int64).repeat_by(EMPLOYEES_PER_ENTERPRISE).explode(),
            "slot": pl.Series(list(range(EMPLOYEES_PER_ENTERPRISE)) * n, dtype=pl.Int8),
            "degree": pl.Series(rng.choices(DEGREES, weights=(15, 30, 40, 15), k=m), dtype=pl.String),
            "contract_years": pl.Series(rng.choices(range(1, 6), k=m), dtype=pl.Int16),
            "social_insurance_months": pl.Series(rng.choices(range(25), k=m), dtype=pl.Int16),
        }
    )
    return Workload(enterprises, employees)


def _half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded to the nearest integer, halves away from zero (non-negative)."""
    return (2 * numerator + denominator) // (2 * denominator)


def reference(workload: Workload) -> dict[str, list[int]]:
    """The exact amounts in fen per enterprise and measure, in plain Python integers."""
    ent = workload.enterprises
    platform = [PLATFORM_FEN.get(level, 0) if level else 0 for level in ent["platform_level"].to_list()]
    tech: list[int] = []
    for mode, amount, equity in zip(
        ent["tech_mode"].to_list(), ent["tech_amount_fen"].to_list(), ent["tech_equity_fen"].to_list(), strict=True
    ):
        best = 0
        if mode in QUALIFYING_MODES:
            best = min(_half_up(amount * 20, 100), TECH_CAP_FEN)
        if mode == "equity":
            best = max(best, min(_half_up(equity * 10, 100), TECH_CAP_FEN))
        tech.append(best)
    talent = [0] * ent.height
    emp = workload.employees
    for org, degree, years, months in zip(
        emp["org_id"].to_list(),
        emp["degree"].to_list(),
        emp["contract_years"].to_list(),
        emp["social_insurance_months"].to_list(),
        strict=True,
    ):
        if years >= 3 and months >= 6 and degree in MONTHLY_FEN:
            talent[org] += MONTHLY_FEN[degree] * MONTHS
    return {"bm-platform": platform, "bm-tech": tech, "bm-talent": talent}


def yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def enterprise_rows(workload: Workload) -> list[dict[str, Any]]:
    """One dict per enterprise with its employees, for the per-case and situation-dict forms."""
    people: list[list[dict[str, Any]]] = [[] for _ in range(workload.size)]
    for row in workload.employees.iter_rows(named=True):
        people[row["org_id"]].append(row)
    rows = []
    for row in workload.enterprises.iter_rows(named=True):
        row["employees"] = people[row["org_id"]]
        rows.append(row)
    return rows


def case_data(row: dict[str, Any]) -> dict[str, Any]:
    """An enterprise as a case in our case format (docs/case-format.md)."""
    events: list[dict[str, Any]] = []
    if row["platform_level"]:
        events.append(
            {
                "type": "platform_approved",
                "date": PLATFORM_DATE.isoformat(),
                "platform": "enterprise_tech_center",
                "level": row["platform_level"],
            }
        )
    if row["tech_mode"]:
        contract: dict[str, Any] = {
            "type": "tech_contract_registered",
            "date": CONTRACT_DATE.isoformat(),
            "amount": yuan(row["tech_amount_fen"]),
            "mode": row["tech_mode"],
        }
        if row["tech_mode"] == "equity":
            contract["equity_value"] = yuan(row["tech_equity_fen"])
        events.append(contract)
    for person in row["employees"]:
        events.append(
            {
                "type": "person_hired",
                "date": HIRE_DATE.isoformat(),
                "degree": person["degree"],
                "contract_years": person["contract_years"],
                "social_insurance_months": person["social_insurance_months"],
            }
        )
    return {
        "as_of": AS_OF.isoformat(),
        "applicant": {
            "kind": "enterprise",
            "name": f"企业{row['org_id']}",
            "valley": VALLEY,
            "settled_on": SETTLED_ON.isoformat(),
        },
        "events": events,
    }


def population_frames(workload: Workload) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """The workload in the population layout of jinchuang.policy.population: organisations, events and
    (no) prior grants, built column-wise with Polars."""
    ent = workload.enterprises
    n = ent.height
    organisations = pl.DataFrame(
        {
            "org_id": ent["org_id"],
            "kind": pl.Series(["enterprise"], dtype=pl.String).repeat_by(n).explode() if n else [],
            "valley": pl.Series([VALLEY], dtype=pl.String).repeat_by(n).explode() if n else [],
            "settled_on": pl.Series([SETTLED_ON], dtype=pl.Date).repeat_by(n).explode() if n else [],
        },
        schema={"org_id": pl.Int64, "kind": pl.String, "valley": pl.String, "settled_on": pl.Date},
    )
    platforms = ent.filter(pl.col("platform_level").is_not_null()).select(
        "org_id",
        pl.lit(0, pl.Int64).alias("event_index"),
        pl.lit("platform_approved").alias("type"),
        pl.lit(PLATFORM_DATE).alias("date"),
        pl.lit("enterprise_tech_center").alias("platform"),
        pl.col("platform_level").alias("level"),
    )
    contracts = ent.filter(pl.col("tech_mode").is_not_null()).select(
        "org_id",
        pl.lit(1, pl.Int64).alias("event_index"),
        pl.lit("tech_contract_registered").alias("type"),
        pl.lit(CONTRACT_DATE).alias("date"),
        pl.col("tech_amount_fen").alias("amount_fen"),
        pl.col("tech_mode").alias("mode"),
        pl.when(pl.col("tech_mode") == "equity").then(pl.col("tech_equity_fen")).alias("equity_value_fen"),
    )
    hires = workload.employees.select(
        "org_id",
        (pl.col("slot").cast(pl.Int64) + 2).alias("event_index"),
        pl.lit("person_hired").alias("type"),
        pl.lit(HIRE_DATE).alias("date"),
        "degree",
        pl.col("contract_years").cast(pl.Int64),
        pl.col("social_insurance_months").cast(pl.Int64),
    )
    events = pl.concat([platforms, contracts, hires], how="diagonal").sort("org_id", "event_index")
    grants = pl.DataFrame(
        schema={
            "org_id": pl.Int64,
            "matter": pl.String,
            "amount_fen": pl.Int64,
            "date": pl.Date,
            "policy": pl.String,
            "level": pl.String,
        }
    )
    return organisations, events, grants
