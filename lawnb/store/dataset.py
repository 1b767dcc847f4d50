"""The on-disk dataset: a folder of UTF-8 CSV tables (with BOM) plus a manifest; load, save, import.

A dataset folder holds ``reports.csv``, ``sections.csv``, ``facts.csv`` (as extracted or
imported from analysts' tables), ``manifest.json`` and, optionally, the analysts' corrections
``manual.csv`` or ``manual.xlsx`` (``lawnb.store.corrections``), which win over extracted rows when
the dataset is loaded. Every table is validated (``lawnb.store.validation``) before a save, and on
load unless the three files are byte for byte those that this lawnb version validated and saved
(their sha256 is in the manifest); a save replaces the folder in one step, so readers see the
old dataset or the new one.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import errno
import hashlib
import io
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from lawnb.bundled import resolve_dataset_path
from lawnb.errors import DatasetError, LawnbError
from lawnb.schema import (
    DIMENSIONS,
    FACT_COLUMNS,
    KINDS,
    ORIGINS,
    PARTS,
    QUALIFIERS,
    REPORT_COLUMNS,
    SECTION_COLUMNS,
)
from lawnb.store.corrections import (
    apply_corrections,
    empty_corrections,
    empty_unapplied,
    manual_file,
    read_corrections,
    resolve,
    write_corrections,
)
from lawnb.store.report_metadata import (
    MANUAL_REPORTS,
    empty_overrides,
    full_sources,
    guessed_note,
    provenance,
    read_report_overrides,
    recorded_overrides,
    rename_reports,
    with_override,
    write_moved_corrections,
    write_report_overrides,
)
from lawnb.store.revisions import FactChanges, diff_facts
from lawnb.store.sheets import TableReadError, read_csv_table
from lawnb.store.validation import DatasetValidationError, Problem, validate_text_table

SCHEMA_VERSION = 1
TABLES: dict[str, tuple[str, ...]] = {
    "reports": REPORT_COLUMNS,
    "sections": SECTION_COLUMNS,
    "facts": FACT_COLUMNS,
}
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
EXTRACTED_ORIGINS = ("extracted", "derived")  # rows a re-import replaces; "manual" rows stay
STALE_STAGING_SECONDS = 600


@dataclass
class Dataset:
    """The tidy tables of one dataset folder.

    ``facts`` has the analysts' corrections applied; ``extracted_facts`` is ``facts.csv`` as
    stored (what ``save_dataset`` writes back); ``corrections`` is the manual file as read and
    ``unapplied_corrections`` the corrections whose target fact no longer exists;
    ``report_overrides`` the analysts' fixes of reports' metadata (``manual_reports.csv``, see
    ``lawnb.store.report_metadata``), which an import applies to the reports they name by content.
    """

    reports: pd.DataFrame
    sections: pd.DataFrame
    facts: pd.DataFrame
    path: Path | None = None
    name: str = ""
    extracted_facts: pd.DataFrame | None = None
    corrections: pd.DataFrame = field(default_factory=empty_corrections)
    unapplied_corrections: pd.DataFrame = field(default_factory=empty_unapplied)
    manifest: dict = field(default_factory=dict)
    report_overrides: pd.DataFrame = field(default_factory=empty_overrides)

    def units(self) -> list[str]:
        """Units that have at least one report, in name order."""
        return sorted(self.reports["unit"].dropna().unique().tolist())

    def years(self, unit: str | None = None) -> list[int]:
        """Report years, optionally of one unit, ascending."""
        reports = self.reports if unit is None else self.reports[self.reports["unit"] == unit]
        return sorted(int(y) for y in reports["year"].dropna().unique())

    def districts_of_unit(self, unit: str, year: int) -> list[str]:
        """The districts of the reports of ``unit`` in ``year``, in name order ("" for none): two
        when two districts each have a unit of that name (two 司法局)."""
        rows = self.reports[(self.reports["unit"] == unit) & (self.reports["year"] == int(year))]
        return sorted(set(rows["district"].fillna("").astype(str)))

    def report_row(self, unit: str, year: int) -> pd.Series:
        """The reports row of a unit-year; ``DatasetError`` naming what exists when there is none."""
        rows = self.reports[(self.reports["unit"] == unit) & (self.reports["year"] == int(year))]
        if rows.empty:
            if unit not in self.units():
                raise DatasetError(
                    f"数据集{self._label()}中没有单位“{unit}”。已有单位：{'、'.join(self.units()) or '（无）'}。"
                )
            raise DatasetError(
                f"数据集{self._label()}中没有“{unit}”{year}年的报告。已有年份：{'、'.join(map(str, self.years(unit)))}。"
            )
        return rows.iloc[0]

    def facts_for(self, unit: str, year: int) -> pd.DataFrame:
        """The facts of one unit-year (corrections applied), in reading order."""
        report_id = self.report_row(unit, year)["report_id"]
        return self.facts[self.facts["report_id"] == report_id].reset_index(drop=True)

    def sections_for(self, unit: str, year: int) -> pd.DataFrame:
        """The sections of one unit-year, in reading order."""
        report_id = self.report_row(unit, year)["report_id"]
        return self.sections[self.sections["report_id"] == report_id].reset_index(drop=True)

    def _label(self) -> str:
        return f"“{self.name or self.path}”" if (self.name or self.path) else ""


def empty_dataset() -> Dataset:
    """A dataset with the right columns and no rows."""
    tables = [_typed(pd.DataFrame(columns=list(cols)), name) for name, cols in TABLES.items()]
    return Dataset(*tables, extracted_facts=tables[2])


# --- loading ------------------------------------------------------------------------------------


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
    if not folder.is_dir():
        raise DatasetError(
            f"{folder}: 数据集文件夹不存在。请先运行 `lawnb import 报告文件 --dataset {folder}`。"
        )
    manifest = read_manifest(folder)
    validated = manifest.get("validated") if trust_saved else None
    texts, problems = read_tables(folder, validated=validated)
    report_ids = None
    if "reports" in texts and "report_id" in texts["reports"]:
        report_ids = set(texts["reports"]["report_id"].dropna())
    corrections, correction_problems = read_corrections(folder, report_ids)
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
        return texts, problems
    report_ids = None
    if "reports" in texts and "report_id" in texts["reports"]:
        report_ids = set(texts["reports"]["report_id"].dropna())
    for name, frame in texts.items():
        problems += validate_text_table(
            frame, name, str(label / f"{name}.csv"), report_ids=report_ids
        )
    return texts, problems


def validation_record(folder: Path) -> dict:
    """What the manifest keeps of a validated save: this lawnb version and each table's sha256."""
    tables = {}
    for name in TABLES:
        with open(folder / f"{name}.csv", "rb") as handle:
            tables[f"{name}.csv"] = hashlib.file_digest(handle, "sha256").hexdigest()
    return {"lawnb_version": _version(), "schema_version": SCHEMA_VERSION, "tables": tables}


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
    tables = {name: _typed(texts[name].reset_index(drop=True), name) for name in TABLES}
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
        facts = _typed(corrected, "facts")
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


def _typed(frame: pd.DataFrame, table: str) -> pd.DataFrame:
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


# --- saving -------------------------------------------------------------------------------------


def save_dataset(
    dataset: Dataset,
    folder: str | Path,
    *,
    manifest: dict | None = None,
    write_extras: Callable[[Path], None] | None = None,
) -> Path:
    """Write a dataset folder atomically: readers see the old folder or the new one, never a mix.

    Writes ``extracted_facts`` (the corrections stay in their own file: kept when the folder
    already has one, written as manual.csv when saving elsewhere). The tables are validated
    before the folder is replaced; other files in the folder are kept, but for those that
    ``write_extras`` writes into the staging folder it is given (a rewritten manual.csv …).
    """
    facts = dataset.extracted_facts if dataset.extracted_facts is not None else dataset.facts

    def write_tables(staging: Path) -> None:
        for name, frame in (("reports", dataset.reports), ("sections", dataset.sections)):
            write_table(frame, staging / f"{name}.csv", name)
        write_table(facts, staging / "facts.csv", "facts")
        _, problems = read_tables(staging, label=Path(folder))
        if problems:
            raise DatasetValidationError(problems, str(folder))
        if write_extras is not None:
            write_extras(staging)
        if not dataset.report_overrides.empty and not any(
            (where / MANUAL_REPORTS).exists() for where in (staging, Path(folder))
        ):
            write_report_overrides(staging, dataset.report_overrides)

    return replace_folder(
        folder,
        write_tables,
        corrections=dataset.corrections,
        manifest={**dataset.manifest, **(manifest or {})},
    )


def replace_folder(
    folder: str | Path,
    write_tables: Callable[[Path], None],
    *,
    corrections: pd.DataFrame,
    manifest: dict,
) -> Path:
    """Replace a dataset folder in one step by a staging folder that ``write_tables`` fills.

    ``write_tables`` writes the three validated tables into the staging folder it is given (or
    raises, and the folder is left as it was); the other files of the folder are carried over,
    the corrections written when the folder has none, and the manifest written last.
    """
    folder = Path(folder)
    if folder.is_symlink():  # replace the folder it points to, not the link
        folder = folder.resolve()
    folder.parent.mkdir(parents=True, exist_ok=True)
    recover(folder)
    _remove_stale_staging(folder)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".new", dir=folder.parent))
    try:
        staging.chmod(_folder_mode(folder))
        write_tables(staging)
        copy_extras(folder, staging)
        if manual_file(staging) is None and not corrections.empty:
            write_corrections(staging, corrections)
        info = dict(manifest)
        info.setdefault("imports", [])
        info.update(schema_version=SCHEMA_VERSION, lawnb_version=_version())
        info["validated"] = validation_record(staging)
        write_manifest(staging, info)
        swap_in(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return folder


def _folder_mode(folder: Path) -> int:
    """The permissions of the existing folder, or those ``mkdir`` would give (mkdtemp's are 0700)."""
    if folder.is_dir():
        return folder.stat().st_mode & 0o7777
    umask = os.umask(0)
    os.umask(umask)
    return 0o777 & ~umask


def write_table(
    frame: pd.DataFrame,
    file: Path,
    table: str,
    more_rows: Callable[[BinaryIO], None] | None = None,
) -> None:
    """One table as UTF-8 CSV with BOM, flushed to disk; ``more_rows`` appends CSV lines."""
    with open(file, "w", encoding="utf-8-sig", newline="") as handle:
        frame.reindex(columns=list(TABLES[table])).to_csv(handle, index=False, lineterminator="\n")
        if more_rows is not None:
            handle.flush()
            more_rows(handle.buffer)
        handle.flush()
        os.fsync(handle.fileno())


def write_manifest(folder: Path, info: dict) -> None:
    """The manifest of a (staging) folder, flushed to disk."""
    with open(folder / "manifest.json", "w", encoding="utf-8") as handle:
        handle.write(json.dumps(info, ensure_ascii=False, indent=2))
        handle.flush()
        os.fsync(handle.fileno())


def copy_extras(folder: Path, staging: Path) -> None:
    """Copy every file of ``folder`` that the staging folder lacks (manual.csv, notes …)."""
    if not folder.is_dir():
        return
    for extra in folder.iterdir():
        target = staging / extra.name
        if target.exists():
            continue
        if extra.is_dir():
            shutil.copytree(extra, target)
        else:
            shutil.copy2(extra, target)


def swap_in(staging: Path, folder: Path) -> None:
    """Replace ``folder`` by ``staging``: one atomic exchange where the system allows it."""
    if not folder.exists():
        os.replace(staging, folder)
    elif exchange(staging, folder):
        shutil.rmtree(staging)  # it now holds the old folder
    else:  # two renames; ``recover`` restores the old folder if we stop between them
        old = _old_path(folder)
        shutil.rmtree(old, ignore_errors=True)
        os.replace(folder, old)
        os.replace(staging, folder)
        shutil.rmtree(old, ignore_errors=True)
    _fsync_dir(folder.parent)


def exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux ``renameat2(RENAME_EXCHANGE)``); False if unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), str(b))


def recover(folder: Path) -> None:
    """Put back the old folder if a save stopped between its two renames (no atomic exchange)."""
    old = _old_path(folder)
    if not folder.exists() and old.is_dir():
        with contextlib.suppress(OSError):  # another process may have got there first
            os.replace(old, folder)


def _old_path(folder: Path) -> Path:
    return folder.with_name(f".{folder.name}.old")


def _remove_stale_staging(folder: Path) -> None:
    """Remove staging folders that interrupted saves left behind (older than ten minutes)."""
    if not folder.parent.is_dir():
        return
    now = time.time()
    for stale in folder.parent.glob(f".{folder.name}.*.new"):
        try:
            if now - stale.stat().st_mtime > STALE_STAGING_SECONDS:
                shutil.rmtree(stale, ignore_errors=True)
        except OSError:
            continue
    if folder.exists():
        shutil.rmtree(_old_path(folder), ignore_errors=True)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def read_manifest(folder: Path) -> dict:
    """The manifest of a dataset folder (empty when there is none yet)."""
    file = Path(folder) / "manifest.json"
    if not file.exists():
        return {"schema_version": SCHEMA_VERSION, "imports": []}
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DatasetError(
            f"{file}: 清单文件损坏（第 {exc.lineno} 行：{exc.msg}）。请从备份恢复，或删除它后重新导入报告。"
        ) from exc


def _version() -> str:
    from lawnb import __version__

    return __version__


def as_text(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """A typed table as the text ``load_dataset`` would read back from its CSV file."""
    from lawnb.store.sheets import read_csv_text

    buffer = io.StringIO()
    frame.reindex(columns=list(TABLES[table])).to_csv(buffer, index=False, lineterminator="\n")
    return read_csv_text(buffer.getvalue(), f"{table}.csv")


# --- importing reports --------------------------------------------------------------------------


def report_tables(report, *, keep_text: bool = True) -> Dataset:  # type: ignore[no-untyped-def]
    """The three tables of one ``Report`` (sentences blanked when ``keep_text`` is False)."""
    rows = report_rows(report, keep_text=keep_text)
    tables = [_typed(rows[name].astype(object), name) for name in TABLES]
    return Dataset(*tables, extracted_facts=tables[2])


def report_rows(report, *, keep_text: bool = True) -> dict[str, pd.DataFrame]:  # type: ignore[no-untyped-def]
    """The rows of one ``Report``'s three tables, not yet typed (``report_tables`` types them)."""
    from lawnb.extract.facts import extract_facts

    report_id = report.report_id
    reports = pd.DataFrame(
        [
            {
                "report_id": report_id,
                "district": report.district,
                "unit": report.unit,
                "level": report.level,
                "year": report.year,
                "title": report.title,
                "source": Path(report.source).name,
                "sha256": report.sha256,
                "n_chars": len(report.text),
                **provenance(report.meta_sources),
            }
        ],
        columns=list(REPORT_COLUMNS),
    )
    sections = pd.DataFrame(
        [
            {
                "report_id": report_id,
                "path": s.path,
                "number": s.number,
                "level": s.level,
                "title": s.title,
                "part": s.part,
                "dimension": s.dimension,
                "start": s.start,
                "end": s.end,
            }
            for s in report.sections
        ],
        columns=list(SECTION_COLUMNS),
    )
    facts = extract_facts(report)
    if not keep_text:
        facts["sentence"] = ""
    return {"reports": reports, "sections": sections, "facts": facts}


def concat(frames: Iterable[pd.DataFrame], name: str) -> pd.DataFrame:
    """Frames of one table, one after the other, typed (empty frames left out)."""
    frames = [f.astype(object) for f in frames if not f.empty]
    if not frames:
        return _typed(pd.DataFrame(columns=list(TABLES[name])), name)
    return _typed(pd.concat(frames, ignore_index=True), name)


class NewReports:
    """The rows of the reports read so far in an import, kept in temporary CSV files.

    Reports are appended in blocks (a few dozen reports validated together) as soon as they
    are read, so that an import's memory does not grow with the number of reports; when a
    unit-year comes twice, the last one read wins. ``write`` then appends the rows that win to
    a table being saved.
    """

    def __init__(self, folder: Path) -> None:
        self._files = {name: open(folder / f"{name}.rows", "w+b") for name in TABLES}  # noqa: SIM115
        self._blocks: list[tuple[list[str], dict[str, tuple[int, int]]]] = []
        self._latest: dict[str, int] = {}  # report_id -> its block
        self.counts: dict[str, int] = {}  # report_id -> number of facts

    def close(self) -> None:
        for handle in self._files.values():
            handle.close()

    def add(self, tables: dict[str, pd.DataFrame]) -> None:
        """Append typed tables of one or more reports, each report_id at most once."""
        report_ids = list(dict.fromkeys(tables["reports"]["report_id"].astype(str)))
        spans = {}
        for name, handle in self._files.items():
            frame = tables[name].reindex(columns=list(TABLES[name]))
            start = handle.seek(0, os.SEEK_END)
            handle.write(frame.to_csv(index=False, header=False, lineterminator="\n").encode())
            spans[name] = (start, handle.tell())
        for report_id in report_ids:
            self._latest[report_id] = len(self._blocks)
        self._blocks.append((report_ids, spans))
        counts = tables["facts"]["report_id"].astype(str).value_counts()
        self.counts.update({r: int(counts.get(r, 0)) for r in report_ids})

    def __contains__(self, report_id: object) -> bool:
        return report_id in self._latest

    def report_ids(self) -> set[str]:
        return set(self._latest)

    def _read(self, name: str, block: int) -> bytes:
        start, end = self._blocks[block][1][name]
        handle = self._files[name]
        handle.seek(start)
        return handle.read(end - start)

    def _parse(self, name: str, block: int) -> pd.DataFrame:
        from lawnb.store.sheets import read_csv_text

        header = ",".join(TABLES[name])
        rows = self._read(name, block).decode()
        return _typed(
            read_csv_text(f"{header}\n{rows}", f"{name}.csv").reset_index(drop=True), name
        )

    def facts_of(self, report_id: str) -> pd.DataFrame:
        """The facts of a report read earlier in this import (typed)."""
        facts = self._parse("facts", self._latest[report_id])
        return facts[facts["report_id"] == report_id].reset_index(drop=True)

    def write(self, name: str, out: BinaryIO) -> None:
        """Append the winning rows of table ``name`` to ``out``, in the order read."""
        for block, (report_ids, _) in enumerate(self._blocks):
            winners = [r for r in report_ids if self._latest[r] == block]
            if len(winners) == len(report_ids):
                out.write(self._read(name, block))
            elif winners:  # a report of this block came again later: leave its rows out
                rows = self._parse(name, block)
                rows = rows[rows["report_id"].isin(winners)].reindex(columns=list(TABLES[name]))
                out.write(rows.to_csv(index=False, header=False, lineterminator="\n").encode())


def _save_import(dataset: Dataset, new: NewReports, folder: Path, run: _Import) -> None:
    """Save ``dataset`` with the reports of ``new`` replacing their extracted rows.

    A report replaced by one of the same content under another report_id (``run.renames``)
    goes too; its analysts' rows and corrections move to the new report_id. Each new report's
    tables were validated when read and the old rows when loaded; the rows of analysts' tables
    (origin "manual") that a replaced report keeps are checked with its new facts here, so the
    saved tables are valid without reading them all back.
    """
    ids = new.report_ids()
    gone = ids | set(run.renames)
    facts = dataset.extracted_facts if dataset.extracted_facts is not None else dataset.facts
    replaced = facts["report_id"].isin(gone)
    kept = {
        "reports": dataset.reports[~dataset.reports["report_id"].isin(gone)],
        "sections": dataset.sections[~dataset.sections["report_id"].isin(gone)],
        "facts": rename_reports(
            facts[~replaced | ~facts["origin"].isin(EXTRACTED_ORIGINS)], run.renames
        ),
    }
    manual = rename_reports(facts[replaced & ~facts["origin"].isin(EXTRACTED_ORIGINS)], run.renames)
    corrections = rename_reports(dataset.corrections, run.renames)
    moved_corrections = bool(dataset.corrections["report_id"].isin(list(run.renames)).any())
    problems = []
    for report_id, rows in manual.groupby("report_id", observed=True):
        together = as_text(pd.concat([rows, new.facts_of(str(report_id))]), "facts")
        problems += validate_text_table(
            together, "facts", f"facts.csv ({report_id})", report_ids={str(report_id)}
        )
    if problems:
        raise DatasetValidationError(problems, str(folder))

    def write_tables(staging: Path) -> None:
        for name in TABLES:
            write_table(kept[name], staging / f"{name}.csv", name, partial(new.write, name))
        if moved_corrections:
            write_moved_corrections(folder, staging, corrections)
        if run.overrides_changed:
            write_report_overrides(staging, run.overrides)

    replace_folder(
        folder,
        write_tables,
        corrections=corrections,
        manifest={**dataset.manifest, **run.manifest},
    )


@dataclass
class ImportOutcome:
    """What happened to one file of an import."""

    file: Path
    status: str  # "added" (new report), "updated" (replaced), "unchanged" (skipped), "failed"
    report_id: str = ""
    message: str = ""
    changes: FactChanges | None = None
    n_facts: int = 0
    replaced: list[str] = field(default_factory=list)  # report_ids of the same content replaced
    guessed: str = ""  # what of its metadata is guessed (``report_metadata.guessed_note``)


@dataclass
class ImportResult:
    """What happened to each file of an import; the dataset folder is read when asked for."""

    folder: Path
    outcomes: list[ImportOutcome]
    n_reports: int = 0
    n_facts: int = 0  # extracted and manual rows, before the corrections
    _dataset: Dataset | None = field(default=None, repr=False)

    @property
    def dataset(self) -> Dataset:
        """The dataset after the import (loaded on first use: it may be large)."""
        if self._dataset is None:
            self._dataset = load_dataset(self.folder)
        return self._dataset

    @property
    def failures(self) -> list[tuple[Path, str]]:
        """The files that failed, with their error message."""
        return [(o.file, o.message) for o in self.outcomes if o.status == "failed"]

    @property
    def imported(self) -> list[ImportOutcome]:
        """The files added or updated."""
        return [o for o in self.outcomes if o.status in ("added", "updated")]


def import_reports(
    files: Iterable[Path],
    folder: str | Path,
    *,
    keep_text: bool = True,
    force: bool = False,
    progress: bool = False,
    **overrides: object,
) -> ImportResult:
    """Read, extract and add report files to a dataset folder (created when missing).

    A file already imported with the same content (sha256 in the manifest) and options is
    skipped unless ``force``; a report whose unit-year is already there, or a report of the
    same text under another report_id (imported before with other metadata), is replaced, and
    the outcome lists the facts added, removed and changed. Metadata recorded for a report's
    content (``lawnb.store.report_metadata``) applies as if given in ``overrides``; ``overrides``
    given here are recorded for the content of each report imported. A failing file does not
    stop the others; nothing is written when no file changed anything. Memory grows with the
    dataset already in the folder, not with the number of files imported. Another import into
    the same folder waits for this one (``lawnb.store.locking``).
    """
    from lawnb.store.locking import writing

    folder = Path(folder)
    options = {"keep_text": keep_text, **{k: v for k, v in overrides.items() if v}}
    with writing(folder):
        return _import_files(list(files), folder, options, force=force, progress=progress)


def _import_files(
    files: list[Path], folder: Path, options: dict, *, force: bool, progress: bool
) -> ImportResult:
    """``import_reports`` once the folder's write lock is held."""
    from tqdm import tqdm

    dataset = load_dataset(folder) if (folder / "reports.csv").exists() else empty_dataset()
    manifest = read_manifest(folder) if folder.exists() else {"imports": []}
    bar = tqdm(
        files, desc="导入报告", unit="份", file=sys.stderr, disable=not progress or len(files) < 2
    )
    with tempfile.TemporaryDirectory(prefix="lawnb-import-") as tmp:
        new = NewReports(Path(tmp))
        try:
            run = _Import(dataset, new, manifest, options, force)
            for file in bar:
                run.read(Path(file))
            outcomes = run.finish()
            if any(o.status in ("added", "updated") for o in outcomes):
                _save_import(dataset, new, folder, run)
        finally:
            new.close()
    ids = new.report_ids()
    gone = ids | set(run.renames)
    old_reports = ~dataset.reports["report_id"].isin(gone)
    facts = dataset.extracted_facts if dataset.extracted_facts is not None else dataset.facts
    old_facts = ~(facts["report_id"].isin(gone) & facts["origin"].isin(EXTRACTED_ORIGINS))
    result = ImportResult(
        folder,
        outcomes,
        n_reports=int(old_reports.sum()) + len(ids),
        n_facts=int(old_facts.sum()) + sum(new.counts.values()),
    )
    if not (folder / "reports.csv").exists():
        result._dataset = dataset
    return result


IMPORT_CHUNK = 64  # reports whose tables are typed, validated and written together


@dataclass
class _Read:
    """A report read and extracted, waiting to be validated with the others of its chunk."""

    file: Path
    sha256: str
    report_id: str
    rows: dict[str, pd.DataFrame]
    index: int  # of its outcome
    text_sha256: str = ""  # of the report's text: its identity (the reports table's sha256)
    replaces: list[str] = field(default_factory=list)  # report_ids of the same text
    record: dict[str, object] = field(default_factory=dict)  # metadata given, to record
    guessed: str = ""


class _Import:
    """One import's files read one by one, and accepted into ``new`` a chunk at a time."""

    def __init__(
        self, dataset: Dataset, new: NewReports, manifest: dict, options: dict, force: bool
    ) -> None:
        self.dataset, self.new, self.manifest = dataset, new, manifest
        self.options, self.force = options, force
        self.outcomes: list[ImportOutcome | None] = []  # None: waiting in the chunk
        self.pending: list[_Read] = []
        self.renames: dict[str, str] = {}  # old report_id -> the new one of the same text
        self.overrides = dataset.report_overrides  # recorded metadata, by text sha256
        self.overrides_changed = False
        self.by_text: dict[str, list[str]] = {}  # text sha256 -> the dataset's reports of it
        for report_id, text_sha256 in zip(
            dataset.reports["report_id"], dataset.reports["sha256"], strict=True
        ):
            if isinstance(text_sha256, str) and text_sha256:
                self.by_text.setdefault(text_sha256, []).append(str(report_id))

    def read(self, file: Path) -> None:
        """Read and extract one file (never raises a ``LawnbError``: its outcome says it)."""
        outcome_or_read = self._read(file)
        if isinstance(outcome_or_read, ImportOutcome):
            self.outcomes.append(outcome_or_read)
            return
        again = outcome_or_read.report_id in {p.report_id for p in self.pending}
        if again or len(self.pending) >= IMPORT_CHUNK:
            self._accept(self.pending)
            self.pending = []
        self.outcomes.append(None)
        self.pending.append(outcome_or_read)

    def finish(self) -> list[ImportOutcome]:
        """Accept the last chunk; the outcome of every file, in the order read."""
        self._accept(self.pending)
        self.pending = []
        return [o for o in self.outcomes if o is not None]

    def _read(self, file: Path) -> ImportOutcome | _Read:
        from lawnb.read.reader import read_report

        try:
            sha256 = hashlib.sha256(file.read_bytes()).hexdigest()
        except OSError as exc:
            return ImportOutcome(
                file, "failed", message=f"{file}: 无法读取文件（{exc.strerror}）。"
            )
        previous = self._previous_import(sha256)
        if previous and not self.force:
            message = (
                f"{file.name}：与已导入的 {previous} 内容相同（如需按新规则重新抽取，加 --force）。"
            )
            return ImportOutcome(file, "unchanged", previous, message)
        given = {k: v for k, v in self.options.items() if k != "keep_text"}
        try:
            report = read_report(file, **given)  # type: ignore[arg-type]
            recorded = recorded_overrides(self.overrides, report.sha256)
            if any(k not in given for k in recorded):
                report = _read_with(file, {**recorded, **given})
            _check_metadata(report, file)
            rows = report_rows(report, keep_text=self.options["keep_text"])
        except LawnbError as exc:
            return ImportOutcome(file, "failed", message=str(exc))
        return _Read(
            file,
            sha256,
            report.report_id,
            rows,
            index=len(self.outcomes),
            text_sha256=report.sha256,
            replaces=self._same_text(report.sha256, report.report_id),
            record=given,
            guessed=guessed_note(full_sources(report.meta_sources), vars(report)),
        )

    def _same_text(self, text_sha256: str, report_id: str) -> list[str]:
        """The reports of the dataset read from this text under another report_id."""
        same = self.by_text.get(text_sha256, [])
        return [r for r in same if r != report_id and r not in self.renames]

    def _previous_import(self, sha256: str) -> str:
        """The report_id this exact file was imported as with the same options, or ""."""
        pending = next((p.report_id for p in self.pending if p.sha256 == sha256), "")
        present = set(self.dataset.reports["report_id"].dropna()) | self.new.report_ids()
        keep_text = {"keep_text": self.options["keep_text"]}
        for entry in self.manifest.get("imports", []):
            same_options = entry.get("options", keep_text) == self.options
            if entry.get("sha256") == sha256 and same_options and entry.get("report_id") in present:
                return str(entry["report_id"])
        return pending

    def _accept(self, chunk: list[_Read]) -> None:
        """Type and validate a chunk of reports together, and add those that pass to ``new``.

        When the chunk fails, each report is tried alone, so that the failure names its file.
        """
        if not chunk:
            return
        tables = {name: concat([r.rows[name] for r in chunk], name) for name in TABLES}
        try:
            _check_report_tables(tables, chunk[0].file if len(chunk) == 1 else None)
        except DatasetError as exc:
            if len(chunk) > 1:
                for read in chunk:
                    self._accept([read])
            else:
                failed = ImportOutcome(chunk[0].file, "failed", message=str(exc))
                self.outcomes[chunk[0].index] = failed
            return
        for read in chunk:
            self.outcomes[read.index] = self._record(read, tables["facts"])
        self.new.add(tables)

    def _record(self, read: _Read, facts: pd.DataFrame) -> ImportOutcome:
        """An accepted report's outcome (its changes when it replaces one), and its manifest entry."""
        report_id, dataset, new = read.report_id, self.dataset, self.new
        mine = facts[facts["report_id"] == report_id].reset_index(drop=True)
        existed = report_id in new or bool((dataset.reports["report_id"] == report_id).any())
        existed = existed or bool(read.replaces)
        changes = None
        if existed:
            if report_id in new:
                old = new.facts_of(report_id)
            else:  # the report of the same text, when there is one, is the one it revises
                old = _extracted_of(dataset, (read.replaces or [report_id])[0])
            changes = diff_facts(old, mine)
            _record_moves(self.manifest, changes.moved)
            aliases = self.manifest.get("fact_aliases", {})
            changes.corrected = {
                resolve(f, aliases) for f in dataset.corrections["fact_id"].dropna()
            }
        for old_id in read.replaces:
            self.renames[old_id] = report_id
        self.manifest["imports"] = [
            e for e in self.manifest.get("imports", []) if e.get("report_id") not in read.replaces
        ]
        _record_import(self.manifest, report_id, read.file, read.sha256, self.options)
        self._record_metadata(read)
        status = "updated" if existed else "added"
        return ImportOutcome(
            read.file,
            status,
            report_id,
            changes=changes,
            n_facts=len(mine),
            replaced=list(read.replaces),
            guessed=read.guessed,
        )

    def _record_metadata(self, read: _Read) -> None:
        """Record the metadata given for this text; keep its recorded report_id current."""
        if not read.text_sha256:
            return
        has_record = bool((self.overrides["sha256"] == read.text_sha256).any())
        if not read.record and not has_record:
            return
        self.overrides = with_override(
            self.overrides,
            read.text_sha256,
            read.report_id,
            read.record,
            "lawnb import" if read.record else "",
        )
        self.overrides_changed = True


def _read_with(file: Path, given: dict[str, object]):  # type: ignore[no-untyped-def]
    """``read_report`` with metadata given; a district given as "" means none (not a guess)."""
    from lawnb.read.reader import read_report

    args = dict(given)
    no_district = args.get("district") == ""
    if no_district:
        del args["district"]
    report = read_report(file, **args)  # type: ignore[arg-type]
    if no_district:
        report.district = None
        report.meta_sources["district"] = "override"
    return report


def _extracted_of(dataset: Dataset, report_id: str) -> pd.DataFrame:
    facts = dataset.extracted_facts if dataset.extracted_facts is not None else dataset.facts
    mine = (facts["report_id"] == report_id) & facts["origin"].isin(EXTRACTED_ORIGINS)
    return facts[mine.fillna(False)]


def _record_moves(manifest: dict, moved: dict[str, str]) -> None:
    """Remember the new id of each fact a revised report moved, so corrections follow it."""
    aliases = manifest.setdefault("fact_aliases", {})
    for old, new in list(aliases.items()):
        if new in moved:
            aliases[old] = moved[new]
    aliases.update(moved)
    for old in [o for o, n in aliases.items() if o == n]:
        del aliases[old]


def _record_import(manifest: dict, report_id: str, file: Path, sha256: str, options: dict) -> None:
    entries = [m for m in manifest.get("imports", []) if m.get("report_id") != report_id]
    entries.append(
        {
            "report_id": report_id,
            "file": file.name,
            "sha256": sha256,
            "imported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "options": options,
        }
    )
    manifest["imports"] = entries


def _check_report_tables(tables: dict[str, pd.DataFrame], file: Path | None) -> None:
    """Refuse extracted tables that would not pass validation (naming the report's file)."""
    report_ids = set(tables["reports"]["report_id"].dropna())
    label = file.name if file is not None else "导入的报告"
    problems = []
    for name in TABLES:
        text = as_text(tables[name], name)
        problems += validate_text_table(text, name, f"{label} → {name}", report_ids=report_ids)
    if problems:
        raise DatasetError(
            f"{file or label}: 抽取结果未通过检查，未导入：\n" + "\n".join(map(str, problems[:10]))
        )


def _check_metadata(report, file: Path) -> None:  # type: ignore[no-untyped-def]
    from lawnb.errors import ReportReadError

    missing = [
        label for label, value in (("单位", report.unit), ("年度", report.year)) if not value
    ]
    if missing:
        raise ReportReadError(
            f"{file}: 无法从标题或开头识别{'、'.join(missing)}。"
            "请用 --unit/--year（及 --district）指定，或将文件命名为“区县单位-年度”，如“示例区东湖镇-2022.txt”。"
        )
