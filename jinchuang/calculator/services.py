"""Running the calculator for the web page and the API: one engine behind every face."""

from __future__ import annotations

from typing import Any

from jinchuang.policy.case import CaseError, FieldProblem, parse_case
from jinchuang.policy.catalog import default_catalog
from jinchuang.policy.evaluate import evaluate
from jinchuang.policy.results import Result
from jinchuang.policy.vocabulary import Valley, parse_valley


def calculation_run(
    *,
    case_data: Any,
    valley: str | None = None,
    all_valleys: bool = False,
    explain: bool = True,
    field_prefix: str = "",
) -> Result:
    """Validate ``case_data`` and evaluate it.  Raises CaseError naming every bad field."""
    catalog = default_catalog()
    try:
        case = parse_case(case_data, catalog)
    except CaseError as exc:
        raise CaseError([FieldProblem(field_prefix + p.field, p.message) for p in exc.problems]) from exc
    valleys: list[Valley] | None = None
    if all_valleys:
        valleys = list(Valley)
    elif valley:
        try:
            valleys = [parse_valley(valley)]
        except ValueError as exc:
            raise CaseError([FieldProblem("valley", str(exc))]) from exc
    return evaluate(case, catalog, valleys, explain=explain)
