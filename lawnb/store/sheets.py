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

from lawnb.cell_safety import QUOTE, from_csv
from lawnb.errors import DatasetError

ENCODINGS = ("utf-8-sig", "gb18030")  # UTF-8 (with or without BOM), then Excel's Chinese ANSI
MAX_TABLE_BYTES = 1024 * 1024 * 1024  # of a CSV table
MAX_INFLATED = 500 * 1024 * 1024  # an .xlsx's parts unpacked (ZipInfo.file_size summed)
MAX_ROWS = 200_000  # rows of one worksheet: a dataset's facts are a few tens of thousands
MAX_CELLS = 5_000_000  # cells of one worksheet (rows times their width)


class TableReadError(DatasetError):
    """A table file that cannot be read as a table at all (encoding, quoting, header, extra fields)."""

    def __init__(self, file: Path | str, detail: str, line: int | None = None) -> None:
        self.file, self.detail, self.line = str(file), detail, line
        where = f"第 {line} 行：" if line is not None else ""
        super().__init__(f"{file}: {where}{detail}")


def read_text(file: Path) -> str:
    """The text of a CSV file: UTF-8 (with or without BOM) or GB18030 (Excel's “CSV” on Chinese Windows)."""
    import os
    import stat

    try:  # opened without blocking and checked on the handle: a pipe or a device never hangs
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            os.close(fd)
            raise TableReadError(file, "不是普通文件（文件夹、设备或管道），不能作为表格读取。")
        if info.st_size > MAX_TABLE_BYTES:  # from its size: nothing read, nothing allocated
            os.close(fd)
            _too_large(file)
        with os.fdopen(fd, "rb") as handle:
            # As much as the file holds (a read of the limit would allocate the limit), and
            # what it grew by meanwhile, up to the limit.
            data = handle.read(info.st_size + 1)
            if len(data) > info.st_size:
                data += handle.read(MAX_TABLE_BYTES + 1 - len(data))
    except OSError as exc:
        raise TableReadError(file, f"无法读取文件（{exc.strerror}）。请检查路径和权限。") from exc
    if len(data) > MAX_TABLE_BYTES:
        _too_large(file)
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


def _too_large(file: Path) -> None:
    raise TableReadError(
        file,
        f"文件过大（上限 {MAX_TABLE_BYTES // 1024 // 1024} MB），不像是数据集的表格。"
        "请确认选对了文件，或从备份恢复。",
    )


def read_csv_table(file: Path) -> pd.DataFrame:
    """A CSV file as a text table whose index is each record's first line number (header = 1)."""
    return read_csv_text(read_text(file), file)


def read_csv_text(text: str, file: Path | str) -> pd.DataFrame:
    """CSV text as a text table indexed by line number (``file`` names it in errors).

    The apostrophe lawnb puts before a formula-like cell (``cell_safety.to_csv``) is taken off.
    """
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
                record = [from_csv(c) if c.startswith(QUOTE) else c for c in record]
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
    book = open_workbook(file)
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise TableReadError(
                file,
                f"没有名为“{sheet[:60]}”的工作表。已有：{'、'.join(book.sheetnames)[:200]}。",
            )
        rows = sheet_rows(book[sheet or book.sheetnames[0]], file)
    finally:
        book.close()
    return excel_rows_table(rows, file)


def open_workbook(file: Path, *, data_only: bool = True):  # type: ignore[no-untyped-def]
    """An .xlsx file opened read-only, after checking it is a regular file and a sane zip.

    Not a file, not a zip (a renamed CSV or an old .xls), corrupt, or a zip whose parts unpack
    to more than ``MAX_INFLATED`` bytes (a zip bomb): ``TableReadError`` saying what to do.
    """
    import stat
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    hint = "请确认是 .xlsx 格式（WPS/Excel 另存为 .xlsx）。"
    try:
        info = Path(file).stat()
        if not stat.S_ISREG(info.st_mode):
            raise TableReadError(
                file, f"不是普通文件（文件夹、设备或管道），不能作为工作簿读取。{hint}"
            )
        if info.st_size > MAX_INFLATED:
            raise TableReadError(file, f"文件过大（上限 {MAX_INFLATED // 1024 // 1024} MB）。")
        with zipfile.ZipFile(file) as archive:
            inflated = sum(part.file_size for part in archive.infolist())
        if inflated > MAX_INFLATED:
            raise TableReadError(
                file,
                f"工作簿解压后有 {inflated // 1024 // 1024} MB，超过上限 "
                f"{MAX_INFLATED // 1024 // 1024} MB（可能是“压缩炸弹”或损坏的文件）。"
                "请在 Excel/WPS 中打开后重新另存为 .xlsx。",
            )
        return load_workbook(file, read_only=True, data_only=data_only)
    except zipfile.BadZipFile as exc:
        raise TableReadError(
            file, f"不是有效的 .xlsx 文件（不是 zip 格式或已损坏）。{hint}"
        ) from exc
    except (OSError, ValueError, KeyError, InvalidFileException) as exc:
        detail = getattr(exc, "strerror", None) or str(exc)[:120]
        raise TableReadError(file, f"无法打开 Excel 文件（{detail}）。{hint}") from exc


def sheet_rows(worksheet, file: Path) -> list[tuple]:  # type: ignore[no-untyped-def]
    """A worksheet's rows of values; more than ``MAX_ROWS`` rows or ``MAX_CELLS`` cells (an
    element flood, a sheet as wide as Excel allows) is refused as soon as it is seen."""
    rows, cells = [], 0
    for row in worksheet.iter_rows(values_only=True):
        rows.append(row)
        cells += len(row)
        if len(rows) > MAX_ROWS or cells > MAX_CELLS:
            raise TableReadError(
                file,
                f"工作表“{str(worksheet.title)[:60]}”超过 {MAX_ROWS} 行或 {MAX_CELLS} 个单元格，"
                "不像是 lawnb 的表格。请确认选对了文件，或把表格拆分后再导入。",
            )
    return rows


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
