"""The ledger's Excel file, read back with openpyxl: a title row (name, filters, export time), a frozen
header, column widths, the clause column, dates as Excel dates, amounts as numbers with two decimals
(exact: the cell holds the Decimal of the fen), and the totals under the rows."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from tests.applications.ledger_support import two_awards
from tests.applications.web.conftest import Cast

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _export(cast: Cast, query: str = "") -> bytes:
    response = cast.client(cast.finance).get(f"/applications/ledger/export.xlsx{query}")
    assert response.status_code == 200
    return response.content


def _sheet(cast: Cast, query: str = "") -> Worksheet:
    response = cast.client(cast.finance).get(f"/applications/ledger/export.xlsx{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX and response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert isinstance(sheet, Worksheet)
    return sheet


def _header(sheet: Worksheet) -> dict[str, int]:
    return {str(c.value): c.column for c in sheet[4] if c.value}


def test_title_rows_name_the_ledger_the_filters_and_the_export_time(cast: Cast) -> None:
    two_awards(cast)
    sheet = _sheet(cast, "?valley=晋城&month=2026-03")
    assert sheet["A1"].value == "晋创谷支持资金台账" and sheet["A1"].font.b
    assert sheet["A2"].value == "筛选条件: 晋创谷: 晋城; 拨付月份: 2026-03"
    exported = str(sheet["A3"].value)
    assert exported.startswith("导出时间: ") and dt.datetime.strptime(exported[6:22], "%Y-%m-%d %H:%M")
    assert {"A1:O1", "A2:O2", "A3:O3"} <= {str(r) for r in sheet.merged_cells.ranges}
    assert _sheet(cast)["A2"].value == "筛选条件: 全部"


def test_frozen_header_widths_and_the_clause_column(cast: Cast) -> None:
    two_awards(cast)
    sheet = _sheet(cast)
    header = _header(sheet)
    assert list(header)[:6] == ["申报编号", "晋创谷", "统一社会信用代码", "机构", "措施", "条款"]
    assert {"核定金额(元)", "本期金额(元)", "拨付日期", "凭证号", "审定人", "拨付登记人"} <= set(header)
    assert sheet.freeze_panes == "A5"  # the title rows and the header stay while the rows scroll
    assert sheet.auto_filter.ref == "A4:O7"
    assert all(c.font.b for c in sheet[4] if c.value)
    assert sheet.column_dimensions["D"].width == 30 and sheet.column_dimensions["C"].width == 22
    clause = header["条款"]
    clauses = [sheet.cell(row=r, column=clause).value for r in range(5, 8)]
    assert sorted(clauses) == ["晋市政办〔2024〕39号 第3条", "晋市政办〔2024〕39号 第3条", "晋市政办〔2024〕39号 第8条"]
    assert sheet.cell(row=5, column=header["统一社会信用代码"]).value == "91140500MA0KXXXX1G"
    numbers = [sheet.cell(row=r, column=header["申报编号"]).value for r in range(5, 8)]
    assert numbers[0] == "JC-2026-000007" and all(str(n).startswith("#") for n in numbers[1:])


def test_dates_are_dates_and_amounts_are_exact_numbers_with_two_decimals(cast: Cast) -> None:
    two_awards(cast)
    sheet = _sheet(cast)
    header = _header(sheet)
    rows = {sheet.cell(row=r, column=header["本期金额(元)"]).value: r for r in range(5, 8)}
    assert {Decimal(str(v)) for v in rows} == {Decimal("1100000.00"), Decimal("333333.33"), Decimal("333333.34")}
    for line in rows.values():
        amount = sheet.cell(row=line, column=header["本期金额(元)"])
        assert amount.data_type == "n" and amount.number_format == "#,##0.00"
        assert sheet.cell(row=line, column=header["核定金额(元)"]).number_format == "#,##0.00"
    # the file holds the decimal text of the fen, not a float's nearest binary neighbour
    with zipfile.ZipFile(io.BytesIO(_export(cast))) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<v>333333.33</v>" in xml and "<v>333333.34</v>" in xml and "<v>1766666.67</v>" in xml
    paid = [sheet.cell(row=r, column=header["拨付日期"]) for r in range(5, 8)]
    dated = [c for c in paid if c.value is not None]
    assert sorted(c.value for c in dated) == [dt.datetime(2026, 1, 5), dt.datetime(2026, 3, 2)]
    assert all(c.is_date and c.number_format == "yyyy-mm-dd" for c in dated)


def test_totals_under_the_rows(cast: Cast) -> None:
    two_awards(cast)
    sheet = _sheet(cast)
    column = _header(sheet)["本期金额(元)"]
    assert sheet.max_row == 4 + 3 + 3  # title rows, header, three instalments, three total rows
    totals = {str(sheet.cell(row=r, column=1).value): sheet.cell(row=r, column=column) for r in (8, 9, 10)}
    assert list(totals) == ["合计 (3 期)", "其中已拨付", "其中未拨付"]
    assert {k: Decimal(str(c.value)) for k, c in totals.items()} == {
        "合计 (3 期)": Decimal("1766666.67"),
        "其中已拨付": Decimal("1433333.33"),
        "其中未拨付": Decimal("333333.34"),
    }
    assert all(c.number_format == "#,##0.00" and c.font.b for c in totals.values())
    filtered = _sheet(cast, "?measure=jc-8")
    assert filtered["A6"].value == "合计 (1 期)" and Decimal(str(filtered.cell(row=6, column=column).value)) == 1100000


def test_an_enterprise_export_has_no_officers_columns(cast: Cast) -> None:
    two_awards(cast)
    response = cast.client(cast.applicant).get("/applications/ledger/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert isinstance(sheet, Worksheet)
    header = _header(sheet)
    assert "审定人" not in header and "拨付登记人" not in header and len(header) == 13
    assert sheet.max_row == 10
