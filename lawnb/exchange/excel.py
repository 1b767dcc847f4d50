"""The dataset as an Excel workbook for colleagues without Python, and their edits read back.

``export_xlsx`` writes one sheet per table (数据, 报告, 章节, and 人工修正 / 未生效修正 when
there are any) with Chinese headers and labels, a frozen header row, filters and column widths,
a 说明 sheet, and a very hidden sheet holding the facts as exported. ``import_corrections``
compares the edited 数据 sheet with that copy: changed cells become ``edit`` corrections, rows
with a blank 数据编号 ``add`` corrections, deleted rows ``delete`` corrections; they are merged
into the dataset's manual file, so they survive any later re-import of the reports.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lawnb.errors import DatasetError
from lawnb.fileio import atomic_path
from lawnb.labels import SHEET_LABELS, column_labels, from_labels, to_labels
from lawnb.schema import FACT_COLUMNS
from lawnb.store.corrections import (
    ADD_DEFAULTS,
    CLEAR,
    CORRECTION_COLUMNS,
    canon,
    merge_corrections,
    resolve,
    write_corrections,
)
from lawnb.store.dataset import Dataset, load_dataset
from lawnb.store.sheets import TableReadError, excel_rows_table
from lawnb.store.validation import (
    RULES,
    DatasetValidationError,
    Problem,
    Rule,
    first_of_duplicates,
    named_check,
    validate_text_table,
)

BASELINE_SHEET = "_lawnb_export"  # very hidden: the facts as exported (English headers, codes)
README_SHEET = "说明"
FACTS_SHEET = SHEET_LABELS["facts"]
EXPORT_FACT_COLUMNS: tuple[str, ...] = (*FACT_COLUMNS, "reason")
MIN_WIDTH, MAX_WIDTH = 6, 60
_NUMBER_COLUMNS = {"value", "start", "end", "year", "n_chars", "level", "line"}


# --- export -------------------------------------------------------------------------------------


def export_xlsx(dataset: Dataset, out: str | Path) -> Path:
    """Write the dataset as a workbook (written to a temporary file, then renamed into place)."""
    from openpyxl import Workbook

    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise DatasetError(f"{out}: 导出文件应以 .xlsx 结尾，如 数据集.xlsx。")
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


def add_sheet(book, title: str, frame: pd.DataFrame, *, style: bool = True):  # type: ignore[no-untyped-def]
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
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return 0
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(value))


def _cell(value: object) -> object:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _add_readme(book, dataset: Dataset) -> None:  # type: ignore[no-untyped-def]
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


def _save(book, out: Path) -> None:  # type: ignore[no-untyped-def]
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        with atomic_path(out) as temp:
            book.save(temp)
    except PermissionError as exc:
        raise DatasetError(
            f"{out}: 无法写入（{exc.strerror}）。文件是否正在 Excel/WPS 中打开？请关闭后重试。"
        ) from exc


# --- reading an edited export back --------------------------------------------------------------


def is_export_workbook(file: Path) -> bool:
    """True when the workbook was written by ``export_xlsx``."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(file, read_only=True)
    except (OSError, ValueError, KeyError):
        return False
    try:
        return BASELINE_SHEET in book.sheetnames or {FACTS_SHEET, "报告", "章节"} <= set(
            book.sheetnames
        )
    finally:
        book.close()


@dataclass
class CorrectionsImport:
    """What ``import_corrections`` read from a workbook and wrote to the dataset."""

    file: Path
    dataset: Dataset
    edits: int = 0
    adds: int = 0
    deletes: int = 0
    written: Path | None = None
    ignored_columns: list[str] = field(default_factory=list)
    has_baseline: bool = True
    already: bool = False  # every change was already in the manual file

    def lines(self) -> list[str]:
        """What to print."""
        out = []
        if self.ignored_columns:
            out.append(f"忽略了“数据”工作表中的未知列：{'、'.join(self.ignored_columns)}。")
        if not self.has_baseline:
            out.append(
                f"注意：工作簿中没有导出时的原始数据（隐藏工作表 {BASELINE_SHEET}），已与当前数据集比较；"
                "删除的行无法识别，请在 manual.csv 中用 delete 删除。"
            )
        if self.already:
            out.append(f"{self.file.name} 中的修改已全部在人工修正文件中，数据集未改动。")
            return out
        if not (self.edits or self.adds or self.deletes):
            out.append(f"{self.file.name} 与数据集一致，没有新的修正。")
            return out
        out.append(
            f"已从 {self.file.name} 读回修正：修改 {self.edits} 条、新增 {self.adds} 条、删除 {self.deletes} 条；"
            f"已写入 {self.written}（共 {len(self.dataset.corrections)} 条人工修正）。"
        )
        return out


def import_corrections(file: str | Path, folder: str | Path) -> CorrectionsImport:
    """Read an edited export's 数据 sheet back as corrections in the dataset's manual file."""
    from lawnb.store.locking import writing

    file, folder = Path(file), Path(folder)
    with writing(folder):
        return _import_corrections(file, folder)


def _import_corrections(file: Path, folder: Path) -> CorrectionsImport:
    """``import_corrections`` once the folder's write lock is held."""
    dataset = load_dataset(folder)
    sheet, baseline = read_export(file)
    ignored = [c for c in sheet.columns if c not in EXPORT_FACT_COLUMNS]
    sheet = with_add_defaults(sheet.drop(columns=ignored))
    _validate_sheet(sheet, file, set(dataset.reports["report_id"].dropna()))
    current = dataset_as_text(dataset)
    new = workbook_changes(sheet, baseline if baseline is not None else current, current, file)
    result = CorrectionsImport(file, dataset, ignored_columns=ignored)
    result.has_baseline = baseline is not None
    if baseline is None:
        new = new[new["action"] != "delete"]
    counts = new["action"].value_counts()
    result.edits, result.adds, result.deletes = (
        int(counts.get(a, 0)) for a in ("edit", "add", "delete")
    )
    if new.empty:
        return result
    merged = merge_corrections(
        dataset.corrections,
        new,
        dataset.extracted_facts,
        dataset.manifest.get("fact_aliases", {}),
    )
    if _same_table(merged, dataset.corrections):
        result.edits = result.adds = result.deletes = 0
        result.already = True
        return result
    result.written = write_corrections(folder, merged)
    result.dataset = load_dataset(folder)
    return result


def _same_table(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """True when two corrections tables say the same (as text, in the same order)."""
    rows = [
        [
            [canon(c, v) for c, v in r.items()]
            for r in _text_records(t.reindex(columns=list(CORRECTION_COLUMNS)))
        ]
        for t in (a, b)
    ]
    return rows[0] == rows[1]


def read_export(file: Path) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The 数据 sheet (English headers and codes) and the hidden copy of it (None if missing)."""
    from openpyxl import load_workbook

    if not file.exists():
        raise DatasetError(f"{file}: 文件不存在。请检查路径。")
    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except (OSError, ValueError, KeyError) as exc:
        raise DatasetError(f"{file}: 无法打开 Excel 文件（{exc}）。请确认是 .xlsx 格式。") from exc
    try:
        if FACTS_SHEET not in book.sheetnames:
            raise DatasetError(
                f"{file}: 没有“{FACTS_SHEET}”工作表，不是 lawnb export 导出的工作簿。"
                "分析人员自己的指标表请用 `lawnb import-table`。"
            )
        sheet = excel_rows_table(list(book[FACTS_SHEET].iter_rows(values_only=True)), file)
        baseline = None
        if BASELINE_SHEET in book.sheetnames:
            rows = list(book[BASELINE_SHEET].iter_rows(values_only=True))
            baseline = excel_rows_table(rows, file)
    except TableReadError as exc:
        raise DatasetError(f"{file}（工作表 {FACTS_SHEET}）: {exc.detail}") from exc
    finally:
        book.close()
    return from_labels(sheet, "facts"), baseline


def with_add_defaults(sheet: pd.DataFrame) -> pd.DataFrame:
    """New rows (blank 数据编号) with 限定 “确数” and 类型 “成效” where left blank."""
    out = sheet.copy()
    if "fact_id" not in out:
        return out
    new = out["fact_id"].isna()
    for column, default in ADD_DEFAULTS.items():
        if column in out:
            out.loc[new & out[column].isna(), column] = default
    return out


def _sheet_rules() -> dict[str, Rule]:
    rules = dict(RULES["facts"])
    rules["fact_id"] = Rule()
    rules["origin"] = Rule(vocabulary="origin")
    rules["reason"] = Rule()
    return rules


def _validate_sheet(sheet: pd.DataFrame, file: Path, report_ids: set[str]) -> None:
    """Every problem of the edited 数据 sheet, named by Excel row and Chinese header."""
    checks = []
    if {"report_id", "fact_id"} <= set(sheet.columns):
        checks.append(
            named_check(
                lambda f: first_of_duplicates(f, ["report_id", "fact_id"]) | f["fact_id"].isna(),
                "same_id",
            )
        )
    label = f"{file}（工作表 {FACTS_SHEET}）"
    problems = validate_text_table(
        sheet,
        "corrections",
        label,
        report_ids=report_ids,
        rules=_sheet_rules(),
        required_columns=("report_id", "fact_id"),
        row_checks=checks,
        messages={"same_id": _same_id},
    )
    headers = column_labels("facts")
    problems = [
        Problem(p.file, p.line, headers.get(p.column, p.column) if p.column else None, p.message)
        for p in problems
    ]
    if problems:
        raise DatasetValidationError(problems)


def _same_id(frame: pd.DataFrame, line: int | None) -> str:
    keys = frame[["report_id", "fact_id"]]
    first = min(keys[(keys == keys.loc[line]).all(axis=1)].index)
    return f"数据编号与第 {first} 行相同。新增的数据请把“数据编号”留空。"


def dataset_as_text(dataset: Dataset) -> pd.DataFrame:
    """The corrected facts as text, the form a sheet is read in."""
    facts = dataset.facts.astype(object)
    return facts.where(facts.notna(), None).map(lambda v: None if v is None else str(v))


def workbook_changes(
    sheet: pd.DataFrame, baseline: pd.DataFrame, current: pd.DataFrame, file: Path
) -> pd.DataFrame:
    """The corrections a sheet makes against the facts as exported (text tables)."""
    before = {**_keyed(current), **_keyed(baseline)}
    exported = set(_keyed(baseline))
    seen, rows = set(), []
    for row in _text_records(sheet):
        key = (row.get("report_id"), row.get("fact_id"))
        seen.add(key)
        if row.get("fact_id") is None or key not in before:
            rows.append(_add_row(row, file))
            continue
        changed = _changed_cells(row, before[key], sheet.columns)
        if changed:
            reason = row.get("reason") or f"在 {file.name} 中修改"
            rows.append(
                {
                    "report_id": key[0],
                    "fact_id": key[1],
                    **changed,
                    "action": "edit",
                    "reason": reason,
                }
            )
    for report_id, fact_id in sorted(exported - seen):
        reason = f"在 {file.name} 中删除"
        rows.append(
            {"report_id": report_id, "fact_id": fact_id, "action": "delete", "reason": reason}
        )
    return pd.DataFrame(rows, columns=list(CORRECTION_COLUMNS), dtype=object)


def _keyed(frame: pd.DataFrame) -> dict[tuple, dict]:
    return {(r.get("report_id"), r.get("fact_id")): r for r in _text_records(frame)}


def _text_records(frame: pd.DataFrame) -> list[dict]:
    table = frame.astype(object)
    return table.where(table.notna(), None).to_dict("records")


def _changed_cells(row: dict, before: dict, columns: pd.Index) -> dict:
    """The cells of a row that differ from the exported fact; a cleared cell as ``（空）``."""
    out = {}
    for column in FACT_COLUMNS:
        if column in ("report_id", "fact_id", "origin") or column not in columns:
            continue
        now, then = canon(column, row.get(column)), canon(column, before.get(column))
        if now != then:
            out[column] = row.get(column) if now is not None else CLEAR[0]
    return out


def _add_row(row: dict, file: Path) -> dict:
    fact = {c: row.get(c) for c in FACT_COLUMNS if c != "origin"}
    return {**fact, "action": "add", "reason": row.get("reason") or f"在 {file.name} 中新增"}
