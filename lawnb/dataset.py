"""The on-disk dataset: a folder of UTF-8 CSV tables (with BOM) plus a manifest; load, save, import."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd

from lawnb.errors import DatasetError
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
BUNDLED = {"sample": "sample", "demo": "demo"}


@dataclass
class Dataset:
    """The tidy tables of one dataset folder."""

    reports: pd.DataFrame
    sections: pd.DataFrame
    facts: pd.DataFrame
    path: Path | None = None
    name: str = ""

    def units(self) -> list[str]:
        """Units that have at least one report, in name order."""
        return sorted(self.reports["unit"].dropna().unique().tolist())

    def years(self, unit: str | None = None) -> list[int]:
        """Report years, optionally of one unit, ascending."""
        reports = self.reports if unit is None else self.reports[self.reports["unit"] == unit]
        return sorted(int(y) for y in reports["year"].dropna().unique())

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
        """The facts of one unit-year, in reading order."""
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
    return Dataset(
        *(_typed(pd.DataFrame(columns=list(cols)), name) for name, cols in TABLES.items())
    )


def bundled_path(name: str = "sample") -> Path:
    """The folder of a dataset shipped inside the package ("sample": 齐村镇 2020 facts)."""
    if name not in BUNDLED:
        raise DatasetError(f"没有名为“{name}”的内置数据集。可用：{'、'.join(BUNDLED)}。")
    return Path(str(resources.files("lawnb") / "data" / BUNDLED[name]))


def resolve_dataset_path(path: str | Path | None) -> tuple[Path, str]:
    """A dataset argument (None or "" or a bundled name, or a folder) as a folder and a label."""
    if path is None or str(path) == "" or str(path) in BUNDLED:
        name = str(path) if path else "sample"
        return bundled_path(name), name
    return Path(path), str(path)


def load_dataset(path: str | Path | None = None) -> Dataset:
    """Load a dataset folder; no argument gives the bundled sample (齐村镇 2020)."""
    folder, label = resolve_dataset_path(path)
    if not folder.is_dir():
        raise DatasetError(
            f"{folder}: 数据集文件夹不存在。请先运行 `lawnb import 报告文件 --dataset {folder}`。"
        )
    frames = {}
    for name, columns in TABLES.items():
        file = folder / f"{name}.csv"
        if not file.exists():
            raise DatasetError(
                f"{file}: 缺少数据表 {name}.csv。数据集应包含 reports.csv、sections.csv、facts.csv。"
            )
        try:
            frame = pd.read_csv(file, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        except (pd.errors.ParserError, UnicodeDecodeError) as exc:
            raise DatasetError(f"{file}: 无法读取 CSV（{exc}）。请用 UTF-8 编码保存。") from exc
        missing = [c for c in columns if c not in frame.columns]
        unknown = [c for c in frame.columns if c not in columns]
        if missing or unknown:
            raise DatasetError(
                f"{file}: 列不符合要求。"
                + (f"缺少列：{', '.join(missing)}。" if missing else "")
                + (f"未知列：{', '.join(unknown)}。" if unknown else "")
                + f"应有列：{', '.join(columns)}。"
            )
        frames[name] = _typed(frame[list(columns)], name, file)
    return Dataset(frames["reports"], frames["sections"], frames["facts"], folder, label)


def _typed(frame: pd.DataFrame, table: str, file: Path | None = None) -> pd.DataFrame:
    frame = frame.copy()
    for column in frame.columns:
        values = frame[column].astype(object).replace("", pd.NA)
        int_column = column in _INT_COLUMNS.get(table, ())
        if int_column or column in _FLOAT_COLUMNS:
            numbers = pd.to_numeric(values, errors="coerce")
            bad = numbers.isna() & values.notna()
            if bad.any():
                row = int(bad.idxmax()) + 2  # header is line 1
                raise DatasetError(
                    f"{file or table}: 第 {row} 行，列 {column}：{values[bad].iloc[0]!r} 不是数字。请改为数字。"
                )
            frame[column] = numbers.astype("Int64" if int_column else "Float64")
        elif column in _CATEGORIES and table != "reports":
            allowed = _CATEGORIES[column]
            bad = values.notna() & ~values.isin(allowed)
            if bad.any():
                row = int(bad.idxmax()) + 2
                raise DatasetError(
                    f"{file or table}: 第 {row} 行，列 {column}：未知取值 {values[bad].iloc[0]!r}。"
                    f"可用取值：{', '.join(allowed)}。"
                )
            frame[column] = pd.Categorical(values, categories=allowed)
        else:
            frame[column] = values.astype("string")
    return frame


def save_dataset(dataset: Dataset, folder: str | Path, *, manifest: dict | None = None) -> Path:
    """Write a dataset folder atomically: readers see the old folder or the new one, never a mix."""
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        for name in TABLES:
            frame: pd.DataFrame = getattr(dataset, name)
            frame.to_csv(
                staging / f"{name}.csv", index=False, encoding="utf-8-sig", lineterminator="\n"
            )
        info = {"schema_version": SCHEMA_VERSION, "lawnb_version": _version(), "imports": []}
        info.update(manifest or {})
        (staging / "manifest.json").write_text(
            json.dumps(info, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        _swap_in(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return folder


def _swap_in(staging: Path, folder: Path) -> None:
    """Replace ``folder`` by ``staging`` with renames only (keeps other files such as manual.csv)."""
    if folder.exists():
        for extra in folder.iterdir():
            if not (staging / extra.name).exists():
                os.replace(extra, staging / extra.name) if extra.is_file() else shutil.copytree(
                    extra, staging / extra.name
                )
        old = folder.with_name(f".{folder.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(folder, old)
        os.replace(staging, folder)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, folder)


def read_manifest(folder: Path) -> dict:
    """The manifest of a dataset folder (empty when there is none yet)."""
    file = Path(folder) / "manifest.json"
    if not file.exists():
        return {"schema_version": SCHEMA_VERSION, "imports": []}
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DatasetError(f"{file}: 清单文件损坏（{exc}）。") from exc


def _version() -> str:
    from lawnb import __version__

    return __version__


def report_tables(report, *, keep_text: bool = True) -> Dataset:  # type: ignore[no-untyped-def]
    """The three tables of one ``Report`` (sentences blanked when ``keep_text`` is False)."""
    from lawnb.facts import extract_facts

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
    return Dataset(
        *(
            _typed(f.astype(object), n)
            for f, n in ((reports, "reports"), (sections, "sections"), (facts, "facts"))
        )
    )


def merge_reports(dataset: Dataset, new: Dataset) -> Dataset:
    """The dataset with each report of ``new`` added, replacing the same report_id's rows."""
    ids = set(new.reports["report_id"].dropna())
    tables = []
    for name in TABLES:
        old: pd.DataFrame = getattr(dataset, name)
        kept = old[~old["report_id"].isin(ids)]
        tables.append(_concat(kept, getattr(new, name), name))
    return Dataset(*tables, path=dataset.path, name=dataset.name)


def _concat(a: pd.DataFrame, b: pd.DataFrame, name: str) -> pd.DataFrame:
    frames = [f.astype(object) for f in (a, b) if not f.empty]
    if not frames:
        return _typed(pd.DataFrame(columns=list(TABLES[name])), name)
    return _typed(pd.concat(frames, ignore_index=True), name)


def import_reports(
    files: Iterable[Path], folder: str | Path, *, keep_text: bool = True, **overrides: object
) -> tuple[Dataset, list[tuple[Path, str]]]:
    """Read, extract and add report files to a dataset folder (created when missing).

    Returns the saved dataset and the files that failed with their error message; a failing
    file does not stop the others, and nothing is written when every file fails.
    """
    from lawnb.errors import LawnbError
    from lawnb.reader import read_report

    folder = Path(folder)
    dataset = load_dataset(folder) if (folder / "reports.csv").exists() else empty_dataset()
    manifest = read_manifest(folder)
    failures: list[tuple[Path, str]] = []
    imported = 0
    for file in files:
        try:
            report = read_report(Path(file), **overrides)  # type: ignore[arg-type]
            _check_metadata(report, Path(file))
            dataset = merge_reports(dataset, report_tables(report, keep_text=keep_text))
        except LawnbError as exc:
            failures.append((Path(file), str(exc)))
            continue
        imported += 1
        manifest["imports"] = [
            m for m in manifest.get("imports", []) if m.get("report_id") != report.report_id
        ]
        manifest["imports"].append(
            {
                "report_id": report.report_id,
                "file": Path(file).name,
                "sha256": hashlib.sha256(Path(file).read_bytes()).hexdigest(),
                "imported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            }
        )
    if imported:
        save_dataset(dataset, folder, manifest=manifest)
    return dataset, failures


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
