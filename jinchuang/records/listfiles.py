"""Reading a department's list (名单): the first sheet of an XLSX workbook (openpyxl, read-only) or a
UTF-8 CSV file, as a header row and data rows numbered as the officer's spreadsheet numbers them.

The header row is the first of the file's first rows with at least two filled cells (a title row
such as "2025年高新技术企业认定名单" above the header is skipped). Columns are named by their header
text; a repeated header is named "text (2)". Rows with no filled cell are left out.
"""

from __future__ import annotations

import csv
import itertools
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

#: the header row is looked for among the file's first rows
HEADER_SEARCH_ROWS = 10


class ListFileError(Exception):
    """The file cannot be read as a list; ``why`` says why in Chinese."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


@dataclass(frozen=True)
class ListRow:
    number: int  # the row's number in the spreadsheet (1 = the first row of the file)
    values: dict[str, Any]  # column header → cell value (None when empty)


@dataclass
class ListTable:
    header: list[str]
    header_row: int
    rows: Iterator[ListRow]


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _xlsx_rows(path: Path) -> Iterator[tuple[int, tuple[Any, ...]]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ListFileError(_("不是有效的 Excel (XLSX) 工作簿")) from exc
    try:
        if not workbook.worksheets:
            raise ListFileError(_("工作簿中没有工作表"))
        sheet = workbook.worksheets[0]
        try:
            for number, row in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
                yield number, tuple(row)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise ListFileError(_("工作表内容损坏, 无法读取")) from exc
    finally:
        workbook.close()


def _csv_rows(path: Path) -> Iterator[tuple[int, tuple[Any, ...]]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for number, row in enumerate(csv.reader(handle), start=1):
                yield number, tuple(row)
    except UnicodeDecodeError as exc:
        raise ListFileError(_("CSV 文件须为 UTF-8 编码")) from exc
    except (csv.Error, OSError) as exc:
        raise ListFileError(_("CSV 文件格式错误")) from exc


def _raw_rows(path: Path, extension: str) -> Iterator[tuple[int, tuple[Any, ...]]]:
    if extension == "xlsx":
        return _xlsx_rows(path)
    if extension == "csv":
        return _csv_rows(path)
    raise ListFileError(_("只接受 XLSX 或 CSV 文件"))


def _header_names(cells: tuple[Any, ...]) -> list[str]:
    names: list[str] = []
    seen: dict[str, int] = {}
    for cell in cells:
        text = str(cell).strip() if _filled(cell) else ""
        if text:
            seen[text] = seen.get(text, 0) + 1
            if seen[text] > 1:
                text = f"{text} ({seen[text]})"
        names.append(text)
    return names


@contextmanager
def open_list(path: Path, extension: str) -> Iterator[ListTable]:
    """The list at ``path`` (``extension`` xlsx or csv); ListFileError when it cannot be read."""
    raw = _raw_rows(path, extension)
    try:
        first_filled: tuple[int, tuple[Any, ...]] | None = None
        header: tuple[int, tuple[Any, ...]] | None = None
        skipped: list[tuple[int, tuple[Any, ...]]] = []
        for number, cells in raw:
            filled = sum(1 for c in cells if _filled(c))
            if filled and first_filled is None:
                first_filled = (number, cells)
            if filled >= 2:
                header = (number, cells)
                break
            skipped.append((number, cells))
            if number >= HEADER_SEARCH_ROWS:
                break
        if header is None:
            if first_filled is None:
                raise ListFileError(_("文件中没有表头行"))
            header = first_filled  # a one-column list: its first filled row is the header
            # rows read after the header while looking for a wider one are data rows
            pending = [(n, c) for n, c in skipped if n > header[0]]
        else:
            pending = []
        names = _header_names(header[1])
        if not any(names):
            raise ListFileError(_("文件中没有表头行"))

        def rows() -> Iterator[ListRow]:
            for number, cells in itertools.chain(pending, raw):
                if not any(_filled(c) for c in cells):
                    continue
                values = {name: (cells[i] if i < len(cells) else None) for i, name in enumerate(names) if name}
                yield ListRow(number=number, values=values)

        yield ListTable(header=[n for n in names if n], header_row=header[0], rows=rows())
    finally:
        close = getattr(raw, "close", None)
        if close is not None:
            close()


def list_summary(path: Path, extension: str) -> tuple[list[str], int]:
    """The list's header and how many data rows it has."""
    with open_list(path, extension) as table:
        return table.header, sum(1 for _ in table.rows)
