"""A dataset folder read, checked and typed into a ``Dataset``.

Takes a folder (or a bundled dataset's name) holding ``reports.csv``, ``sections.csv``,
``facts.csv`` and ``manifest.json``, and optionally the analysts' corrections (``manual.csv`` or
``manual.xlsx``, ``lawnb.store.corrections``) and metadata fixes (``manual_reports.csv``);
gives a ``Dataset`` with the corrections applied, or every problem found, by file, line and
column. Every table is validated (``lawnb.store.validation``) unless the three files are byte
for byte those that this lawnb version validated and saved (their sha256 is in the manifest).
Also gives the typing of text tables (``typed``, ``concat``) and its inverse (``as_text``).
"""

from __future__ import annotations

import io
import os
import time
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from lawnb.bundled import BUNDLED, project_root, resolve_dataset_path
from lawnb.cell_safety import csv_frame
from lawnb.errors import DatasetError
from lawnb.schema import DIMENSIONS, KINDS, ORIGINS, PARTS, QUALIFIERS
from lawnb.store.corrections import (
    apply_corrections,
    empty_unapplied,
    manual_file,
    read_corrections,
)
from lawnb.store.dataset import TABLES, Dataset
from lawnb.store.report_metadata.fixes import empty_overrides, read_report_overrides
from lawnb.store.sheets import TableReadError, read_csv_table, read_csv_text
from lawnb.store.staging import read_manifest, recover, validation_record
from lawnb.store.validation import (
    DatasetValidationError,
    Problem,
    name_problems,
    validate_text_table,
)

_INT_COLUMNS = {
    "reports": {"year", "n_chars"},
    "sections": {"level", "start", "end"},
    "facts": {"start", "end"},
}
_FLOAT_COLUMNS = {"value"}
_CATEGORIES = {
    "part": list(PARTS),
    "dimension": list(DIMENSIONS),
    "kind": list(KINDS),
    "qualifier": list(QUALIFIERS),
    "origin": list(ORIGINS),
}


def load_dataset(path: str | Path | None = None) -> Dataset:
    """Load and validate a dataset folder; no argument gives the bundled sample (齐村镇 2020).

    An invalid dataset raises ``DatasetValidationError`` listing every problem by file, line
    and column (``.problems``); ``lawnb check`` prints the same list.
    """
    dataset, problems = check_dataset(path)
    if problems or dataset is None:
        raise DatasetValidationError(problems, resolve_dataset_path(path)[1])
    return dataset


def check_dataset(
    path: str | Path | None = None, *, trust_saved: bool = True
) -> tuple[Dataset | None, list[Problem]]:
    """The dataset of a folder and every problem found in it (the dataset is None if any).

    With ``trust_saved=False`` the tables are validated even when the manifest shows that this
    lawnb version saved them unchanged (``lawnb check`` does this).
    """
    folder, label = resolve_dataset_path(path)
    recover(folder)
    if folder.exists() and not folder.is_dir():
        raise DatasetError(f"{folder}: 这是一个文件，不是数据集文件夹。请给出数据集文件夹的路径。")
    if not folder.is_dir():
        raise DatasetError(
            f"{folder}: 数据集文件夹不存在（找的是 {folder.resolve()}；相对路径从项目根目录 "
            f"{project_root()} 算起）。请先运行 `lawnb import 报告文件 --dataset {folder}`，"
            f"或用内置数据集：{'、'.join(BUNDLED)}。"
        )
    for attempt in range(LOAD_ATTEMPTS):
        before = _identity(folder)
        try:
            result = _read_folder(folder, label, trust_saved=trust_saved)
        except DatasetError:
            if before is not None and _identity(folder) == before:
                raise
            result = None
        if result is not None and before is not None and _identity(folder) == before:
            return result
        time.sleep(0.01 * (attempt + 1))  # a save swapped the folder while we read: again
    raise DatasetError(
        f"{folder}: 读取时数据集被另一个进程反复替换（试了 {LOAD_ATTEMPTS} 次）。"
        "请等正在进行的导入或修改结束后再试。"
    )


#: Reads of a folder that another process replaced meanwhile, before giving up.
LOAD_ATTEMPTS = 20


def _identity(folder: Path) -> tuple[int, int, int] | None:
    """The folder's device, inode and change time: a save's swap changes them (None if gone)."""
    try:
        info = os.stat(folder)
    except OSError:
        return None
    return info.st_dev, info.st_ino, info.st_ctime_ns


def _read_folder(
    folder: Path, label: str, *, trust_saved: bool
) -> tuple[Dataset | None, list[Problem]]:
    """One read of every file of a dataset folder, by path (``check_dataset`` checks it was one folder)."""
    manifest = read_manifest(folder)
    validated = manifest.get("validated") if trust_saved else None
    texts, problems = read_tables(folder, validated=validated)
    corrections, correction_problems = read_corrections(folder, _report_ids(texts))
    problems += correction_problems
    overrides, override_problems = read_report_overrides(folder)
    problems += override_problems
    if problems:
        return None, problems
    return assemble(texts, corrections, manifest, folder, label, overrides=overrides), []


def read_tables(
    folder: Path, label: Path | None = None, *, validated: dict | None = None
) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """The three tables of a folder as text (index = CSV line), and their problems.

    ``label`` is the folder named in the problems (the folder itself by default). The schema
    checks are skipped when ``validated`` (the manifest's record of the last save) shows that
    this lawnb version validated exactly these three files: they cost a kernel 0.3 s per report.
    """
    label = label or folder
    texts: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for name in TABLES:
        try:
            texts[name] = read_csv_table(folder / f"{name}.csv")
        except FileNotFoundError:
            problems.append(_missing_table(label, name))
        except TableReadError as exc:
            if not (folder / f"{name}.csv").exists():
                problems.append(_missing_table(label, name))
            else:
                problems.append(Problem(str(label / f"{name}.csv"), exc.line, None, exc.detail))
    if validated and not problems and validated == validation_record(folder):
        # Names become output paths: checked whatever the manifest says (cheap, no pandera).
        return texts, name_problems(texts["reports"], str(label / "reports.csv"))
    report_ids = _report_ids(texts)
    for name, frame in texts.items():
        problems += validate_text_table(
            frame, name, str(label / f"{name}.csv"), report_ids=report_ids
        )
    return texts, problems


def _report_ids(texts: dict[str, pd.DataFrame]) -> set[str] | None:
    """The report_ids of the reports table read, or None when it could not be read."""
    if "reports" in texts and "report_id" in texts["reports"]:
        return set(texts["reports"]["report_id"].dropna())
    return None


def _missing_table(folder: Path, name: str) -> Problem:
    return Problem(
        str(folder / f"{name}.csv"),
        None,
        None,
        f"缺少数据表 {name}.csv。数据集应包含 reports.csv、sections.csv、facts.csv；"
        "请用 `lawnb import` 重新生成，或从备份中恢复。",
    )


def assemble(
    texts: dict[str, pd.DataFrame],
    corrections: pd.DataFrame,
    manifest: dict,
    folder: Path | None,
    label: str,
    *,
    overrides: pd.DataFrame | None = None,
) -> Dataset:
    """A ``Dataset`` from validated text tables, with the corrections applied.

    A reports table saved before the ``meta_source`` and ``guessed`` columns existed gets them
    blank.
    """
    tables = {name: typed(texts[name].reset_index(drop=True), name) for name in TABLES}
    facts, unapplied = tables["facts"].copy(), empty_unapplied()
    if not corrections.empty:
        file = manual_file(folder) if folder else None
        corrected, unapplied = apply_corrections(
            tables["facts"],
            corrections,
            report_ids=set(tables["reports"]["report_id"].dropna()),
            aliases=manifest.get("fact_aliases", {}),
            file=str(file or "manual.csv"),
        )
        facts = typed(corrected, "facts")
    return Dataset(
        tables["reports"],
        tables["sections"],
        facts,
        folder,
        label,
        extracted_facts=tables["facts"],
        corrections=corrections,
        unapplied_corrections=unapplied,
        manifest=manifest,
        report_overrides=overrides if overrides is not None else empty_overrides(),
    )


# --- text tables and typed tables ---------------------------------------------------------------


def empty_dataset() -> Dataset:
    """A dataset with the right columns and no rows."""
    tables = [typed(pd.DataFrame(columns=list(cols)), name) for name, cols in TABLES.items()]
    return Dataset(*tables, extracted_facts=tables[2])


def typed(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Text (or mixed) columns as their dtypes: Int64, Float64, categories, strings."""
    frame = frame.reindex(columns=list(TABLES[table])).copy()
    for column in frame.columns:
        values = frame[column].astype(object).replace("", pd.NA)
        int_column = column in _INT_COLUMNS.get(table, ())
        if int_column or column in _FLOAT_COLUMNS:
            numbers = pd.to_numeric(values, errors="raise")
            frame[column] = numbers.astype("Float64").astype("Int64" if int_column else "Float64")
        elif column in _CATEGORIES and table != "reports":
            frame[column] = pd.Categorical(values, categories=_CATEGORIES[column])
        else:
            frame[column] = values.astype("string")
    return frame


def concat(frames: Iterable[pd.DataFrame], name: str) -> pd.DataFrame:
    """Frames of one table, one after the other, typed (empty frames left out)."""
    frames = [f.astype(object) for f in frames if not f.empty]
    if not frames:
        return typed(pd.DataFrame(columns=list(TABLES[name])), name)
    return typed(pd.concat(frames, ignore_index=True), name)


def as_text(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """A typed table as the text ``load_dataset`` would read back from its CSV file."""
    buffer = io.StringIO()
    csv_frame(frame.reindex(columns=list(TABLES[table]))).to_csv(
        buffer, index=False, lineterminator="\n"
    )
    return read_csv_text(buffer.getvalue(), f"{table}.csv")
