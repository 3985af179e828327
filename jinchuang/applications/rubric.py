"""专家评审评分细则: criteria and weights per measure category, read from ``data/rubrics.yaml``.

An expert scores each criterion from 0 to its weight; the weights of a rubric sum to 100, so the total
(computed here, an exact integer) is a score out of 100. The table is data: a category of the catalog
with no rubric of its own is scored on ``default``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

RUBRICS_FILE = Path(__file__).with_name("data") / "rubrics.yaml"
DEFAULT = "default"
TOTAL_WEIGHT = 100


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    weight: int  # the most points an expert may give on this criterion


@dataclass(frozen=True)
class Rubric:
    key: str  # the measure category it is for, or "default"
    title: str
    criteria: tuple[Criterion, ...]

    def total(self, points: Mapping[str, int]) -> int:
        """The score out of 100: the sum of the points given (every criterion scored, each within 0..weight)."""
        return sum(points[c.key] for c in self.criteria)


class RubricTableError(ValueError):
    """The rubric table is malformed (a programming/data error, caught at load and by the tests)."""


def _parse(key: str, raw: object) -> Rubric:
    if not isinstance(raw, dict) or not isinstance(raw.get("criteria"), list) or not raw["criteria"]:
        raise RubricTableError(f"rubric {key!r}: needs a title and a non-empty list of criteria")
    criteria = []
    for item in raw["criteria"]:
        weight = item.get("weight") if isinstance(item, dict) else None
        if not isinstance(item, dict) or not item.get("key") or not item.get("label"):
            raise RubricTableError(f"rubric {key!r}: every criterion needs a key and a label")
        if isinstance(weight, bool) or not isinstance(weight, int) or weight <= 0:
            raise RubricTableError(f"rubric {key!r}: criterion {item['key']!r} needs a positive integer weight")
        criteria.append(Criterion(str(item["key"]), str(item["label"]), weight))
    keys = [c.key for c in criteria]
    if len(set(keys)) != len(keys):
        raise RubricTableError(f"rubric {key!r}: criterion keys repeat")
    if sum(c.weight for c in criteria) != TOTAL_WEIGHT:
        raise RubricTableError(f"rubric {key!r}: weights sum to {sum(c.weight for c in criteria)}, not 100")
    return Rubric(key, str(raw.get("title") or key), tuple(criteria))


def rubrics_parse(text: str) -> dict[str, Rubric]:
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or DEFAULT not in data:
        raise RubricTableError("the rubric table needs a 'default' rubric")
    return {str(key): _parse(str(key), raw) for key, raw in data.items()}


@cache
def rubrics() -> dict[str, Rubric]:
    return rubrics_parse(RUBRICS_FILE.read_text(encoding="utf-8"))


def rubric_for_category(category: str) -> Rubric:
    table = rubrics()
    return table.get(category) or table[DEFAULT]


def rubric_named(key: str) -> Rubric:
    """The rubric a score was given on (stored on the score row); an unknown key falls back to default."""
    table = rubrics()
    return table.get(key) or table[DEFAULT]
