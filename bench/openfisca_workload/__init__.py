"""A minimal OpenFisca tax-benefit system for the shared benchmark workload.

``openfisca serve --country-package bench.openfisca_workload`` finds ``CountryTaxBenefitSystem`` here.
Imported only inside the benchmark environment (bench/.venv), never by the project.
"""

from pathlib import Path

from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from .entities import entities
from .variables import variables

PARAMETERS = Path(__file__).parent / "parameters"
BENEFITS = ("platform_grant", "tech_transaction_reward", "talent_subsidy_total")


class CountryTaxBenefitSystem(TaxBenefitSystem):
    def __init__(self) -> None:
        super().__init__(entities)
        self.add_variables(*variables)
        self.load_parameters(str(PARAMETERS))
