"""The three benefits of the shared workload, in OpenFisca's fastest form.

Formulas are vectorised over the whole population; tiers are numpy lookup tables indexed by the
enum index of the input (``table[level]``), conditions are boolean arrays.  Money is OpenFisca's
``float`` value type, stored as float32.
"""

import numpy as np
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import YEAR
from openfisca_core.variables import Variable

from .entities import Enterprise, Person


class PlatformLevel(Enum):
    none = "No platform approved"
    national = "National"
    provincial = "Provincial"
    city = "City"


class TechMode(Enum):
    none = "No registered contract"
    commissioned_development = "Commissioned development"
    transfer = "Transfer"
    exclusive_license = "Exclusive licence"
    equity = "Technology equity"
    service = "Technical service"
    consulting = "Technical consulting"


class Degree(Enum):
    other = "Other"
    phd = "PhD"
    master = "Master"
    bachelor = "Bachelor"


# modes that qualify for the 20% reward, as a lookup table over TechMode's index
_QUALIFYING = np.array(
    [item.name in {"commissioned_development", "transfer", "exclusive_license", "equity"} for item in TechMode]
)


class platform_level(Variable):
    value_type = Enum
    possible_values = PlatformLevel
    default_value = PlatformLevel.none
    entity = Enterprise
    definition_period = YEAR
    label = "Level of the platform approved this year"


class tech_contract_mode(Variable):
    value_type = Enum
    possible_values = TechMode
    default_value = TechMode.none
    entity = Enterprise
    definition_period = YEAR
    label = "Mode of the technology contract registered this year"


class tech_contract_amount(Variable):
    value_type = float
    entity = Enterprise
    definition_period = YEAR
    label = "Registered transaction amount (CNY)"


class tech_equity_value(Variable):
    value_type = float
    entity = Enterprise
    definition_period = YEAR
    label = "Value of the technology equity (CNY)"


class degree(Variable):
    value_type = Enum
    possible_values = Degree
    default_value = Degree.other
    entity = Person
    definition_period = YEAR
    label = "Degree of the employee hired this year"


class contract_years(Variable):
    value_type = int
    entity = Person
    definition_period = YEAR
    label = "Length of the labour contract (years)"


class social_insurance_months(Variable):
    value_type = int
    entity = Person
    definition_period = YEAR
    label = "Months of social insurance paid"


class platform_grant(Variable):
    value_type = float
    entity = Enterprise
    definition_period = YEAR
    label = "Tiered platform grant (CNY)"

    def formula_2024(enterprise, period, parameters):
        level = enterprise("platform_level", period)
        p = parameters(period).platform_grant.amount
        table = np.array([0, p.national, p.provincial, p.city], dtype=np.float32)
        return table[level]


class tech_transaction_reward(Variable):
    value_type = float
    entity = Enterprise
    definition_period = YEAR
    label = "Technology-transaction reward (CNY)"

    def formula_2024(enterprise, period, parameters):
        mode = enterprise("tech_contract_mode", period)
        amount = enterprise("tech_contract_amount", period)
        equity = enterprise("tech_equity_value", period)
        p = parameters(period).tech_transaction
        by_transaction = np.where(_QUALIFYING[mode], amount * p.rate_transaction, 0)
        by_equity = np.where(mode == TechMode.equity, equity * p.rate_equity, 0)
        return np.minimum(np.maximum(by_transaction, by_equity), p.cap)


class talent_subsidy(Variable):
    value_type = float
    entity = Person
    definition_period = YEAR
    label = "Monthly talent subsidy over the whole period, for one employee (CNY)"

    def formula_2024(person, period, parameters):
        p = parameters(period).talent_subsidy
        monthly = np.array(
            [0, p.monthly_amount.phd, p.monthly_amount.master, p.monthly_amount.bachelor], dtype=np.float32
        )[person("degree", period)]
        eligible = (person("contract_years", period) >= p.min_contract_years) * (
            person("social_insurance_months", period) >= p.min_social_insurance_months
        )
        return monthly * p.months * eligible


class talent_subsidy_total(Variable):
    value_type = float
    entity = Enterprise
    definition_period = YEAR
    label = "Talent subsidy for all the enterprise's employees (CNY)"

    def formula_2024(enterprise, period):
        return enterprise.sum(enterprise.members("talent_subsidy", period))


variables = [
    platform_level,
    tech_contract_mode,
    tech_contract_amount,
    tech_equity_value,
    degree,
    contract_years,
    social_insurance_months,
    platform_grant,
    tech_transaction_reward,
    talent_subsidy,
    talent_subsidy_total,
]
