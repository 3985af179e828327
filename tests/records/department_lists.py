"""Test data: a department's 高新技术企业认定名单 (XLSX and CSV) for 临汾 enterprises.

``gaoqi_list(n_rows=300)`` creates the 临汾 enterprises of the list (settled before the certification
dates, each with a valid 统一社会信用代码 built with ``uscc_check_character``) and returns the rows:
most are good; some are unmatched (valid codes of no organisation) and some malformed (a bad check
character, a missing date, the date 2025-13-01, an unknown 资质). ``expected`` says, for every bad row,
its row number in the written file and the column a report must name.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from dataclasses import dataclass, field
from typing import Any

import openpyxl

from jinchuang.accounts.models import USCC_CHARACTERS, Organisation, uscc_check_character
from jinchuang.policy.vocabulary import OrgKind, Valley
from tests.factories import make_organisation

HEADER = ["序号", "企业名称", "统一社会信用代码", "资质", "认定日期", "证书编号"]
TITLE = "2025年临汾市高新技术企业认定名单"
#: the mapping an officer chooses for this list (target → column header)
MAPPING = {"uscc": "统一社会信用代码", "date": "认定日期", "cert": "资质", "ref": "证书编号"}
SETTLED_ON = dt.date(2024, 6, 1)
_serial = itertools.count(1)


def valid_uscc(serial: int, *, region: str = "141000") -> str:
    """A well-formed code with its right check character (GB 32100-2015): 91 + region + 9 characters."""
    body = f"91{region}"
    n = serial
    chars = []
    for _ in range(9):
        n, r = divmod(n, len(USCC_CHARACTERS))
        chars.append(USCC_CHARACTERS[r])
    first_17 = body + "".join(reversed(chars))
    return first_17 + uscc_check_character(first_17)


def bad_check_character(code: str) -> str:
    """The same code with a wrong 18th character."""
    wrong = next(c for c in USCC_CHARACTERS if c != code[17])
    return code[:17] + wrong


@dataclass
class DepartmentList:
    rows: list[list[Any]]  # data rows, in HEADER order
    organisations: list[Organisation]  # the enterprises the good rows name
    good: dict[str, dt.date]  # code → certification date of every good row
    bad: dict[int, tuple[str, str]] = field(default_factory=dict)  # data-row index → (column, kind)
    title: bool = True

    def row_number(self, index: int, *, csv_file: bool = False) -> int:
        """The spreadsheet row number of data row ``index`` (the XLSX has a title row above the header)."""
        return index + (2 if csv_file or not self.title else 3)

    def expected_problems(self, *, csv_file: bool = False) -> dict[int, tuple[str, str]]:
        return {self.row_number(i, csv_file=csv_file): v for i, v in self.bad.items()}

    def xlsx(self) -> bytes:
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        assert sheet is not None
        if self.title:
            sheet.append([TITLE])
        sheet.append(HEADER)
        for row in self.rows:
            sheet.append(row)
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()

    def csv(self) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for row in self.rows:
            writer.writerow(["" if v is None else (v.isoformat() if isinstance(v, dt.date) else v) for v in row])
        return out.getvalue().encode("utf-8-sig")


def gaoqi_list(
    n_rows: int = 300,
    *,
    unmatched: int = 10,
    bad_check: int = 5,
    no_date: int = 5,
    bad_date: int = 5,
    bad_cert: int = 5,
) -> DepartmentList:
    """A 300-row list: ``n_rows - (unmatched + malformed)`` good rows of 临汾 enterprises created here."""
    kinds = ["unmatched"] * unmatched + ["check"] * bad_check + ["no_date"] * no_date
    kinds += ["bad_date"] * bad_date + ["bad_cert"] * bad_cert
    good_count = n_rows - len(kinds)
    assert good_count > 0
    # spread the bad rows over the list (every 7th row, say), the rest good
    plan: list[str] = ["good"] * n_rows
    for i, kind in enumerate(kinds):
        plan[(i * 7 + 3) % n_rows] = kind
    assert plan.count("good") == good_count
    batch = next(_serial) * 10_000
    organisations: list[Organisation] = []
    rows: list[list[Any]] = []
    good: dict[str, dt.date] = {}
    bad: dict[int, tuple[str, str]] = {}
    for index, kind in enumerate(plan):
        serial = batch + index
        code = valid_uscc(serial)
        date: Any = dt.date(2025, 1 + index % 12, 1 + index % 28)
        cert = "高新技术企业"
        if kind in ("good", "check", "no_date", "bad_date", "bad_cert"):
            organisations.append(
                make_organisation(
                    name=f"临汾测试企业{serial}",
                    kind=OrgKind.ENTERPRISE,
                    valley=Valley.LINFEN,
                    settled_on=SETTLED_ON,
                    unified_social_credit_code=code,
                )
            )
        if kind == "good":
            good[code] = date
        elif kind == "unmatched":
            code = valid_uscc(serial, region="149900")  # valid, but no organisation has it
            bad[index] = ("统一社会信用代码", "unmatched")
        elif kind == "check":
            code = bad_check_character(code)
            bad[index] = ("统一社会信用代码", "uscc")
        elif kind == "no_date":
            date = None
            bad[index] = ("认定日期", "field")
        elif kind == "bad_date":
            date = "2025-13-01"
            bad[index] = ("认定日期", "field")
        elif kind == "bad_cert":
            cert = "超级企业"
            bad[index] = ("资质", "field")
        rows.append([index + 1, f"临汾测试企业{serial}", code, cert, date, f"GR2025{serial:08d}"])
    return DepartmentList(rows=rows, organisations=organisations, good=good, bad=bad)
