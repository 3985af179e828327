"""The simulation form: population, years range and reform text from a POST, problems mapped to fields."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jinchuang.policy.case import FieldProblem
from jinchuang.simulations.builder import (
    MAX_ROWS,
    MONEY_UNITS,
    VALLEYS,
    BuildError,
    ChangeRow,
    MeasureChoice,
    check_rows,
)

DEFAULT_FIRST_YEAR, DEFAULT_LAST_YEAR = 2025, 2027
ERR_YEAR_NUMBER = gettext_noop("年份须为整数, 如 2025")


@dataclass
class SimulationForm:
    population: str = ""
    first_year: str = str(DEFAULT_FIRST_YEAR)
    last_year: str = str(DEFAULT_LAST_YEAR)
    reform_text: str = ""
    problems: list[FieldProblem] = field(default_factory=list)
    open_yaml: bool = False  # the YAML fold-out starts open (an example chosen, or its errors to show)

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
            self.problems.append(FieldProblem("years", _(ERR_YEAR_NUMBER)))
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


NAME_MAX = 200


@dataclass
class ScenarioForm:
    """A scenario as typed: its name, description and change rows (row fields ``measure-N``, ``parameter-N``,
    ``value-N``, ``unit-N``, ``since-N`` for N < ``rows``)."""

    name: str = ""
    description: str = ""
    rows: list[ChangeRow] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_post(cls, data: QueryDict) -> ScenarioForm:
        try:
            count = min(max(int(data.get("rows", "0")), 0), MAX_ROWS)
        except ValueError:
            count = 0
        rows = [
            ChangeRow(
                measure=data.get(f"measure-{n}", "").strip(),
                parameter=data.get(f"parameter-{n}", "").strip(),
                value=data.get(f"value-{n}", "").strip(),
                unit=data.get(f"unit-{n}", "yuan") if data.get(f"unit-{n}") in MONEY_UNITS else "yuan",
                since=data.get(f"since-{n}", "").strip(),
                valley=data.get(f"valley-{n}", "") if data.get(f"valley-{n}") in VALLEYS else "",
            )
            for n in range(count)
        ]
        return cls(name=data.get("name", "").strip(), description=data.get("description", "").strip(), rows=rows)

    def check(self, choices: Sequence[MeasureChoice]) -> list[dict[str, str]] | None:
        """The stored rows when everything is right; None with each problem beside its field."""
        self.errors = {}
        if not self.name:
            self.errors["name"] = _("请填写方案名称")
        elif len(self.name) > NAME_MAX:
            self.errors["name"] = _("方案名称最多 %(n)d 个字") % {"n": NAME_MAX}
        try:
            stored = check_rows(self.rows, choices)
        except BuildError as exc:
            if exc.message:
                self.errors["changes"] = exc.message
            return None
        return None if self.errors else stored

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(r.errors for r in self.rows)
