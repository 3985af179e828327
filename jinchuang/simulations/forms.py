"""The simulation form: population, years range and reform text from a POST, problems mapped to fields."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import QueryDict

from jinchuang.policy.case import FieldProblem

DEFAULT_FIRST_YEAR, DEFAULT_LAST_YEAR = 2025, 2027
ERR_YEAR_NUMBER = "年份须为整数, 如 2025"


@dataclass
class SimulationForm:
    population: str = ""
    first_year: str = str(DEFAULT_FIRST_YEAR)
    last_year: str = str(DEFAULT_LAST_YEAR)
    reform_text: str = ""
    problems: list[FieldProblem] = field(default_factory=list)

    @classmethod
    def from_post(cls, data: QueryDict) -> SimulationForm:
        return cls(
            population=data.get("population", "").strip(),
            first_year=data.get("first_year", "").strip(),
            last_year=data.get("last_year", "").strip(),
            reform_text=data.get("reform", "").replace("\r\n", "\n"),
        )

    def years(self) -> list[int] | None:
        """The years asked for, or None (with a problem recorded) when they are not numbers."""
        try:
            first, last = int(self.first_year), int(self.last_year)
        except ValueError:
            self.problems.append(FieldProblem("years", ERR_YEAR_NUMBER))
            return None
        return list(range(first, last + 1)) if first <= last else [first, last]

    def errors_of(self, *names: str) -> list[FieldProblem]:
        return [p for p in self.problems if p.field in names]

    @property
    def population_errors(self) -> list[FieldProblem]:
        return self.errors_of("population")

    @property
    def years_errors(self) -> list[FieldProblem]:
        return self.errors_of("years")

    @property
    def reform_errors(self) -> list[FieldProblem]:
        """Everything about the reform text: '$', 'reform', 'name', 'changes', changes[i]..."""
        return [p for p in self.problems if p.field not in ("population", "years")]
