"""Reading tables as text, indexed by the line (CSV) or row (Excel) a user sees them on.

Every cell is a string or ``pd.NA`` (a blank cell), so validation can say which cell is wrong
before anything is converted; the index is the 1-based line or row number of each record.
``records`` gives any table's rows as plain dicts, blank cells as None.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pandas as pd

from lawnb.errors import DatasetError

ENCODINGS = ("utf-8-sig", "gb18030")  # UTF-8 (with or without BOM), then Excel's Chinese ANSI


class TableReadError(DatasetError):
    """A table file that cannot be read as a table at all (encoding, quoting, header, extra fields)."""

    def __init__(self, file: Path | str, detail: str, line: int | None = None) -> None:
        self.file, self.detail, self.line = str(file), detail, line
        where = f"第 {line} 行：" if line is not None else ""
        super().__init__(f"{file}: {where}{detail}")


def read_text(file: Path) -> str:
    """The text of a CSV file: UTF-8 (with or without BOM) or GB18030 (Excel's “CSV” on Chinese Windows)."""
    try:
        data = Path(file).read_bytes()
    except OSError as exc:
        raise TableReadError(file, f"无法读取文件（{exc.strerror}）。请检查路径和权限。") from exc
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise TableReadError(
            file,
            "是 UTF-16 编码的“Unicode 文本”，不是 CSV。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”。",
        )
    if b"\x00" in data[:4096]:
        raise TableReadError(
            file, "不是文本文件（含二进制内容）。请确认选对了文件，或另存为“CSV UTF-8”。"
        )
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableReadError(file, "不是 UTF-8 或 GBK 编码的文本。请在 Excel 中另存为“CSV UTF-8”。")


def read_csv_table(file: Path) -> pd.DataFrame:
    """A CSV file as a text table whose index is each record's first line number (header = 1)."""
    return read_csv_text(read_text(file), file)


def read_csv_text(text: str, file: Path | str) -> pd.DataFrame:
    """CSV text as a text table indexed by line number (``file`` names it in errors)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if not header:
            raise TableReadError(file, "文件是空的，第 1 行应为表头。")
        header = _checked_header(header, file, 1)
        rows, lines, start = [], [], reader.line_num + 1
        for record in reader:
            if any(cell.strip() for cell in record):
                if len(record) > len(header):
                    raise TableReadError(
                        file,
                        f"有 {len(record)} 个字段，而表头只有 {len(header)} 列。"
                        "请检查该行是否多了逗号，或含逗号的内容没有用英文双引号括起来。",
                        start,
                    )
                rows.append(record + [""] * (len(header) - len(record)))
                lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise TableReadError(
            file, f"不是有效的 CSV（{exc}）。请检查引号是否成对。", reader.line_num
        ) from exc
    return _text_frame(rows, header, lines)


def read_excel_table(file: Path, sheet: str | None = None) -> pd.DataFrame:
    """An Excel sheet (the first one by default) as a text table indexed by Excel row number."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except (OSError, ValueError, KeyError) as exc:
        raise TableReadError(
            file, f"无法打开 Excel 文件（{exc}）。请确认是 .xlsx 格式（WPS/Excel 另存为 .xlsx）。"
        ) from exc
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise TableReadError(
                file, f"没有名为“{sheet}”的工作表。已有：{'、'.join(book.sheetnames)}。"
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
        raise TableReadError(file, "工作表是空的，第一行应为表头。")
    width = max(max((i + 1 for i, v in enumerate(row) if v), default=0) for row in texts)
    header = (list(texts[first]) + [""] * width)[:width]  # a cell right of the header is kept
    header = _checked_header(header, file, first + 1)
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


def _checked_header(header: list[str], file: Path | str, line: int) -> list[str]:
    """Stripped header names; a blank name becomes “第N列”; a repeated name is an error."""
    header = [h.strip() or f"第{i}列" for i, h in enumerate(header, start=1)]
    twice = sorted({h for h in header if header.count(h) > 1})
    if twice:
        raise TableReadError(
            file, f"表头中这些列名出现了不止一次：{'、'.join(twice)}。请删除重复的列或改名。", line
        )
    return header


def _text_frame(rows: list[list[str]], header: list[str], lines: list[int]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=header, index=pd.Index(lines, name="line"), dtype=object)
    frame = frame.map(lambda v: pd.NA if not isinstance(v, str) or not v.strip() else v)
    unnamed = [c for c in frame.columns if c.startswith("第") and c.endswith("列")]
    return frame.drop(columns=[c for c in unnamed if frame[c].isna().all()])


def records(frame: pd.DataFrame) -> list[dict]:
    """A table's rows as dicts, blank cells (NA, NaN) as None."""
    table = frame.astype(object)
    return table.where(table.notna(), None).to_dict("records")
