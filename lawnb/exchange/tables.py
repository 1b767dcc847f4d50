"""Analysts' own indicator tables (``lawnb import-table``): wide tables into the facts table.

Two shapes are read, told apart by the headers after the first column:

- every header is a year (``2021``, ``2021年``, ``2021年度``): one row per indicator, one
  column per year, for the unit given with ``--unit``;
- otherwise: one row per unit, one column per indicator, for the year given with ``--year``.

An indicator (a row label in the first shape, a header in the second) maps to a catalogue id
(``lawnb/rules/catalog.yaml``) by the first rule that applies:

1. it is an id, e.g. ``enforcement.penalty_cases``;
2. it is an indicator's Chinese name, e.g. ``行政处罚案件``;
3. it contains one of an indicator's keywords, e.g. ``全年行政处罚立案数``: the first indicator
   in catalogue order whose keyword it contains (and none of its ``not`` words) wins.

A measure in brackets, ``行政处罚案件（件）``, must be one of the indicator's measures and, in
rule 3, picks among indicators; without one the indicator's first measure is used (a
``计量单位`` column may give it per row in the first shape). Labels that match nothing, or two
labels that match the same indicator, are listed together in one error. Blank cells and
``-``/``—``/``/`` are “no figure”; numbers may have thousands separators and a ``%``.

Each figure becomes a fact with origin ``manual`` and id ``T`` + hash(report, indicator), so
importing a table again replaces its figures instead of adding copies, and a re-imported report
keeps them. A unit-year without a report gets a reports row with an empty title.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from lawnb.errors import DatasetError
from lawnb.extract.catalog import Indicator, get_indicator, indicators
from lawnb.names import is_report_year, year_range_text
from lawnb.schema import FACT_COLUMNS, REPORT_COLUMNS, confidence_of
from lawnb.store.sheets import read_csv_table, read_excel_table
from lawnb.store.validation import SIGNED_MEASURES, DatasetValidationError, Problem

if TYPE_CHECKING:  # pragma: no cover
    from lawnb.store.dataset import Dataset

MEASURE_COLUMN = "计量单位"
NO_FIGURE = frozenset({"-", "—", "–", "/", "／", "无", "——"})
_YEAR = re.compile(r"^(\d{4})\s*年?度?$")
_BRACKETED = re.compile(r"^(.*?)\s*[（(]\s*([^()（）]+?)\s*[)）]$")


@dataclass(frozen=True)
class Figure:
    """One cell of a wide table: a unit's value of an indicator in a year, and where it was."""

    unit: str
    year: int
    indicator: Indicator
    measure: str
    value: float
    line: int
    column: str


@dataclass
class TableImport:
    """What ``import_table`` did: the table's shape, the header mapping and the figures."""

    file: Path
    shape: str  # "years" (a row per indicator) or "units" (a row per unit)
    mapping: dict[str, tuple[Indicator, str]]
    figures: list[Figure] = field(default_factory=list)
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    new_reports: list[str] = field(default_factory=list)
    skipped: bool = False
    folder: Path | None = None

    def lines(self) -> list[str]:
        """What to print: the mapping used and the counts."""
        if self.skipped:
            return [f"跳过 {self.file.name}：与已导入的表格内容相同，数据集未改动。"]
        shape = (
            "每行一个指标、每列一个年度" if self.shape == "years" else "每行一个单位、每列一个指标"
        )
        out = [
            f"表格 {self.file.name}：{shape}。{'指标' if self.shape == 'years' else '表头'}映射："
        ]
        out += [
            f"    {label} → {ind.id}（{ind.name}，{measure}）"
            for label, (ind, measure) in self.mapping.items()
        ]
        out.append(
            f"已导入 {len(self.figures)} 个数据到 {self.folder}"
            f"（新增 {self.added}、数值更新 {self.changed}、未变 {self.unchanged}）。"
        )
        if self.new_reports:
            out.append(f"新建报告记录（无报告原文，标题为空）：{'、'.join(self.new_reports)}。")
        return out


# --- header mapping -----------------------------------------------------------------------------


def split_measure(label: str) -> tuple[str, str | None]:
    """``行政处罚案件（件）`` as (``行政处罚案件``, ``件``); a label without brackets as (label, None)."""
    text = unicodedata.normalize("NFKC", str(label)).strip()
    match = _BRACKETED.match(text)
    return (match.group(1).strip(), match.group(2)) if match else (text, None)


def map_label(label: str) -> tuple[Indicator, str] | str:
    """The indicator and measure a header or row label stands for, or why it stands for none."""
    name, measure = split_measure(label)
    plain = re.sub(r"\s+", "", name)
    found = get_indicator(plain) or get_indicator(plain.lower())
    found = found or next((i for i in indicators() if i.name == plain), None)
    if found is None:
        candidates = [i for i in indicators() if i.mentions(plain)]
        if measure:
            candidates = [i for i in candidates if measure in i.measures] or candidates
        found = candidates[0] if candidates else None
    if found is None:
        return "不在指标目录中"
    if measure and measure not in found.measures:
        return f"计量单位“{measure}”不是指标 {found.id} 的计量单位（可用：{'、'.join(found.measures)}）"
    return found, measure or found.measures[0]


def map_labels(labels: list[str], file: Path, what: str) -> dict[str, tuple[Indicator, str]]:
    """Map every label; all unknown or repeated ones in one ``DatasetError`` naming the file."""
    mapping: dict[str, tuple[Indicator, str]] = {}
    unknown: list[str] = []
    for label in labels:
        result = map_label(label)
        if isinstance(result, str):
            unknown.append(f"“{label}”（{result}）")
        else:
            mapping[label] = result
    by_id: dict[str, list[str]] = {}
    for label, (indicator, _) in mapping.items():
        by_id.setdefault(indicator.id, []).append(label)
    repeated = [
        f"{'、'.join(f'“{x}”' for x in ls)} 都对应 {i}" for i, ls in by_id.items() if len(ls) > 1
    ]
    if unknown or repeated:
        raise DatasetError(
            f"{file}: 有{what}无法对应到指标目录：{'；'.join(unknown + repeated)}。"
            "请改为指标编号（如 enforcement.penalty_cases）、指标名称（如 行政处罚案件）"
            "或含指标关键词的名称，可在括号中注明计量单位，如“行政处罚案件（件）”；"
            "指标目录见 lawnb/rules/catalog.yaml。"
        )
    return mapping


# --- reading the table --------------------------------------------------------------------------


def read_wide_table(file: Path, sheet: str | None = None) -> pd.DataFrame:
    """An analyst's table (.xlsx or .csv) as text indexed by line; refuses lawnb's own exports."""
    suffix = file.suffix.lower()
    if not file.exists():
        raise DatasetError(f"{file}: 文件不存在。请检查路径。")
    if suffix == ".xlsx":
        from lawnb.exchange.excel import is_export_workbook

        if is_export_workbook(file):
            raise DatasetError(
                f"{file}: 这是 lawnb export 导出的工作簿。修改后请用 "
                f"`lawnb import-corrections {file} --dataset 数据集文件夹` 读回。"
            )
        return read_excel_table(file, sheet)
    if suffix == ".csv":
        return read_csv_table(file)
    raise DatasetError(f"{file}: 只支持 .xlsx 和 .csv 表格。请在 Excel/WPS 中另存为 .xlsx。")


def table_year(header: str) -> int | None:
    """The year a header names (``2021``, ``2021年``, ``2021年度``), or None."""
    match = _YEAR.match(unicodedata.normalize("NFKC", str(header)).strip())
    year = int(match.group(1)) if match else None
    return year if is_report_year(year) else None


def table_figures(
    frame: pd.DataFrame, file: Path, unit: str | None, year: int | None
) -> tuple[str, dict[str, tuple[Indicator, str]], list[Figure]]:
    """The shape, header mapping and figures of a wide table."""
    label_column, *rest = list(frame.columns)
    value_columns = [c for c in rest if c != MEASURE_COLUMN]
    if not value_columns:
        raise DatasetError(f"{file}: 只有一列。第一列应为指标或单位，其后每列一个年度或指标。")
    if all(table_year(c) for c in value_columns):
        return _by_year(frame, file, label_column, value_columns, unit, year)
    return _by_unit(frame, file, label_column, value_columns, unit, year)


Shaped = tuple[str, dict[str, tuple[Indicator, str]], list[Figure]]


def _by_year(
    frame: pd.DataFrame,
    file: Path,
    label_column: str,
    columns: list[str],
    unit: str | None,
    year: int | None,
) -> Shaped:
    """Rows of indicators, a column per year, for one unit."""
    if not unit or year:
        raise DatasetError(
            f"{file}: 表格是“每行一个指标、每列一个年度”（列：{'、'.join(columns)}）。"
            "请用 --unit 指定单位（不要用 --year）。"
        )
    labels = _labels(frame, file, label_column, "指标")
    mapping = map_labels(list(dict.fromkeys(labels.values())), file, "行")
    figures, problems = [], []
    for line, label in labels.items():
        indicator, measure = mapping[label]
        if MEASURE_COLUMN in frame and not pd.isna(frame.at[line, MEASURE_COLUMN]):
            measure = str(frame.at[line, MEASURE_COLUMN]).strip()
            if measure not in indicator.measures:
                problems.append(_bad_measure(file, line, measure, indicator))
                continue
        for column in columns:
            cell = _figure(frame, file, line, column, measure, problems)
            if cell is not None:
                figures.append(
                    Figure(unit, table_year(column), indicator, measure, cell, line, column)
                )
    _raise(problems)
    return "years", mapping, figures


def _by_unit(
    frame: pd.DataFrame,
    file: Path,
    label_column: str,
    columns: list[str],
    unit: str | None,
    year: int | None,
) -> Shaped:
    """A row per unit, a column per indicator, for one year."""
    if not year or unit:
        raise DatasetError(
            f"{file}: 表格是“每行一个单位、每列一个指标”（第一列“{label_column}”为单位）。"
            "请用 --year 指定年度（不要用 --unit）。若各列是年度，请把表头写成 2021、2022 这样的年份。"
        )
    if not is_report_year(year):
        raise DatasetError(f"--year {year} 超出范围（{year_range_text()}）。")
    mapping = map_labels(columns, file, "表头")
    units = _labels(frame, file, label_column, "单位")
    figures, problems = [], []
    for line, name in units.items():
        for column in columns:
            indicator, measure = mapping[column]
            cell = _figure(frame, file, line, column, measure, problems)
            if cell is not None:
                figures.append(Figure(name, year, indicator, measure, cell, line, column))
    _raise(problems)
    return "units", mapping, figures


def _labels(frame: pd.DataFrame, file: Path, column: str, what: str) -> dict[int, str]:
    blank = frame.index[frame[column].isna()].tolist()
    if blank:
        raise DatasetError(
            f"{file}: 第 {'、'.join(map(str, blank))} 行，列 {column}：{what}为空。请填写{what}或删除该行。"
        )
    return {int(line): str(value).strip() for line, value in frame[column].items()}


def _figure(
    frame: pd.DataFrame, file: Path, line: int, column: str, measure: str, problems: list[Problem]
) -> float | None:
    """The number in a cell, None for no figure; a problem (file, line, column) when it is bad."""
    raw = frame.at[line, column]
    if pd.isna(raw) or str(raw).strip() in NO_FIGURE:
        return None
    text = unicodedata.normalize("NFKC", str(raw)).strip().replace(",", "").replace(" ", "")
    text = text[:-1] if text.endswith("%") and measure == "%" else text
    number = pd.to_numeric(text, errors="coerce")
    if pd.isna(number):
        problems.append(
            Problem(str(file), line, column, f"{raw!r} 不是数字。请改为数字，或留空表示没有数据。")
        )
        return None
    if number < 0 and measure not in SIGNED_MEASURES:
        problems.append(
            Problem(
                str(file), line, column, f"数量不能为负数（{raw} {measure}）。请改为 0 或正数。"
            )
        )
        return None
    return float(number)


def _bad_measure(file: Path, line: int, measure: str, indicator: Indicator) -> Problem:
    return Problem(
        str(file),
        line,
        MEASURE_COLUMN,
        f"“{measure}”不是指标 {indicator.id}（{indicator.name}）的计量单位。"
        f"可用：{'、'.join(indicator.measures)}。",
    )


def _raise(problems: list[Problem]) -> None:
    if problems:
        raise DatasetValidationError(problems)


# --- into the dataset ---------------------------------------------------------------------------


def import_table(
    file: str | Path,
    folder: str | Path,
    *,
    unit: str | None = None,
    year: int | None = None,
    district: str | None = None,
    sheet: str | None = None,
) -> TableImport:
    """Add an analyst's wide table to a dataset folder (created when missing); see the module doc."""
    from lawnb.store.locking import writing

    file, folder = Path(file), Path(folder)
    frame = read_wide_table(file, sheet)
    shape, mapping, figures = table_figures(frame, file, unit, year)
    result = TableImport(file, shape, mapping, figures, folder=folder)
    with writing(folder):
        _add_table(
            result, folder, {"unit": unit, "year": year, "district": district, "sheet": sheet}
        )
    return result


def _add_table(result: TableImport, folder: Path, options: dict) -> None:
    """Add the figures of ``result`` to the folder (its write lock held)."""
    from lawnb.store.dataset import empty_dataset, load_dataset, read_manifest, save_dataset

    file, figures, shape = result.file, result.figures, result.shape
    district = options["district"]
    dataset = load_dataset(folder) if (folder / "reports.csv").exists() else empty_dataset()
    manifest = read_manifest(folder) if folder.exists() else {"imports": []}
    sha256 = hashlib.sha256(file.read_bytes()).hexdigest()
    if _imported_before(manifest, sha256, options, dataset):
        result.skipped = True
        return
    reports, result.new_reports = _with_reports(dataset.reports, figures, district, file)
    facts, fact_ids = _with_figures(dataset, figures, reports, result)
    _record(manifest, file, sha256, options, shape, fact_ids)
    dataset.reports, dataset.extracted_facts = reports, facts
    save_dataset(dataset, folder, manifest=manifest)


def _imported_before(manifest: dict, sha256: str, options: dict, dataset: Dataset) -> bool:
    entries = manifest.get("tables", [])
    fact_ids = set(dataset.extracted_facts["fact_id"].dropna())
    return any(
        e.get("sha256") == sha256 and e.get("options") == options and set(e["fact_ids"]) <= fact_ids
        for e in entries
    )


def _record(
    manifest: dict, file: Path, sha256: str, options: dict, shape: str, fact_ids: list[str]
) -> None:
    entries = [e for e in manifest.get("tables", []) if e.get("file") != file.name]
    entries.append(
        {
            "file": file.name,
            "sha256": sha256,
            "shape": shape,
            "options": options,
            "imported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "fact_ids": fact_ids,
        }
    )
    manifest["tables"] = entries


def _district(reports: pd.DataFrame, unit: str, district: str | None, file: Path) -> str:
    """The district of a unit: --district, else that of its reports, else the only one there is."""
    if district:
        return district
    known = reports.loc[reports["unit"] == unit, "district"].dropna().unique().tolist()
    if len(known) == 1:
        return str(known[0])
    every = reports["district"].dropna().unique().tolist()
    if not known and len(every) == 1:
        return str(every[0])
    raise DatasetError(
        f"{file}: 无法确定单位“{unit}”所属的区县（数据集中{'有多个：' + '、'.join(map(str, known or every)) if (known or every) else '还没有区县'}）。"
        "请用 --district 指定。"
    )


def _with_reports(
    reports: pd.DataFrame, figures: list[Figure], district: str | None, file: Path
) -> tuple[pd.DataFrame, list[str]]:
    """The reports table with a row (empty title) for each unit-year that has none yet."""
    from lawnb.store.dataset import concat

    rows, new_ids = [], []
    for unit, year in dict.fromkeys((f.unit, f.year) for f in figures):
        existing = reports[(reports["unit"] == unit) & (reports["year"] == year)]
        if not existing.empty:
            continue
        where = _district(reports, unit, district, file)
        level = reports.loc[reports["unit"] == unit, "level"].dropna()
        report_id = f"{where}/{unit}/{year}"
        new_ids.append(report_id)
        rows.append(
            {
                "report_id": report_id,
                "district": where,
                "unit": unit,
                "level": level.iloc[0] if not level.empty else None,
                "year": year,
                "source": file.name,
                **_provenance(reports, unit, district),
            }
        )
    added = pd.DataFrame(rows, columns=list(REPORT_COLUMNS))
    return concat([reports, added], "reports"), new_ids


def _provenance(reports: pd.DataFrame, unit: str, district: str | None) -> dict[str, str]:
    """``meta_source`` and ``guessed`` of a reports row made for a table's unit-year.

    Unit and year are the analyst's (override), and so is the district given with --district;
    a district or level taken from the unit's other reports keeps where those had it from
    (unknown for datasets saved before it was recorded), and a district that is merely the
    only one of the dataset is a guess.
    """
    from lawnb.store.report_metadata import guessed_of, meta_source_text, parse_meta_source

    sources = {"title": "none", "unit": "override", "year": "override"}
    own = reports[reports["unit"] == unit]
    earlier = (
        parse_meta_source(own["meta_source"].dropna().iloc[0])
        if own["meta_source"].notna().any()
        else {}
    )
    if district:
        sources["district"] = "override"
    elif not own.empty:
        sources.update({k: v for k, v in earlier.items() if k == "district"})
    else:
        sources["district"] = "none"
    if not own["level"].dropna().empty:
        sources.update({k: v for k, v in earlier.items() if k == "level"})
    else:
        sources["level"] = "none"
    return {
        "meta_source": meta_source_text(sources),
        "guessed": " ".join(guessed_of(sources)),
        "confidence": confidence_of(sources),
    }


def table_fact_id(report_id: str, indicator_id: str) -> str:
    """The id of an analyst's figure: one per report and indicator, so a re-import replaces it."""
    return "T" + hashlib.sha1(f"{report_id}|{indicator_id}".encode()).hexdigest()[:10]


def _with_figures(
    dataset: Dataset, figures: list[Figure], reports: pd.DataFrame, result: TableImport
) -> tuple[pd.DataFrame, list[str]]:
    """The extracted facts with the table's figures added or replacing their earlier values."""
    from lawnb.store.dataset import concat

    ids = {
        (u, int(y)): r
        for u, y, r in zip(reports["unit"], reports["year"], reports["report_id"], strict=True)
    }
    facts = dataset.extracted_facts
    old = dict(zip(facts["fact_id"], facts["value"], strict=True))
    rows = [_fact_row(ids[f.unit, f.year], f) for f in figures]
    for row in rows:
        if row["fact_id"] not in old:
            result.added += 1
        elif float(old[row["fact_id"]]) == row["value"]:
            result.unchanged += 1
        else:
            result.changed += 1
    new_ids = [row["fact_id"] for row in rows]
    kept = facts[~facts["fact_id"].isin(new_ids)]
    return concat([kept, pd.DataFrame(rows, columns=list(FACT_COLUMNS))], "facts"), new_ids


def _fact_row(report_id: str, figure: Figure) -> dict:
    return {
        "report_id": report_id,
        "fact_id": table_fact_id(report_id, figure.indicator.id),
        "part": "measures",
        "dimension": figure.indicator.dimension,
        "indicator": figure.indicator.id,
        "subject": figure.indicator.name,
        "value": figure.value,
        "measure": figure.measure,
        "qualifier": "exact",
        "kind": "achievement",
        "origin": "manual",
    }
