"""The layout of lawnb's Excel export, shared by writing it and reading it back.

Takes the sheet labels of ``lawnb.labels`` (and ``store.sheets`` to open a workbook safely);
gives the sheet names, the columns of the 数据 sheet and ``is_export_workbook``, which tells an
exported workbook from an analyst's own table.
"""

from __future__ import annotations

from pathlib import Path

from lawnb.labels import SHEET_LABELS
from lawnb.schema import FACT_COLUMNS

BASELINE_SHEET = "_lawnb_export"  # very hidden: the facts as exported (English headers, codes)
README_SHEET = "说明"
FACTS_SHEET = SHEET_LABELS["facts"]
EXPORT_FACT_COLUMNS: tuple[str, ...] = (*FACT_COLUMNS, "reason")
# An older export without the hidden sheet is still known by these visible sheets.
_TABLE_SHEETS = frozenset({FACTS_SHEET, SHEET_LABELS["reports"], SHEET_LABELS["sections"]})


def is_export_workbook(file: Path) -> bool:
    """True when the workbook was written by ``export_xlsx``."""
    from lawnb.store.sheets import TableReadError, open_workbook

    try:  # checked as a zip first: not a zip, corrupt or a zip bomb is not an export
        book = open_workbook(file, data_only=False)
    except TableReadError:
        return False  # the caller's own reading says what is wrong with it
    try:
        return BASELINE_SHEET in book.sheetnames or set(book.sheetnames) >= _TABLE_SHEETS
    finally:
        book.close()
