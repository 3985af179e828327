"""The catalog schema: what one YAML file per seed document must contain.

Validated with pydantic at load time and in tests.  Amounts in the catalog are
yuan written as strings or integers and read as Decimal; they never pass
through float.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from jinchuang.policy import expr
from jinchuang.policy.vocabulary import OrgKind, Valley, gettext_noop


def _to_decimal(value: object) -> object:
    if isinstance(value, float):
        raise ValueError("金额/比例不能写成浮点数, 请写成字符串, 如 '0.20'")
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, str):
        return Decimal(value.replace(",", "").replace("_", ""))
    return value


Money = Annotated[Decimal, BeforeValidator(_to_decimal), Field(ge=0)]
Ratio = Annotated[Decimal, BeforeValidator(_to_decimal), Field(ge=0, le=1)]


class MeasureKind(StrEnum):
    CASH = "cash"  # 资金奖补, the engine computes an amount
    IN_KIND = "in_kind"  # 免费/补贴场地、租金
    SERVICE = "service"  # 平台提供的服务
    CASE_BY_CASE = "case_by_case"  # 一事一议
    PRINCIPLE = "principle"  # 原则、机制 (容错、分配机制...)


#: marked for makemessages; the pages translate them where they show them
MEASURE_KIND_LABELS: dict[MeasureKind, str] = {
    MeasureKind.CASH: gettext_noop("资金支持"),
    MeasureKind.IN_KIND: gettext_noop("实物/场地支持"),
    MeasureKind.SERVICE: gettext_noop("服务"),
    MeasureKind.CASE_BY_CASE: gettext_noop("一事一议"),
    MeasureKind.PRINCIPLE: gettext_noop("原则/机制"),
}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Interpretation(Strict):
    id: str
    topic: str = Field(description="the words of the text that are ambiguous, quoted")
    reading: str = Field(description="the reading the engine applies")
    alternative: str = Field(description="the other reasonable reading")
    why: str


class Condition(Strict):
    expr: str = Field(description="restricted expression over event and applicant fields")
    text: str = Field(description="the requirement in the words of the clause (Chinese)")
    hint: str | None = Field(default=None, description="what the applicant must do to meet it")

    @field_validator("expr")
    @classmethod
    def _parses(cls, value: str) -> str:
        expr.parse(value)
        return value


class Caps(Strict):
    per_award: Money | None = None
    per_entity_per_year: Money | None = None
    cumulative_per_entity: Money | None = None


class Instalment(Strict):
    year_offset: int = Field(ge=0, description="years after approval")
    share: str = Field(description="a fraction such as '1/3' or '0.5'")

    @field_validator("share")
    @classmethod
    def _fraction(cls, value: str) -> str:
        share = Fraction(value)
        if not 0 < share <= 1:
            raise ValueError("share must be in (0, 1]")
        return value

    @property
    def fraction(self) -> Fraction:
        return Fraction(self.share)


PARAMETER_NAME = r"^[a-z][a-z0-9_]*$"


class ParameterValue(Strict):
    """One dated value of a parameter: it applies to events on or after ``since``."""

    since: dt.date
    value: Money


class Parameter(Strict):
    """A named number of the law (rate, amount, ceiling, threshold, period), as OpenFisca keeps them.

    ``values`` are dated: an event uses the value whose ``since`` is the latest on or before the event
    date.  ``value`` alone is shorthand for one value valid from the document's start.
    """

    label: str = Field(description="what the number is, in Chinese, e.g. 技术交易额配套比例")
    unit: Literal["yuan", "ratio", "count", "months", "years"]
    reference: str = Field(description="the clause's own words that give the number")
    value: Money | None = None
    values: list[ParameterValue] = []

    @model_validator(mode="after")
    def _one_form(self) -> Parameter:
        if (self.value is None) == (not self.values):
            raise ValueError("a parameter needs exactly one of 'value' or 'values'")
        dates = [v.since for v in self.values]
        if dates != sorted(dates) or len(set(dates)) != len(dates):
            raise ValueError("parameter values must be in increasing 'since' order, one per date")
        if self.unit == "ratio" and any(v > 1 for v in self.numbers()):
            raise ValueError("a ratio must be between 0 and 1")
        return self

    def numbers(self) -> list[Decimal]:
        return [self.value] if self.value is not None else [v.value for v in self.values]

    def dated(self, start: dt.date) -> list[tuple[dt.date, Decimal]]:
        """(since, value) pairs, the shorthand form dated from ``start``."""
        if self.value is not None:
            return [(start, self.value)]
        return [(v.since, v.value) for v in self.values]


class Rule(Strict):
    """One way a cash measure pays: an event type, conditions and a formula."""

    id: str
    parameters: dict[Annotated[str, Field(pattern=PARAMETER_NAME)], Parameter] = Field(
        default={}, description="named, dated numbers the rule's formulas and conditions use by name"
    )
    label: str
    event: str = Field(description="event type that triggers the rule, see events.yaml")
    conditions: list[Condition] = []
    table: dict[str, Money] | None = Field(default=None, description="lookup table used as table[field]")
    amount: str | None = Field(default=None, description="formula for the amount in yuan, before caps")
    review_range: tuple[Money, Money] | None = Field(
        default=None, description="经评审: the legal range [min, max]; the engine reports the maximum"
    )
    review_max: str | None = Field(
        default=None, description="经评审: a ceiling that depends on the case, e.g. '20000 * months' (yuan)"
    )
    review_min: str | None = Field(
        default=None, description="经评审: a floor that depends on the case, e.g. '1000 * months'; needs review_max"
    )
    caps: Caps = Caps()
    cap_group: str | None = Field(
        default=None, description="rules sharing a cap_group share the caps of the first rule of the group"
    )
    interpretations: list[str] = Field(default=[], description="ids of the measure's interpretations")
    schedule: list[Instalment] = Field(
        default=[], description="instalments for this rule's awards (overrides the measure's)"
    )

    def expressions(self) -> list[str]:
        """Every expression the rule evaluates: conditions, amount and review bounds."""
        return [c.expr for c in self.conditions] + [x for x in (self.amount, self.review_max, self.review_min) if x]

    @model_validator(mode="after")
    def _formula(self) -> Rule:
        if self.schedule and sum(i.fraction for i in self.schedule) != 1:
            raise ValueError(f"{self.id}: instalment shares must add up to 1")
        reviewed = self.review_range is not None or self.review_max is not None
        if (self.amount is None) != reviewed:
            raise ValueError("rule needs exactly one of 'amount' or a review range ('review_range'/'review_max')")
        if self.review_min is not None and self.review_max is None:
            raise ValueError("review_min needs review_max")
        if self.amount is not None:
            tree = expr.parse(self.amount)
            if self.table is None and any(isinstance(n, expr.Lookup) for n in expr.walk(tree)):
                raise ValueError("amount uses table[...] but the rule has no table")
        for source in (self.review_max, self.review_min):
            if source is not None:
                expr.parse(source)
        used = {name for source in self.expressions() for name in expr.names(expr.parse(source))}
        unused = sorted(set(self.parameters) - used)
        if unused:
            raise ValueError(f"{self.id}: parameters {unused} are not used by any formula or condition")
        if self.review_range is not None and self.review_range[0] > self.review_range[1]:
            raise ValueError("review_range min is above max")
        return self


class Measure(Strict):
    id: str = Field(pattern=r"^[a-z]+-[0-9a-z-]+$")
    clause: str = Field(description="the clause number as printed, e.g. '8', '（四）', '第八条', '科技金融·三'")
    section: str = ""
    title: str
    text: str = Field(min_length=10, description="verbatim clause text")
    kind: MeasureKind
    category: str = Field(description="comparison category, see categories in the catalog README")
    beneficiaries: list[OrgKind]
    lead_departments: list[str]
    cooperating_departments: list[str] = []
    expert_review: bool = False
    annual_assessment: bool = False
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    overlap_group: str | None = Field(default=None, description="就高不重复: measures of one matter")
    stacks_on_provincial: bool = Field(default=False, description="在省级支持基础上: pays on top of provincial support")
    rules: list[Rule] = []
    caps: Caps = Caps()
    combine: Literal["sum", "max"] = Field(default="sum", description="how the rules' amounts combine")
    schedule: list[Instalment] = Field(default=[], description="instalments; empty means paid at once")
    interpretations: list[Interpretation] = []
    disabled: bool = Field(default=False, description="a reform stopped the measure: it pays nothing")
    notes: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> Measure:
        if self.kind is MeasureKind.CASH and not self.rules:
            raise ValueError(f"{self.id}: a cash measure needs at least one rule")
        if self.kind is not MeasureKind.CASH and self.rules:
            raise ValueError(f"{self.id}: only cash measures have rules")
        if self.schedule and sum(i.fraction for i in self.schedule) != 1:
            raise ValueError(f"{self.id}: instalment shares must add up to 1")
        known = {i.id for i in self.interpretations}
        for rule in self.rules:
            missing = set(rule.interpretations) - known
            if missing:
                raise ValueError(f"{self.id}/{rule.id}: unknown interpretations {sorted(missing)}")
        return self


class EventField(Strict):
    type: Literal["money", "int", "str", "bool", "ratio"]
    label: str
    options: dict[str, str] | None = Field(default=None, description="allowed values with Chinese labels")
    required: bool = False


class EventType(Strict):
    label: str
    fields: dict[str, EventField]


class Document(Strict):
    id: str = Field(pattern=r"^[a-z]+$")
    valley: Valley
    wenhao: str = Field(description="文号, or '' where the text has none")
    title: str
    source_file: str
    issued: dt.date | None = None
    valid_from: dt.date
    valid_to: dt.date
    overlap_principle: str
    applies_to_text: str = Field(description="the sentence naming who the document applies to")
    default_beneficiaries: list[OrgKind]
    rounding: Literal["fen_half_up"] = "fen_half_up"
    clause_count: int = Field(description="clauses numbered in the document's own text")
    clause_marker: str | None = Field(
        default=None, description="regular expression matching the start of each numbered clause in the seed text"
    )
    measures: list[Measure]
    event_types: dict[str, EventType] = Field(default={}, description="event types this document adds")

    @model_validator(mode="after")
    def _unique(self) -> Document:
        ids = [m.id for m in self.measures]
        dupes = {i for i in ids if ids.count(i) > 1}
        if dupes:
            raise ValueError(f"duplicate measure ids: {sorted(dupes)}")
        return self
