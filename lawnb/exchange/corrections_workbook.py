"""An edited export read back: the colleagues' changes to the 数据 sheet become corrections.

Takes a workbook written by ``lawnb.exchange.excel.export_xlsx`` and the dataset folder it came
from; ``import_corrections`` compares the edited 数据 sheet with the very hidden copy of the
facts as exported: changed cells become ``edit`` corrections, rows with a blank 数据编号 ``add``
corrections, deleted rows ``delete`` corrections. They are merged into the dataset's manual
file, so they survive any later re-import of the reports; a ``CorrectionsImport`` says what was
done.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lawnb.errors import DatasetError
from lawnb.exchange.workbook import BASELINE_SHEET, EXPORT_FACT_COLUMNS, FACTS_SHEET
from lawnb.labels import column_labels, from_labels
from lawnb.schema import FACT_COLUMNS
from lawnb.store.column_rules import CLEAR, RULES, Rule
from lawnb.store.corrections import (
    ADD_DEFAULTS,
    CORRECTION_COLUMNS,
    canon,
    merge_corrections,
    write_corrections,
)
from lawnb.store.dataset import Dataset
from lawnb.store.loading import load_dataset
from lawnb.store.sheets import TableReadError, excel_rows_table, open_workbook, sheet_rows
from lawnb.store.validation import (
    DatasetValidationError,
    Problem,
    first_of_duplicates,
    named_check,
    validate_text_table,
)


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
    if not file.exists():
        raise DatasetError(f"{file}: 文件不存在。请检查路径。")
    book = open_workbook(file)  # a TableReadError is a DatasetError naming the file
    try:
        if FACTS_SHEET not in book.sheetnames:
            raise DatasetError(
                f"{file}: 没有“{FACTS_SHEET}”工作表，不是 lawnb export 导出的工作簿。"
                "分析人员自己的指标表请用 `lawnb import-table`。"
            )
        sheet = excel_rows_table(sheet_rows(book[FACTS_SHEET], file), file)
        baseline = None
        if BASELINE_SHEET in book.sheetnames:
            baseline = excel_rows_table(sheet_rows(book[BASELINE_SHEET], file), file)
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
