"""One cell of a department's list read as the case vocabulary writes it, and the list's header found."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from jinchuang.records.import_columns import Target, cell_value, normalise_uscc, suggested_mapping
from jinchuang.records.listfiles import ListFileError, list_summary, open_list

MONEY = Target("amount", "技术交易额", "money")
INT = Target("months", "月数", "int")
RATIO = Target("share", "比例", "ratio")
BOOL = Target("first_time", "首次认定", "bool")
CERT = Target("cert", "资质", "str", options={"high_tech": "高新技术企业", "provincial_specialised": "省级专精特新"})
DATE = Target("date", "发生日期", "date")
REF = Target("ref", "编号/备注", "ref")


@pytest.mark.parametrize(
    ("target", "value", "expected"),
    [
        (MONEY, 1234.56, "1234.56"),  # an Excel float through its shortest repr, never float arithmetic
        (MONEY, 0.1 + 0.2, "0.30000000000000004"),  # kept exact: the money parser then refuses it
        (MONEY, 800000, "800000"),
        (MONEY, " 800,000 元", "800000"),
        (INT, 12.0, "12"),
        (RATIO, "10%", "0.10"),
        (RATIO, 0.25, "0.25"),
        (BOOL, "是", True),
        (BOOL, "否", False),
        (BOOL, 1, True),
        (BOOL, True, True),
        (CERT, "高新技术企业", "high_tech"),
        (CERT, "high_tech", "high_tech"),
        (DATE, dt.datetime(2025, 3, 9, 0, 0), "2025-03-09"),
        (DATE, "2025/3/9", "2025-03-09"),
        (DATE, "2025年3月9日", "2025-03-09"),
        (DATE, "20250309", "2025-03-09"),
        (DATE, "2025-13-01", "2025-13-01"),  # impossible stays impossible: the parser names it
        (REF, 20250001.0, "20250001"),
        (REF, None, None),
        (CERT, "  ", None),
    ],
)
def test_cell_values(target: Target, value: object, expected: object) -> None:
    assert cell_value(target, value) == (expected, None)


def test_bad_cells_get_chinese_problems_by_label() -> None:
    value, problem = cell_value(CERT, "超级企业")
    assert value is None and problem is not None
    assert "资质" in problem and "超级企业" in problem and "高新技术企业" in problem and "high_tech" not in problem
    assert cell_value(BOOL, "也许")[1] is not None
    assert cell_value(MONEY, True)[1] is not None


def test_codes_are_normalised_before_the_check() -> None:
    assert normalise_uscc(" 91141000 mA0abc123x ") == "91141000MA0ABC123X"
    assert normalise_uscc(None) == ""


def test_columns_are_suggested_by_label_and_usual_names() -> None:
    header = ["序号", "企业名称", "统一社会信用代码", "资质", "认定日期", "证书编号"]
    assert suggested_mapping("certification_granted", header) == {
        "uscc": "统一社会信用代码",
        "date": "认定日期",
        "cert": "资质",
        "ref": "证书编号",
    }


def test_the_header_row_is_found_below_a_title_and_rows_keep_their_numbers(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["2025年高新技术企业认定名单"])
    sheet.append(["统一社会信用代码", "认定日期", "认定日期"])
    sheet.append(["A", dt.date(2025, 1, 2), None])
    sheet.append([None, None, None])
    sheet.append(["B", None, "x"])
    path = tmp_path / "list.xlsx"
    workbook.save(path)
    with open_list(path, "xlsx") as table:
        assert table.header == ["统一社会信用代码", "认定日期", "认定日期 (2)"] and table.header_row == 2
        rows = list(table.rows)
    assert [r.number for r in rows] == [3, 5]
    assert rows[1].values == {"统一社会信用代码": "B", "认定日期": None, "认定日期 (2)": "x"}
    assert list_summary(path, "xlsx") == (table.header, 2)


def test_unreadable_files_say_why(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    with pytest.raises(ListFileError) as caught:
        list_summary(broken, "xlsx")
    assert "Excel" in caught.value.why
    latin = tmp_path / "latin.csv"
    latin.write_bytes("统一社会信用代码,日期\n".encode("gb18030"))
    with pytest.raises(ListFileError) as caught:
        list_summary(latin, "csv")
    assert "UTF-8" in caught.value.why
