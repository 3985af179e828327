"""专家评审评分细则: the table's rules (weights sum to 100, keys unique) and its coverage of the catalog."""

from __future__ import annotations

import pytest

from jinchuang.applications.rubric import (
    DEFAULT,
    RubricTableError,
    rubric_for_category,
    rubrics,
    rubrics_parse,
)
from jinchuang.policy.catalog import default_catalog


def test_every_rubric_weighs_100_points() -> None:
    for key, rubric in rubrics().items():
        assert sum(c.weight for c in rubric.criteria) == 100, key
        assert len({c.key for c in rubric.criteria}) == len(rubric.criteria), key


def test_every_measure_reviewed_by_experts_has_a_rubric_of_its_own_category() -> None:
    reviewed = [m for d in default_catalog().documents for m in d.measures if m.expert_review]
    assert reviewed, "the catalog has measures reviewed by experts"
    for measure in reviewed:
        assert measure.category in rubrics(), (measure.id, measure.category)


def test_an_unknown_category_is_scored_on_the_default_rubric() -> None:
    assert rubric_for_category("no_such_category") is rubrics()[DEFAULT]
    assert rubric_for_category("startup_capital").key == "startup_capital"


def test_the_total_is_the_exact_sum_of_the_points() -> None:
    rubric = rubric_for_category("startup_capital")
    points = {c.key: c.weight - 1 for c in rubric.criteria}
    assert rubric.total(points) == 100 - len(rubric.criteria)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("startup_capital: {title: x, criteria: [{key: a, label: A, weight: 100}]}", "default"),
        ("default: {title: x, criteria: [{key: a, label: A, weight: 60}, {key: b, label: B, weight: 30}]}", "not 100"),
        ("default: {title: x, criteria: [{key: a, label: A, weight: 50}, {key: a, label: B, weight: 50}]}", "repeat"),
        ("default: {title: x, criteria: [{key: a, label: A, weight: 100.0}]}", "positive integer"),
        ("default: {title: x, criteria: []}", "non-empty"),
    ],
)
def test_a_malformed_table_is_refused(text: str, message: str) -> None:
    with pytest.raises(RubricTableError, match=message):
        rubrics_parse(text)
