"""The ledger's totals, by measure and by month paid: summed in fen in the database over every row of
the filter, in the user's scope; the month filter keeps the instalments paid in that month."""

from __future__ import annotations

import datetime as dt

import pytest

from jinchuang.applications.selectors import ledger_rows, ledger_summary
from tests.applications.conftest import Cast
from tests.applications.ledger_support import STARTUP, TECH, award

pytestmark = pytest.mark.django_db


def _ledger(cast: Cast) -> None:
    award(
        organisation=cast.organisation,
        approver=cast.reviewer,
        payer=cast.finance,
        measure=TECH,
        instalments=[(2026, 240_000_00, dt.date(2026, 1, 5))],
    )
    award(
        organisation=cast.organisation,
        approver=cast.reviewer,
        payer=cast.finance,
        measure=STARTUP,
        instalments=[
            (2026, 333_333_33, dt.date(2026, 1, 20)),
            (2027, 333_333_33, dt.date(2026, 3, 2)),
            (2028, 333_333_34, None),
        ],
    )
    other = cast.other_applicant.organisation
    assert other is not None
    award(organisation=other, approver=cast.reviewer, measure=TECH, instalments=[(2026, 100, None)])  # one yuan


def test_summary_totals_by_measure_and_by_month(cast: Cast) -> None:
    _ledger(cast)
    summary = ledger_summary(ledger_rows(user=cast.finance))
    assert (summary.count, summary.total_fen, summary.paid_fen) == (5, 124_000_100, 90_666_666)
    assert summary.unpaid_fen == 33_333_334 + 100
    by_measure = {g.key: g for g in summary.by_measure}
    assert [g.key for g in summary.by_measure] == ["jc-3", "jc-8"]  # the larger total first
    assert by_measure["jc-3"].label == "创新落户企业注册资本支持"
    assert by_measure["jc-3"].citation == "晋市政办〔2024〕39号 第3条"
    assert (by_measure["jc-3"].total_fen, by_measure["jc-3"].paid_fen) == (1_000_000_00, 666_666_66)
    assert (by_measure["jc-8"].count, by_measure["jc-8"].total_fen, by_measure["jc-8"].unpaid_fen) == (
        2,
        24_000_100,
        100,
    )
    assert [(g.key, g.paid_fen, g.count) for g in summary.by_month] == [
        ("2026-01", 573_333_33, 2),
        ("2026-03", 333_333_33, 1),
    ]


def test_summary_follows_the_filter_and_the_scope(cast: Cast) -> None:
    _ledger(cast)
    january = ledger_summary(ledger_rows(user=cast.finance, paid_month=dt.date(2026, 1, 31)))
    assert (january.count, january.total_fen) == (2, 573_333_33)
    tech = ledger_summary(ledger_rows(user=cast.finance, measure_id="jc-8"))
    assert (tech.count, tech.total_fen, tech.paid_fen) == (2, 24_000_100, 24_000_000)
    # the other enterprise sees its own one fen, nothing of the first
    own = ledger_summary(ledger_rows(user=cast.other_applicant))
    assert (own.count, own.total_fen, own.paid_fen, own.by_month) == (1, 100, 0, [])
    empty = ledger_summary(ledger_rows(user=cast.finance, paid_month=dt.date(2025, 1, 1)))
    assert (empty.count, empty.total_fen, empty.by_measure, empty.by_month) == (0, 0, [], [])
