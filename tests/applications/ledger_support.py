"""Ledger rows for the ledger tests: awards with their instalments, written straight to the tables
(the ledger only reads them), plus one award made through the real workflow in the page test."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from jinchuang.accounts.models import Organisation, User
from jinchuang.applications.models import Application, Award, Instalment
from jinchuang.applications.workflow import State

_keys = itertools.count(1)

#: (measure id, title, citation, lead department) of the measures the ledger tests award
TECH = ("jc-8", "支持技术交易", "晋市政办〔2024〕39号 第8条", "晋城市科技局")
STARTUP = ("jc-3", "创新落户企业注册资本支持", "晋市政办〔2024〕39号 第3条", "晋城市科技局")


def award(
    *,
    organisation: Organisation,
    approver: User,
    measure: tuple[str, str, str, str] = TECH,
    instalments: list[tuple[int, int, dt.date | None]],
    payer: User | None = None,
    number: str = "",
) -> Award:
    """An approved award of ``measure`` for ``organisation`` with ``instalments`` as (due year, fen, paid on)."""
    measure_id, title, citation, department = measure
    application = Application.objects.create(
        organisation=organisation,
        measure_id=measure_id,
        valley=organisation.valley,
        title=title,
        citation=citation,
        lead_department=department,
        state=State.PAYMENT_SCHEDULED,
        idempotency_key=f"ledger-{next(_keys)}",
        created_by=approver,
        approved_amount_fen=sum(fen for _y, fen, _p in instalments),
        engine_max_fen=sum(fen for _y, fen, _p in instalments),
        number=number,
    )
    made = Award.objects.create(
        application=application,
        organisation=organisation,
        measure_id=measure_id,
        lead_department=department,
        valley=organisation.valley,
        amount_fen=sum(fen for _y, fen, _p in instalments),
        approved_at=timezone.now(),
        approved_by=approver,
    )
    for sequence, (year, fen, paid_on) in enumerate(instalments, start=1):
        Instalment.objects.create(
            award=made,
            sequence=sequence,
            due_year=year,
            amount_fen=fen,
            paid_on=paid_on,
            voucher_no=f"PZ-{made.pk}-{sequence}" if paid_on else "",
            paid_by=payer if paid_on else None,
            recorded_at=timezone.now() if paid_on else None,
        )
    return made


#: the 统一社会信用代码 of the organisation in :func:`two_awards`
LEDGER_CODE = "91140500MA0KXXXX1G"


def two_awards(cast: Any) -> None:
    """The ledger of the ledger tests: the cast's organisation (with :data:`LEDGER_CODE`) awarded 1,100,000.00 元
    under 第8条 (JC-2026-000007, paid 2026-01-05) and 666,666.67 元 under 第3条 in two instalments, one paid."""
    cast.organisation.unified_social_credit_code = LEDGER_CODE
    cast.organisation.save(update_fields=["unified_social_credit_code"])
    award(
        organisation=cast.organisation,
        approver=cast.reviewer,
        payer=cast.finance,
        measure=TECH,
        instalments=[(2026, 110_000_000, dt.date(2026, 1, 5))],
        number="JC-2026-000007",
    )
    award(
        organisation=cast.organisation,
        approver=cast.reviewer,
        payer=cast.finance,
        measure=STARTUP,
        instalments=[(2026, 33_333_333, dt.date(2026, 3, 2)), (2027, 33_333_334, None)],
    )
