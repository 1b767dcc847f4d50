"""The parameters cell of each notebook, checked: the dataset it names, narrowed to one unit.

The first cell after the parameters calls ``validate_notebook_parameters`` (annual report) or
``validate_overview_parameters`` (district overview): a wrong type, an unknown unit, year or
district stops the page with a Chinese message naming the parameter.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from lawnb.errors import DatasetError, ParamsError
from lawnb.names import is_report_year, refused_name, year_range_text
from lawnb.store.dataset import Dataset
from lawnb.store.loading import load_dataset


def _check_unit(unit: str) -> None:
    refusal = refused_name(unit)
    if refusal:
        raise ParamsError(f"参数 unit: 单位名称 {refusal}。")


def _check_unit_year(dataset: Dataset, unit: str, year: int) -> None:
    try:
        dataset.report_row(unit, year)
    except DatasetError as exc:
        raise ParamsError(f"参数 unit/year: {exc}") from exc


def validate_notebook_parameters(unit: Any, year: Any, dataset: Any, district: Any = "") -> Dataset:
    """Check an annual-report notebook's parameters at the top of its run; return the dataset.

    ``district`` tells apart two units of one name in two districts (two 司法局): the dataset
    returned then holds, of the units of that name, only the reports of that district, so that
    ``dataset.report_row(unit, year)`` and the year-on-year comparison are that unit's. Reports
    of the unit without a district are kept for the years the district has none. With
    ``district`` empty the dataset is returned whole, unless the unit-year is ambiguous: then
    only the unit's reports without a district are kept, or it fails naming the districts.

    Fails with a Chinese message naming the parameter when a type is wrong, the unit or year
    is unknown, or the dataset does not load.
    """
    if not isinstance(unit, str) or not unit:
        raise ParamsError(f"参数 unit 应为单位名称（文本），得到 {unit!r}。")
    if not is_report_year(year):
        raise ParamsError(
            f"参数 year 应为整数年度（{year_range_text()}，如 2020），得到 {year!r}。"
        )
    if dataset is not None and not isinstance(dataset, str):
        raise ParamsError(f"参数 dataset 应为数据集路径（文本），得到 {dataset!r}。")
    if district is None:
        district = ""
    if not isinstance(district, str):
        raise ParamsError(f"参数 district 应为区县名称（文本），得到 {district!r}。")
    _check_unit(unit)
    try:
        loaded = load_dataset(dataset or None)
    except DatasetError as exc:
        raise ParamsError(f"参数 dataset：{exc}") from exc
    _check_unit_year(loaded, unit, year)
    return narrow_to_district(loaded, unit, year, district.strip())


def narrow_to_district(dataset: Dataset, unit: str, year: int, district: str) -> Dataset:
    """The dataset without the reports of namesakes of ``unit`` in other districts.

    See ``validate_notebook_parameters``; a ``ParamsError`` names the districts when the
    unit-year cannot be told apart or the district has no report of it.
    """
    reports = dataset.reports
    same = reports["unit"] == unit
    districts = reports["district"].fillna("").astype(str)
    found = dataset.districts_of_unit(unit, year)
    if not district:
        if len(found) <= 1:
            return dataset
        if "" not in found:
            raise ParamsError(
                f"参数 district：{year}年有{len(found)}个“{unit}”（{'、'.join(found)}），"
                "请用参数 district 指定区县。"
            )
        drop = same & (districts != "")
    else:
        if district not in found:
            known = "、".join(d or "（无区县）" for d in found)
            raise ParamsError(
                f"参数 district：数据集中没有“{district}”的“{unit}”{year}年的报告。"
                f"该单位{year}年所在的区县：{known}。"
            )
        years_here = reports.loc[same & (districts == district), "year"]
        drop = same & (districts != district)
        # A report of the unit without a district is this unit's, unless the district has one
        # for that year or a namesake elsewhere makes it ambiguous.
        namesakes = (same & (districts != "") & (districts != district)).any()
        if not namesakes:
            drop &= ~((districts == "") & ~reports["year"].isin(years_here))
    if not drop.any():
        return dataset
    kept = reports[~drop].reset_index(drop=True)
    ids = set(kept["report_id"])

    def only_kept(frame):  # type: ignore[no-untyped-def]
        if frame is None or "report_id" not in frame.columns:
            return frame
        return frame[frame["report_id"].isin(ids)].reset_index(drop=True)

    return dataclasses.replace(
        dataset,
        reports=kept,
        sections=only_kept(dataset.sections),
        facts=only_kept(dataset.facts),
        extracted_facts=only_kept(dataset.extracted_facts),
    )


def validate_overview_parameters(year: Any, dataset: Any, district: Any = "") -> Dataset:
    """Check a district overview notebook's parameters at the top of its run; return the dataset."""
    if isinstance(year, bool) or not isinstance(year, int):
        raise ParamsError(f"参数 year 应为整数年度（如 2022），得到 {year!r}。")
    if dataset is not None and not isinstance(dataset, str):
        raise ParamsError(f"参数 dataset 应为数据集路径（文本），得到 {dataset!r}。")
    if not isinstance(district, str):
        raise ParamsError(f"参数 district 应为区县名称（文本），得到 {district!r}。")
    try:
        loaded = load_dataset(dataset or None)
    except DatasetError as exc:
        raise ParamsError(f"参数 dataset：{exc}") from exc
    reports = loaded.reports[loaded.reports["year"] == year]
    if reports.empty:
        years = "、".join(map(str, loaded.years())) or "（无）"
        raise ParamsError(f"参数 year：数据集中没有{year}年的报告。已有年份：{years}。")
    districts = sorted(reports["district"].dropna().unique())
    if district and district not in districts:
        raise ParamsError(
            f"参数 district：{year}年没有“{district}”的报告。已有：{'、'.join(districts)}。"
        )
    return loaded


def districts_of(dataset: Dataset, year: int, units: list[str]) -> list[str]:
    """The districts that the given units of ``year`` belong to, in name order."""
    reports = dataset.reports[
        (dataset.reports["year"] == year) & dataset.reports["unit"].isin(units)
    ]
    return sorted(d for d in reports["district"].dropna().unique() if d)
