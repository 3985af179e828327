"""OpenFisca's side: the same workload as situation dicts (one enterprise, the web API's format)
and as arrays (whole populations, OpenFisca's fastest way to build a simulation).

Imported only in the benchmark environment.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
from openfisca_core.simulation_builder import SimulationBuilder
from openfisca_core.simulations import Simulation

from bench.generate import YEAR, Workload
from bench.openfisca_workload import BENEFITS, CountryTaxBenefitSystem
from bench.openfisca_workload.variables import Degree, PlatformLevel, TechMode

MEASURE_OF_VARIABLE = {
    "platform_grant": "bm-platform",
    "tech_transaction_reward": "bm-tech",
    "talent_subsidy_total": "bm-talent",
}


def system() -> CountryTaxBenefitSystem:
    return CountryTaxBenefitSystem()


def situation(row: dict[str, Any], requested: bool = True) -> dict[str, Any]:
    """One enterprise as an OpenFisca situation (the body of the web API's /calculate)."""
    org = f"e{row['org_id']}"
    persons = {
        f"{org}_p{p['slot']}": {
            "degree": {YEAR: p["degree"]},
            "contract_years": {YEAR: p["contract_years"]},
            "social_insurance_months": {YEAR: p["social_insurance_months"]},
        }
        for p in row["employees"]
    }
    enterprise: dict[str, Any] = {"employees": list(persons)}
    if row["platform_level"]:
        enterprise["platform_level"] = {YEAR: row["platform_level"]}
    if row["tech_mode"]:
        enterprise["tech_contract_mode"] = {YEAR: row["tech_mode"]}
        enterprise["tech_contract_amount"] = {YEAR: row["tech_amount_fen"] / 100}
        if row["tech_mode"] == "equity":
            enterprise["tech_equity_value"] = {YEAR: row["tech_equity_fen"] / 100}
    if requested:
        for variable in BENEFITS:
            enterprise[variable] = {YEAR: None}
    return {"persons": persons, "enterprises": {org: enterprise}}


def calculate_situation(tbs: CountryTaxBenefitSystem, data: dict[str, Any], trace: bool) -> dict[str, float]:
    """What one request does in-process: build from the entities' dict, compute the three benefits."""
    simulation = SimulationBuilder().build_from_entities(tbs, data)
    simulation.trace = trace
    return {variable: float(simulation.calculate(variable, YEAR)[0]) for variable in BENEFITS}


def _codes(series: pl.Series, enum: Any, none: str) -> np.ndarray:
    mapping = {item.name: i for i, item in enumerate(enum)}
    return series.fill_null(none).replace_strict(mapping, return_dtype=pl.Int16).to_numpy()


def arrays(workload: Workload) -> dict[str, np.ndarray]:
    """The workload as OpenFisca's input arrays: one per variable, enums as their index."""
    ent = workload.enterprises
    emp = workload.employees
    return {
        "enterprise_id": ent["org_id"].to_numpy(),
        "person_enterprise": emp["org_id"].to_numpy(),
        "platform_level": _codes(ent["platform_level"], PlatformLevel, "none"),
        "tech_contract_mode": _codes(ent["tech_mode"], TechMode, "none"),
        "tech_contract_amount": ent["tech_amount_fen"].to_numpy() / 100,
        "tech_equity_value": ent["tech_equity_fen"].to_numpy() / 100,
        "degree": _codes(emp["degree"], Degree, "other"),
        "contract_years": emp["contract_years"].to_numpy(),
        "social_insurance_months": emp["social_insurance_months"].to_numpy(),
    }


INPUTS = (
    "platform_level",
    "tech_contract_mode",
    "tech_contract_amount",
    "tech_equity_value",
    "degree",
    "contract_years",
    "social_insurance_months",
)


def build_population(tbs: CountryTaxBenefitSystem, data: dict[str, np.ndarray]) -> Simulation:
    """The whole population from arrays, OpenFisca's fastest way (as survey loaders do): the entities'
    ids and counts and each person's enterprise index are set directly as arrays; every person has the
    enterprise's only role (employee), OpenFisca's default role, so no role array is built."""
    builder = SimulationBuilder()
    builder.create_entities(tbs)
    persons = builder.populations["person"]
    persons.ids = np.arange(len(data["person_enterprise"]))
    persons.count = len(persons.ids)
    enterprises = builder.populations["enterprise"]
    enterprises.ids = data["enterprise_id"]
    enterprises.count = len(enterprises.ids)
    enterprises.members_entity_id = data["person_enterprise"]  # enterprise ids are 0..n-1, i.e. their index
    simulation = builder.build(tbs)
    for variable in INPUTS:
        simulation.set_input(variable, YEAR, data[variable])
    return simulation


def calculate_population(simulation: Simulation) -> dict[str, np.ndarray]:
    """Amounts per enterprise, by measure id, as OpenFisca stores them (float32 yuan)."""
    return {MEASURE_OF_VARIABLE[v]: simulation.calculate(v, YEAR) for v in BENEFITS}
