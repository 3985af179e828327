from decimal import Decimal

import pytest

from jinchuang.policy import expr


def test_decimal_literals_are_exact() -> None:
    assert expr.evaluate(expr.parse("amount * 0.20"), {"amount": Decimal("1200000")}) == Decimal("240000.00")
    assert expr.evaluate(expr.parse("0.1 + 0.2"), {}) == Decimal("0.3")


def test_lookup_min_max_ifelse_and_in() -> None:
    env = {"level": "national", "months": Decimal(40), "degree": "phd"}
    table = {"national": Decimal(1000000), "city": Decimal(100000)}
    assert expr.evaluate(expr.parse("table[level]"), env, table) == Decimal(1000000)
    assert expr.evaluate(expr.parse("min(months, 36) * 5000"), env) == Decimal(180000)
    assert expr.evaluate(expr.parse("max(1, 2, 3)"), env) == Decimal(3)
    assert expr.evaluate(expr.parse("degree in ('phd', 'master')"), env) is True
    assert expr.evaluate(expr.parse("degree not in ('phd',)"), env) is False
    assert expr.evaluate(expr.parse("1 if months > 36 else 2"), env) == Decimal(1)


def test_missing_field_is_reported_by_name() -> None:
    with pytest.raises(expr.MissingField) as info:
        expr.evaluate(expr.parse("contract_years >= 3"), {})
    assert info.value.name == "contract_years"


@pytest.mark.parametrize(
    "source",
    [
        "__import__('os').system('true')",
        "amount.real",
        "open('x')",
        "[x for x in y]",
        "lambda: 1",
        "amount ** 2",
        "a < b < c",
        "x[0]",
        "min(a)",
        "1 +",
        "table",
    ],
)
def test_anything_outside_the_whitelist_is_refused(source: str) -> None:
    with pytest.raises(expr.ExpressionError):
        expr.parse(source)


def test_names() -> None:
    assert expr.names(expr.parse("min(amount * rate, cap) if ok else 0")) == {"amount", "rate", "cap", "ok"}


def test_compiled_closures_agree_with_the_tree_walker() -> None:
    sources = [
        "amount * 0.20",
        "min(months, 36) * table[degree]",
        "degree in ('phd', 'master') and months >= 3",
        "not full_time or months > 12",
        "1 if months > 36 else -amount",
        "max(amount, 5) - 1",
        "degree not in ('phd',)",
    ]
    envs = [
        {"amount": Decimal("1200000"), "months": Decimal(40), "degree": "phd", "full_time": True},
        {"amount": Decimal("3"), "months": Decimal(2), "degree": "bachelor", "full_time": False},
        {"months": Decimal(12), "degree": "master"},
        {},
    ]
    table = {"phd": Decimal(5000), "master": Decimal(3000)}
    for source in sources:
        for env in envs:
            try:
                want: object = expr.evaluate(expr.parse(source), env, table)
            except expr.MissingField as exc:
                want = ("missing", exc.name)
            try:
                got: object = expr.compiled(source)(env, table)
            except expr.MissingField as exc:
                got = ("missing", exc.name)
            assert got == want, (source, env)
