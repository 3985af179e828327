"""The schema of the catalog's case files (``catalog/<doc>.cases.yaml``) and what each expectation means.

Each entry is a test written from the legal text: a case (docs/case-format.md), the measure it is
about and what the law says the result is.  Every key of ``expect`` is checked strictly when present;
an unknown key is an error, so a misspelt expectation cannot pass by not being read:

- ``status`` (required): the measure's status, e.g. ``eligible``.
- ``amount``: the exact amount in yuan (a string, ``'120000.00'``).
- ``binding_cap``: the cap that cut the amount most (``per_award`` | ``per_entity_per_year`` |
  ``cumulative_per_entity``); ``null`` means no cap cut it.
- ``failed``: the failed conditions, one text per failure, each a part of that failure's text; the
  list is complete (``[]`` means no condition failed).
- ``review_range``: the legal range ``[min, max]`` in yuan; ``null`` means no review range.
- ``schedule``: the instalment amounts in yuan, in order; ``[]`` means no instalments.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from jinchuang.policy.catalog import CatalogError, load_cases
from jinchuang.policy.results import FEN, MeasureResult, Status


def _yuan(value: object) -> Decimal:
    if isinstance(value, bool) or isinstance(value, float) or not isinstance(value, (str, int)):
        raise ValueError("金额须写成字符串, 如 '120000.00' / amounts are strings such as '120000.00'")
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"不是金额 / not an amount: {value!r}") from exc


Yuan = Annotated[Decimal, BeforeValidator(_yuan)]
CapName = Literal["per_award", "per_entity_per_year", "cumulative_per_entity"]


class Expectation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    status: Status
    amount: Yuan | None = None
    binding_cap: CapName | None = None
    failed: list[str] | None = None
    review_range: tuple[Yuan, Yuan] | None = None
    schedule: list[Yuan] | None = None


class CaseSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    measure: str
    case: dict[str, Any]
    expect: Expectation


def load_case_specs(doc_id: str, directory: Path | None = None) -> list[CaseSpec]:
    """The document's case file, validated; an entry that does not fit names its position."""
    specs = []
    for n, raw in enumerate(load_cases(doc_id, directory)):
        try:
            specs.append(CaseSpec.model_validate(raw))
        except ValueError as exc:
            raise CatalogError(f"{doc_id}.cases.yaml[{n}]: {exc}") from exc
    return specs


def _matching(texts: list[str], failures: list[str]) -> int:
    """The size of the largest one-to-one matching of expected texts to failures containing them."""
    owner: dict[int, int] = {}  # failure index -> text index

    def place(t: int, seen: set[int]) -> bool:
        for f, failure in enumerate(failures):
            if texts[t] in failure and f not in seen:
                seen.add(f)
                if f not in owner or place(owner[f], seen):
                    owner[f] = t
                    return True
        return False

    return sum(place(t, set()) for t in range(len(texts)))


def _fen(value: Decimal) -> Decimal:
    return value.quantize(FEN)


def problems(expect: Expectation, result: MeasureResult) -> list[str]:
    """Every way ``result`` differs from ``expect`` (empty when it meets every expectation)."""
    given = expect.model_fields_set
    out = []
    if result.status is not expect.status:
        out.append(f"status: expected {expect.status.value}, got {result.status.value}")
    if "amount" in given and (expect.amount is None or result.amount != expect.amount):
        out.append(f"amount: expected {expect.amount}, got {result.amount}")
    if "binding_cap" in given:
        cap = result.binding_cap
        if (cap.cap if cap else None) != expect.binding_cap:
            out.append(f"binding_cap: expected {expect.binding_cap}, got {cap.cap if cap else None}")
    if "failed" in given:
        texts, failures = list(expect.failed or []), [f.text for f in result.failed]
        if len(texts) != len(failures) or _matching(texts, failures) != len(texts):
            out.append(f"failed: expected exactly {texts}, got {failures}")
    if "review_range" in given:
        want = None if expect.review_range is None else tuple(_fen(x) for x in expect.review_range)
        got = None if result.review_range is None else tuple(_fen(x) for x in result.review_range)
        if want != got:
            out.append(f"review_range: expected {want}, got {got}")
    if "schedule" in given:
        want_schedule = [_fen(x) for x in expect.schedule or []]
        got_schedule = [_fen(s.amount) for s in result.schedule]
        if want_schedule != got_schedule:
            out.append(f"schedule: expected {want_schedule}, got {got_schedule}")
    return out
