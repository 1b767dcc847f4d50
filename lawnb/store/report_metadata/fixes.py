"""The analysts' fixes of reports' metadata: ``manual_reports.csv`` in the dataset folder.

Takes a dataset folder (or its fixes table) and gives the fixes recorded there, checked, one row
per report content: keyed by ``sha256`` (of the report's text, the reports table's ``sha256``),
with the district, unit, level, year and title to use instead of those read, and a reason.
``lawnb reports set`` and ``lawnb import --unit …`` record a fix; importing the same content
again, even with ``--force`` or from another file name, applies the fields recorded as if given
on the command line; the latest statement wins per field.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from lawnb.fileio import write_frame
from lawnb.formatting import is_missing
from lawnb.store.column_rules import CLEAR, Rule
from lawnb.store.sheets import TableReadError, read_csv_table
from lawnb.store.validation import (
    Problem,
    first_alike,
    first_of_duplicates,
    named_check,
    validate_text_table,
)

MANUAL_REPORTS = "manual_reports.csv"
# The fields a fix may set, in the order of the file's columns.
OVERRIDE_FIELDS: tuple[str, ...] = ("district", "unit", "level", "year", "title")
OVERRIDE_COLUMNS: tuple[str, ...] = ("sha256", "report_id", *OVERRIDE_FIELDS, "reason")
OVERRIDE_RULES: dict[str, Rule] = {
    "sha256": Rule(required=True, pattern="sha256"),
    "report_id": Rule(),
    "district": Rule(safe_name=True),
    "unit": Rule(safe_name=True),
    "level": Rule(vocabulary="level"),
    "year": Rule(number="int", year=True),
    "title": Rule(),
    "reason": Rule(),
}


def empty_overrides() -> pd.DataFrame:
    """A fixes table with no rows (every column text)."""
    return pd.DataFrame(columns=list(OVERRIDE_COLUMNS), dtype=object)


def read_report_overrides(folder: Path) -> tuple[pd.DataFrame, list[Problem]]:
    """The recorded fixes of a dataset folder (text, blank cells as NA) and their problems."""
    file = Path(folder) / MANUAL_REPORTS
    if not file.exists():
        return empty_overrides(), []
    try:
        table = read_csv_table(file)
    except TableReadError as exc:
        return empty_overrides(), [Problem(exc.file, exc.line, None, exc.detail)]
    problems = validate_text_table(
        table,
        "report_overrides",
        str(file),
        rules=OVERRIDE_RULES,
        required_columns=("sha256",),
        allow_clear=True,
        row_checks=[named_check(lambda f: first_of_duplicates(f, ["sha256"]), "same_content")],
        messages={"same_content": _same_content},
    )
    if problems:
        return empty_overrides(), problems
    return table.reindex(columns=list(OVERRIDE_COLUMNS)).reset_index(drop=True), []


def _same_content(frame: pd.DataFrame, line: int | None) -> str:
    first = first_alike(frame, line, ["sha256"])
    return f"与第 {first} 行是同一份报告（sha256 相同）。请把两行合并为一行。"


def write_report_overrides(folder: Path, table: pd.DataFrame) -> Path:
    """Write the fixes table to ``manual_reports.csv`` of a folder atomically (UTF-8 with BOM)."""
    file = Path(folder) / MANUAL_REPORTS
    return write_frame(table.reindex(columns=list(OVERRIDE_COLUMNS)), file)


def recorded_overrides(table: pd.DataFrame, sha256: str) -> dict[str, object]:
    """The fields recorded for a content as ``read_report`` arguments (year an int).

    A district recorded as ``（空）`` (“no district”) is returned as "".
    """
    rows = table[table["sha256"] == sha256]
    if rows.empty:
        return {}
    row = rows.iloc[-1]
    found: dict[str, object] = {}
    for name in OVERRIDE_FIELDS:
        value = row[name]
        if is_missing(value):
            continue
        value = str(value).strip()
        found[name] = "" if value in CLEAR else int(float(value)) if name == "year" else value
    return found


def with_override(
    table: pd.DataFrame, sha256: str, report_id: str, values: Mapping[str, object], reason: str
) -> pd.DataFrame:
    """The fixes table with ``values`` recorded for a content (merged into its earlier fix)."""
    rows = table[table["sha256"] == sha256]
    row = {c: None for c in OVERRIDE_COLUMNS}
    if not rows.empty:
        row.update({k: (None if is_missing(v) else v) for k, v in rows.iloc[-1].items()})
    for name, value in values.items():
        row[name] = CLEAR[0] if value == "" else str(value)
    row.update(sha256=sha256, report_id=report_id, reason=reason or row.get("reason"))
    kept = table[table["sha256"] != sha256]
    return pd.concat(
        [kept.astype(object), pd.DataFrame([row], columns=list(OVERRIDE_COLUMNS), dtype=object)],
        ignore_index=True,
    )
