"""An analyst's wide table read into figures: its shape, its headers mapped to the catalogue.

Takes a table file (.xlsx or .csv) and the ``--unit`` or ``--year`` the analyst gave; gives the
table's shape, the mapping of its labels to catalogue indicators and one ``Figure`` per filled
cell (``lawnb.exchange.tables`` adds them to a dataset). Two shapes are read, told apart by
the headers after the first column:

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
``-``/``—``/``/`` (``lawnb/rules/tables.yaml``) are “no figure”; numbers may have thousands
separators and a ``%``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from lawnb.errors import DatasetError
from lawnb.exchange.workbook import is_export_workbook
from lawnb.extract.catalog import Indicator, get_indicator, indicators
from lawnb.formatting import is_missing
from lawnb.names import is_report_year, year_range_text
from lawnb.ruledata import load_rules
from lawnb.store.column_rules import SIGNED_MEASURES
from lawnb.store.sheets import read_csv_table, read_excel_table
from lawnb.store.validation import DatasetValidationError, Problem

MEASURE_COLUMN = "计量单位"
_YEAR = re.compile(r"^(\d{4})\s*年?度?$")
_BRACKETED = re.compile(r"^(.*?)\s*[（(]\s*([^()（）]+?)\s*[)）]$")


@cache
def no_figure_marks() -> frozenset[str]:
    """What a cell may hold to mean “no figure” (``lawnb/rules/tables.yaml``), read once."""
    return frozenset(str(mark) for mark in load_rules("tables.yaml")["no_figure"])


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


#: Each label of a table and the indicator and measure it stands for.
Mapping = dict[str, tuple[Indicator, str]]
#: What a table holds: its shape (``years`` | ``units``), its mapping and its figures.
Shaped = tuple[str, Mapping, list[Figure]]


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


def map_labels(labels: list[str], file: Path, what: str) -> Mapping:
    """Map every label; all unknown or repeated ones in one ``DatasetError`` naming the file."""
    mapping: Mapping = {}
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


@dataclass(frozen=True)
class _Grid:
    """A wide table as read: its cells by line, its file, the label column, the value columns."""

    frame: pd.DataFrame
    file: Path
    label_column: str
    columns: list[str]


def table_figures(frame: pd.DataFrame, file: Path, unit: str | None, year: int | None) -> Shaped:
    """The shape (``years`` | ``units``), header mapping and figures of a wide table."""
    label_column, *rest = list(frame.columns)
    value_columns = [c for c in rest if c != MEASURE_COLUMN]
    if not value_columns:
        raise DatasetError(f"{file}: 只有一列。第一列应为指标或单位，其后每列一个年度或指标。")
    grid = _Grid(frame, file, label_column, value_columns)
    if all(table_year(c) for c in value_columns):
        return _by_year(grid, unit, year)
    return _by_unit(grid, unit, year)


def _by_year(grid: _Grid, unit: str | None, year: int | None) -> Shaped:
    """Rows of indicators, a column per year, for one unit."""
    frame, file, columns = grid.frame, grid.file, grid.columns
    if not unit or year:
        raise DatasetError(
            f"{file}: 表格是“每行一个指标、每列一个年度”（列：{'、'.join(columns)}）。"
            "请用 --unit 指定单位（不要用 --year）。"
        )
    labels = _labels(frame, file, grid.label_column, "指标")
    mapping = map_labels(list(dict.fromkeys(labels.values())), file, "行")
    figures, problems = [], []
    for line, label in labels.items():
        indicator, measure = mapping[label]
        if MEASURE_COLUMN in frame and not is_missing(frame.at[line, MEASURE_COLUMN]):
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


def _by_unit(grid: _Grid, unit: str | None, year: int | None) -> Shaped:
    """A row per unit, a column per indicator, for one year."""
    frame, file, columns = grid.frame, grid.file, grid.columns
    if not year or unit:
        raise DatasetError(
            f"{file}: 表格是“每行一个单位、每列一个指标”（第一列“{grid.label_column}”为单位）。"
            "请用 --year 指定年度（不要用 --unit）。若各列是年度，请把表头写成 2021、2022 这样的年份。"
        )
    if not is_report_year(year):
        raise DatasetError(f"--year {year} 超出范围（{year_range_text()}）。")
    mapping = map_labels(columns, file, "表头")
    units = _labels(frame, file, grid.label_column, "单位")
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
    if is_missing(raw) or str(raw).strip() in no_figure_marks():
        return None
    text = unicodedata.normalize("NFKC", str(raw)).strip().replace(" ", "")
    text = text[:-1] if text.endswith("%") and measure == "%" else text
    shown = repr(str(raw)[:40] + ("…" if len(str(raw)) > 40 else ""))
    if "," in text:
        if not _THOUSANDS.fullmatch(text):
            problems.append(
                Problem(
                    str(file),
                    line,
                    column,
                    f"{shown} 不是数字：逗号只能用作千位分隔符（如 1,200）。"
                    "小数请用小数点（如 1.5），或去掉逗号。",
                )
            )
            return None
        text = text.replace(",", "")
    number = pd.to_numeric(text, errors="coerce")
    if pd.isna(number):
        problems.append(
            Problem(str(file), line, column, f"{shown} 不是数字。请改为数字，或留空表示没有数据。")
        )
        return None
    if number < 0 and measure not in SIGNED_MEASURES:
        problems.append(
            Problem(
                str(file), line, column, f"数量不能为负数（{shown} {measure}）。请改为 0 或正数。"
            )
        )
        return None
    return float(number)


#: A number with thousands separators: 1,200 or -12,345.6 (a comma anywhere else is an error).
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")


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
