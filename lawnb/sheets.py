"""Reading tables as text, indexed by the line (CSV) or row (Excel) a user sees them on.

Every cell is a string or ``pd.NA`` (a blank cell), so validation can say which cell is wrong
before anything is converted; the index is the 1-based line or row number of each record.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pandas as pd

from lawnb.errors import DatasetError

ENCODINGS = ("utf-8-sig", "gb18030")  # UTF-8 (with or without BOM), then Excel's Chinese ANSI


def read_text(file: Path) -> str:
    """The text of a CSV file: UTF-8 (with or without BOM) or GB18030 (Excel's “CSV” on Chinese Windows)."""
    try:
        data = Path(file).read_bytes()
    except OSError as exc:
        raise DatasetError(f"{file}: 无法读取文件（{exc.strerror}）。请检查路径和权限。") from exc
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DatasetError(f"{file}: 不是 UTF-8 或 GBK 编码的文本。请在 Excel 中另存为“CSV UTF-8”。")


def read_csv_table(file: Path) -> pd.DataFrame:
    """A CSV file as a text table whose index is each record's first line number (header = 1)."""
    reader = csv.reader(io.StringIO(read_text(file), newline=""))
    try:
        header = next(reader, None)
        if not header:
            raise DatasetError(f"{file}: 文件是空的，第 1 行应为表头。")
        header = _checked_header(header, file)
        rows, lines, start = [], [], reader.line_num + 1
        for record in reader:
            if any(cell.strip() for cell in record):
                if len(record) > len(header):
                    raise DatasetError(
                        f"{file}: 第 {start} 行有 {len(record)} 个字段，而表头只有 {len(header)} 列。"
                        "请检查该行是否多了逗号，或含逗号的内容没有用英文双引号括起来。"
                    )
                rows.append(record + [""] * (len(header) - len(record)))
                lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise DatasetError(
            f"{file}: 第 {reader.line_num} 行不是有效的 CSV（{exc}）。请检查引号是否成对。"
        ) from exc
    return _text_frame(rows, header, lines)


def read_excel_table(file: Path, sheet: str | None = None) -> pd.DataFrame:
    """An Excel sheet (the first one by default) as a text table indexed by Excel row number."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except (OSError, ValueError, KeyError) as exc:
        raise DatasetError(
            f"{file}: 无法打开 Excel 文件（{exc}）。请确认是 .xlsx 格式（WPS/Excel 另存为 .xlsx）。"
        ) from exc
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise DatasetError(
                f"{file}: 没有名为“{sheet}”的工作表。已有：{'、'.join(book.sheetnames)}。"
            )
        rows = list(book[sheet or book.sheetnames[0]].iter_rows(values_only=True))
    finally:
        book.close()
    return excel_rows_table(rows, file)


def excel_rows_table(rows: list[tuple], file: Path) -> pd.DataFrame:
    """Rows of cell values (the first non-blank row is the header) as a text table."""
    texts = [[cell_text(v) for v in row] for row in rows]
    first = next((i for i, row in enumerate(texts) if any(row)), None)
    if first is None:
        raise DatasetError(f"{file}: 工作表是空的，第一行应为表头。")
    header = list(texts[first])
    while header and not header[-1]:
        header.pop()
    header = _checked_header(header, file)
    body, lines = [], []
    for number, row in enumerate(texts[first + 1 :], start=first + 2):
        row = (row + [""] * len(header))[: len(header)]
        if any(row):
            body.append(row)
            lines.append(number)
    return _text_frame(body, header, lines)


def cell_text(value: object) -> str:
    """One Excel cell as text: integral numbers without “.0”, dates as ISO, blanks as ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def _checked_header(header: list[str], file: Path) -> list[str]:
    """Stripped header names; a blank name becomes “第N列”; a repeated name is an error."""
    header = [h.strip() or f"第{i}列" for i, h in enumerate(header, start=1)]
    twice = sorted({h for h in header if header.count(h) > 1})
    if twice:
        raise DatasetError(
            f"{file}: 表头中这些列名出现了不止一次：{'、'.join(twice)}。请删除重复的列或改名。"
        )
    return header


def _text_frame(rows: list[list[str]], header: list[str], lines: list[int]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=header, index=pd.Index(lines, name="line"), dtype=object)
    frame = frame.map(lambda v: pd.NA if not isinstance(v, str) or not v.strip() else v)
    unnamed = [c for c in frame.columns if c.startswith("第") and c.endswith("列")]
    return frame.drop(columns=[c for c in unnamed if frame[c].isna().all()])
