"""The ledger as an Excel workbook: a title row (the ledger's name, the filters, the export time), a frozen
header, column widths, one row per instalment with its clause, dates as Excel dates and amounts as
numbers (exact Decimal yuan from integer fen, shown with two decimals), and the totals under the rows."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from jinchuang.applications.models import Instalment
from jinchuang.applications.selectors import LedgerSummary
from jinchuang.policy.money import fen_to_yuan

MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
#: rows above the header: the title, the filters, the export time
TITLE_ROWS = 3
HEADER_ROW = TITLE_ROWS + 1


@dataclass(frozen=True)
class LedgerLine:
    """One row of the ledger as the page and the file show it: the 申报编号, the valley's name, the instalment."""

    reference: str
    valley: str
    row: Instalment


@dataclass(frozen=True)
class Column:
    header: Promise
    width: int
    kind: str = "text"  # text | money | date | int
    officers_only: bool = False


COLUMNS = (
    Column(gettext_lazy("申报编号"), 18),
    Column(gettext_lazy("晋创谷"), 8),
    Column(gettext_lazy("统一社会信用代码"), 22),
    Column(gettext_lazy("机构"), 30),
    Column(gettext_lazy("措施"), 30),
    Column(gettext_lazy("条款"), 30),
    Column(gettext_lazy("牵头部门"), 18),
    Column(gettext_lazy("核定金额(元)"), 16, "money"),
    Column(gettext_lazy("期次"), 6, "int"),
    Column(gettext_lazy("应付年度"), 10, "int"),
    Column(gettext_lazy("本期金额(元)"), 16, "money"),
    Column(gettext_lazy("拨付日期"), 12, "date"),
    Column(gettext_lazy("凭证号"), 18),
    Column(gettext_lazy("审定人"), 12, officers_only=True),
    Column(gettext_lazy("拨付登记人"), 12, officers_only=True),
)
#: the column whose totals are written under the rows (本期金额: each instalment counted once)
AMOUNT_COLUMN = 11


def _cells(line: LedgerLine, officer: bool) -> list[Any]:
    row = line.row
    award = row.award
    application = award.application
    cells: list[Any] = [
        line.reference,
        line.valley,
        award.organisation.unified_social_credit_code,
        award.organisation.name,
        application.title or award.measure_id,
        application.citation,
        award.lead_department,
        fen_to_yuan(award.amount_fen),  # exact Decimal yuan, never float
        row.sequence,
        row.due_year,
        fen_to_yuan(row.amount_fen),
        row.paid_on,  # a date: written as an Excel date cell
        row.voucher_no,
    ]
    if officer:
        cells += [award.approved_by.get_full_name(), row.paid_by.get_full_name() if row.paid_by else ""]
    return cells


def ledger_workbook(
    *,
    rows: Sequence[LedgerLine],
    summary: LedgerSummary,
    filters: str,
    exported_at: dt.datetime,
    officer: bool,
) -> bytes:
    """The .xlsx file of ``rows`` with ``summary``'s totals under them."""
    columns = [c for c in COLUMNS if officer or not c.officers_only]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("台账")
    last = get_column_letter(len(columns))

    sheet["A1"] = _("晋创谷支持资金台账")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = _("筛选条件: %(filters)s") % {"filters": filters}
    sheet["A3"] = _("导出时间: %(time)s (北京时间)") % {"time": f"{exported_at:%Y-%m-%d %H:%M}"}
    for line in range(1, TITLE_ROWS + 1):
        sheet.merge_cells(f"A{line}:{last}{line}")

    header_fill = PatternFill("solid", fgColor="F3E5E4")
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=str(column.header))
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"

    line = HEADER_ROW
    for ledger_line in rows:
        line += 1
        for index, (column, value) in enumerate(zip(columns, _cells(ledger_line, officer), strict=True), start=1):
            cell = sheet.cell(row=line, column=index, value=value)
            if column.kind == "money":
                cell.number_format = MONEY_FORMAT
            elif column.kind == "date":
                cell.number_format = DATE_FORMAT
            elif column.kind == "int":
                cell.number_format = "0"
    if rows:
        sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{line}"

    totals: list[tuple[str, Decimal]] = [
        (_("合计 (%(count)s 期)") % {"count": summary.count}, fen_to_yuan(summary.total_fen)),
        (_("其中已拨付"), fen_to_yuan(summary.paid_fen)),
        (_("其中未拨付"), fen_to_yuan(summary.unpaid_fen)),
    ]
    for label, amount in totals:
        line += 1
        sheet.cell(row=line, column=1, value=label).font = Font(bold=True)
        cell = sheet.cell(row=line, column=AMOUNT_COLUMN, value=amount)
        cell.number_format = MONEY_FORMAT
        cell.font = Font(bold=True)

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
