"""申报编号: valley code, year of submission, sequence per valley per year — ``JC-2026-000123``.

The sequence comes from one counter row per (valley, year), raised by a conditional UPDATE
(``last = last + 1``) inside the caller's transaction: the UPDATE takes the row's write lock on
PostgreSQL and the database's write lock on SQLite, so two submissions never read the same value.
The first number of a year creates the row; a concurrent creator loses on the unique constraint and
retries the UPDATE. The number itself is also unique in the database (a second guard).
"""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.db.models import F

from jinchuang.applications.models import ApplicationNumberCounter
from jinchuang.policy.vocabulary import Valley

#: the valley codes of the number, from the documents' ids (jincheng → JC …), as the measures' ids use them
VALLEY_CODES: dict[str, str] = {
    Valley.JINCHENG.value: "JC",
    Valley.JINZHONG.value: "JZ",
    Valley.LINFEN.value: "LF",
    Valley.YANGQUAN.value: "YQ",
    Valley.DATONG.value: "DT",
}
SEQUENCE_DIGITS = 6
NUMBER_PATTERN = re.compile(r"^(JC|JZ|LF|YQ|DT)-(\d{4})-(\d{6,})$")


def number_format(*, valley: str, year: int, sequence: int) -> str:
    """``number_format(valley="晋城", year=2026, sequence=123)`` → ``"JC-2026-000123"``."""
    return f"{VALLEY_CODES[valley]}-{year:04d}-{sequence:0{SEQUENCE_DIGITS}d}"


def number_normalise(text: str) -> str:
    """What a person types (spaces, lower case, full-width dashes) as the stored form."""
    cleaned = "".join(str(text or "").split()).upper().replace("－", "-").replace("—", "-").replace("–", "-")
    return cleaned


def _raise(valley: str, year: int) -> int | None:
    rows = ApplicationNumberCounter.objects.filter(valley=valley, year=year)
    if rows.update(last=F("last") + 1) == 0:
        return None
    return rows.values_list("last", flat=True).get()


def number_allocate(*, valley: str, year: int) -> str:
    """The next 申报编号 of ``valley`` in ``year``; call inside the transaction that stores it."""
    if valley not in VALLEY_CODES:
        raise ValueError(f"no number code for valley {valley!r}")
    for _attempt in range(3):
        sequence = _raise(valley, year)
        if sequence is not None:
            return number_format(valley=valley, year=year, sequence=sequence)
        try:
            with transaction.atomic():
                ApplicationNumberCounter.objects.create(valley=valley, year=year, last=1)
            return number_format(valley=valley, year=year, sequence=1)
        except IntegrityError:  # another submission created the year's row first: raise it instead
            continue
    raise RuntimeError("could not allocate an application number")
