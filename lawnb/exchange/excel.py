"""The dataset as an Excel workbook for colleagues without Python.

Takes a ``Dataset``; ``export_xlsx`` writes one sheet per table (数据, 报告, 章节, and 人工修正 /
未生效修正 when there are any) with Chinese headers and labels, a frozen header row, filters and
column widths, a 说明 sheet, and a very hidden sheet holding the facts as exported, so that
``import_corrections`` (``lawnb.exchange.corrections_workbook``) can read the colleagues' edits
back as corrections. Every text cell is written as text, never as a formula (a subject
starting with ``=`` stays that string). The workbook is written to a temporary file, then
renamed into place.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from lawnb.cell_safety import text_cells
from lawnb.errors import DatasetError
from lawnb.exchange.workbook import BASELINE_SHEET, FACTS_SHEET, README_SHEET
from lawnb.fileio import atomic_path, write_problem
from lawnb.formatting import is_missing
from lawnb.labels import SHEET_LABELS, column_labels, to_labels
from lawnb.store.corrections import CORRECTION_COLUMNS, resolve
from lawnb.store.dataset import Dataset

if TYPE_CHECKING:  # openpyxl is imported by the functions that use it
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

MIN_WIDTH, MAX_WIDTH = 6, 60


def export_xlsx(dataset: Dataset, out: str | Path) -> Path:
    """Write the dataset as a workbook (written to a temporary file, then renamed into place)."""
    from openpyxl import Workbook

    out = Path(out)
    check_export_path(out)
    book = Workbook()
    book.remove(book.active)
    facts = facts_with_reasons(dataset)
    add_sheet(book, FACTS_SHEET, to_labels(facts, "facts"))
    add_sheet(book, SHEET_LABELS["reports"], to_labels(dataset.reports, "reports"))
    add_sheet(book, SHEET_LABELS["sections"], to_labels(dataset.sections, "sections"))
    if not dataset.corrections.empty:
        table = dataset.corrections.reindex(columns=list(CORRECTION_COLUMNS))
        add_sheet(book, SHEET_LABELS["corrections"], to_labels(table, "facts"))
    if not dataset.unapplied_corrections.empty:
        add_sheet(
            book, SHEET_LABELS["unapplied"], to_labels(dataset.unapplied_corrections, "facts")
        )
    _add_readme(book, dataset)
    baseline = add_sheet(book, BASELINE_SHEET, facts, style=False)
    baseline.sheet_state = "veryHidden"
    _save(book, out)
    return out


def check_export_path(out: Path) -> None:
    """A ``DatasetError`` unless ``out`` is an .xlsx file path the export may write: not a
    folder, not under a file, and not inside a dataset folder (as manual.xlsx it would be read
    as the analysts' corrections, beside manual.csv it would make the dataset unreadable)."""
    from lawnb.store.staging import is_dataset_folder

    shown = str(out) if len(str(out)) <= 120 else str(out)[:119] + "…"
    if out.is_dir():
        raise DatasetError(f"{shown}: 是一个文件夹。请给出导出文件的路径，如 {shown}/数据集.xlsx。")
    if out.suffix.lower() != ".xlsx":
        raise DatasetError(f"{shown}: 导出文件应以 .xlsx 结尾，如 数据集.xlsx。")
    above = next((p for p in out.absolute().parents if p.exists()), None)
    if above is not None and not above.is_dir():
        raise DatasetError(f"{shown}: 上级路径 {above} 是一个文件，不是文件夹。请换一个导出路径。")
    if is_dataset_folder(out.absolute().parent):
        raise DatasetError(
            f"{shown}: 在数据集文件夹中。导出文件不能放在数据集文件夹里（会被当作人工修正读取，"
            "使数据集无法加载）。请导出到数据集文件夹之外，如 exports/数据集.xlsx。"
        )


def facts_with_reasons(dataset: Dataset) -> pd.DataFrame:
    """The corrected facts with a ``reason`` column: the reason of the correction behind each."""
    aliases = dataset.manifest.get("fact_aliases", {})
    reasons = {
        (row["report_id"], resolve(row["fact_id"], aliases)): row["reason"]
        for row in dataset.corrections.to_dict("records")
        if row["action"] != "delete"
    }
    facts = dataset.facts.copy()
    keys = zip(facts["report_id"], facts["fact_id"], strict=True)
    facts["reason"] = pd.array([reasons.get(k) for k in keys], dtype="string")
    return facts


def add_sheet(book: Workbook, title: str, frame: pd.DataFrame, *, style: bool = True) -> Worksheet:
    """A sheet with the frame (header row first); styled: bold frozen header, filter, widths."""
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title)
    sheet.append([str(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        sheet.append([_cell(v) for v in row])
    if not style:
        return sheet
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, column in enumerate(frame.columns, start=1):
        sample = [column, *frame[column].head(500).tolist()]
        width = max(display_width(v) for v in sample) + 2
        sheet.column_dimensions[get_column_letter(index)].width = max(
            MIN_WIDTH, min(MAX_WIDTH, width)
        )
    return sheet


def display_width(value: object) -> int:
    """Columns a value takes in a spreadsheet: two per CJK character, one otherwise."""
    if not isinstance(value, str) and is_missing(value):  # a string, even empty, is a value
        return 0
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(value))


def _cell(value: object) -> object:
    if not isinstance(value, str) and is_missing(value):  # a string, even empty, is a value
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _add_readme(book: Workbook, dataset: Dataset) -> None:
    from openpyxl.styles import Alignment, Font

    from lawnb import __version__

    facts_labels = column_labels("facts")
    lines = [
        ("lawnb 数据集导出", True),
        (f"数据集：{dataset.name or dataset.path}", False),
        (
            f"导出时间：{dt.datetime.now().isoformat(timespec='seconds')}；lawnb {__version__}",
            False,
        ),
        ("", False),
        ("工作表", True),
        (
            "数据：每行一个数据（已应用人工修正）。报告：每行一份报告。章节：每行一个编号标题。",
            False,
        ),
        (
            "人工修正：数据集文件夹中 manual.csv / manual.xlsx 的内容；未生效修正：目标数据已不存在的修正。",
            False,
        ),
        ("", False),
        ("如何修改数据", True),
        ("1. 在“数据”工作表中直接修改单元格；删除整行即删除该数据；", False),
        (
            f"2. 新增数据：在末尾加一行，“{facts_labels['fact_id']}”留空，填写“{facts_labels['report_id']}”"
            f"（复制同一报告其他行的编号）、“{facts_labels['subject']}”、“{facts_labels['value']}”、“{facts_labels['measure']}”；",
            False,
        ),
        (f"3. 在“{facts_labels['reason']}”中写明原因（不写则记为“在某文件中修改”）；", False),
        (
            "4. 保存为 .xlsx，然后运行：lawnb import-corrections 本文件.xlsx --dataset 数据集文件夹",
            False,
        ),
        (
            "不要修改“数据编号”；其他工作表的修改不会读回。修正保存在数据集的 manual.csv 中，重新导入报告不会丢失。",
            False,
        ),
    ]
    sheet = book.create_sheet(README_SHEET)
    for text, bold in lines:
        sheet.append([text])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=bold)
        sheet.cell(row=sheet.max_row, column=1).alignment = Alignment(wrap_text=False)
    sheet.column_dimensions["A"].width = 100


def _save(book: Workbook, out: Path) -> None:
    for sheet in book.worksheets:  # text that looks like a formula stays text, never runs
        text_cells(sheet)
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        with atomic_path(out) as temp:
            book.save(temp)
    except PermissionError as exc:
        raise DatasetError(
            f"{out}: 无法写入（{exc.strerror}）。文件是否正在 Excel/WPS 中打开？请关闭后重试。"
        ) from exc
    except OSError as exc:
        raise DatasetError(write_problem(exc, out)) from exc
